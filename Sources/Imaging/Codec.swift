import CImageCodecs
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Image file formats, told apart by their first bytes (never by the file name).
public enum ImageFormat: String, Sendable, CaseIterable {
    case png = "PNG", jpeg = "JPEG"

    /// The format whose signature starts `bytes`, or nil. PNG: `89 50 4E 47 0D 0A 1A 0A`;
    /// JPEG: `FF D8 FF` (SOI followed by any marker).
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// Names formats we recognise but do not decode, for a helpful error.
    static func otherFormatName(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: Array("GIF8".utf8)) { return "GIF" }
        if bytes.starts(with: Array("BM".utf8)) { return "BMP" }
        if bytes.starts(with: Array("RIFF".utf8)) && bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8) { return "WebP" }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        return nil
    }
}

extension Image {
    /// Largest `width · height` a decoder accepts; larger declared sizes throw `.tooLarge`
    /// before any pixel memory is allocated.
    public static let maxPixels = Int(VLP_MAX_PIXELS)

    /// Decodes PNG or JPEG bytes, detected by content.
    ///
    /// PNG: 1–16-bit gray, gray+alpha, palette, RGB, RGBA, interlaced or not, normalised to
    /// 8-bit gray (1 channel), RGB (3) or RGBA (4; gray+alpha and `tRNS` become RGBA); 16-bit
    /// samples keep their high byte. JPEG: baseline or progressive; gray → 1 channel; YCbCr,
    /// CMYK and YCCK → RGB; EXIF orientation is applied, so the result is upright.
    /// - Parameter name: the file name used in error messages.
    /// - Throws: `ImageError` (`.empty`, `.unknownFormat`, `.corrupt`, `.tooLarge`, …).
    public static func decode(_ data: [UInt8], name: String = "<memory>") throws -> Image {
        guard !data.isEmpty else { throw ImageError.empty(name: name) }
        guard let format = ImageFormat.detect(data) else {
            if let other = ImageFormat.otherFormatName(data) {
                throw ImageError.unsupportedFormat(name: name, format: other)
            }
            let magic = data.prefix(8).map { hex($0) }.joined(separator: " ")
            throw ImageError.unknownFormat(name: name, magic: magic)
        }
        var message = [CChar](repeating: 0, count: 256)
        var info = vlp_info()
        var rc = data.withUnsafeBufferPointer { bytes in
            format == .png ? vlp_png_info(bytes.baseAddress, bytes.count, &info, &message, 256)
                           : vlp_jpeg_info(bytes.baseAddress, bytes.count, &info, &message, 256)
        }
        try check(rc, message, name: name, format: format)
        let count = Int(info.width) * Int(info.height) * Int(info.channels)
        // Decode straight into the array's storage: no intermediate pixel copy.
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            rc = data.withUnsafeBufferPointer { bytes in
                format == .png
                    ? vlp_png_decode(bytes.baseAddress, bytes.count, buffer.baseAddress, count, &message, 256)
                    : vlp_jpeg_decode(bytes.baseAddress, bytes.count, buffer.baseAddress, count, &message, 256)
            }
            if rc != Int32(VLP_OK) { buffer.initialize(repeating: 0) }
            initialized = count
        }
        try check(rc, message, name: name, format: format)
        let image = Image(width: Int(info.width), height: Int(info.height), channels: Int(info.channels), pixels: pixels)
        if format == .jpeg {
            let orientation = exifOrientation(jpeg: data)
            if orientation != 1 { return image.oriented(exif: orientation) }
        }
        return image
    }

    /// Reads and decodes the PNG or JPEG file at `path` (format from content).
    /// - Throws: `ImageError.unreadable` or any `decode` error, naming `path`.
    public static func read(path: String) throws -> Image {
        try decode(readFile(path: path), name: path)
    }

    /// PNG bytes of this image (gray, RGB or RGBA, 8-bit), zlib `compressionLevel` 0–9.
    public func encodePNG(compressionLevel: Int = 6) throws -> [UInt8] {
        try encoded(format: "PNG") { input, output, length, message in
            vlp_png_encode(input, Int32(width), Int32(height), Int32(channels), Int32(compressionLevel),
                           output, length, message, 256)
        }
    }

    /// Baseline (or progressive) JPEG bytes, 4:2:0 chroma for colour; alpha is dropped.
    /// - Parameter quality: libjpeg quality 1–100.
    public func encodeJPEG(quality: Int = 90, progressive: Bool = false) throws -> [UInt8] {
        let source = channels == 4 ? converted(toChannels: 3) : self
        return try source.encoded(format: "JPEG") { input, output, length, message in
            vlp_jpeg_encode(input, Int32(source.width), Int32(source.height), Int32(source.channels),
                            Int32(quality), progressive ? 1 : 0, output, length, message, 256)
        }
    }

    /// Writes this image as PNG to `path` (replacing it).
    public func writePNG(path: String, compressionLevel: Int = 6) throws {
        try writeFile(try encodePNG(compressionLevel: compressionLevel), path: path)
    }

    /// Writes this image as JPEG to `path` (replacing it).
    public func writeJPEG(path: String, quality: Int = 90) throws {
        try writeFile(try encodeJPEG(quality: quality), path: path)
    }

    private func encoded(
        format: String,
        _ call: (UnsafePointer<UInt8>?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                 UnsafeMutablePointer<Int>, UnsafeMutablePointer<CChar>) -> Int32
    ) throws -> [UInt8] {
        guard width > 0 && height > 0 else { throw ImageError.encodeFailed(format: format, reason: "image is empty (\(width)x\(height))") }
        var message = [CChar](repeating: 0, count: 256)
        var output: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        let rc = pixels.withUnsafeBufferPointer { call($0.baseAddress, &output, &length, &message) }
        guard rc == Int32(VLP_OK), let output else {
            throw ImageError.encodeFailed(format: format, reason: cString(message))
        }
        defer { vlp_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }

    private static func check(_ rc: Int32, _ message: [CChar], name: String, format: ImageFormat) throws {
        let reason = cString(message)
        switch rc {
        case Int32(VLP_OK): return
        case Int32(VLP_TOO_LARGE): throw ImageError.tooLarge(name: name, format: format.rawValue, reason: reason)
        case Int32(VLP_UNSUPPORTED): throw ImageError.unsupportedLayout(name: name, format: format.rawValue, reason: reason)
        default: throw ImageError.corrupt(name: name, format: format.rawValue, reason: reason)
        }
    }
}

/// The NUL-terminated C string in `buffer` as Swift text.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

/// The whole file as bytes, read straight into the array (one copy from the kernel).
func readFile(path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ImageError.unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw ImageError.unreadable(path: path, reason: String(cString: strerror(errno))) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { throw ImageError.unreadable(path: path, reason: "not a regular file") }
    let size = Int(status.st_size)
    var failure: String?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failure = n < 0 ? String(cString: strerror(errno)) : "file shrank while reading"; break }
            done += n
        }
        initialized = done
    }
    if let failure { throw ImageError.unreadable(path: path, reason: failure) }
    return bytes
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
func writeFile(_ bytes: [UInt8], path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw ImageError.unwritable(path: path, reason: String(cString: strerror(errno))) }
    var failure: String?
    bytes.withUnsafeBufferPointer { buffer in
        var done = 0
        while done < buffer.count {
            let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failure = String(cString: strerror(errno)); break }
            done += n
        }
    }
    if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
        unlink(temporary)
        throw ImageError.unwritable(path: path, reason: failure)
    }
}
