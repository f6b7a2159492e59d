import Imaging

/// PNG files of class-index maps: 8-bit with a palette (viewers show the colours, tools read the
/// indices) up to 256 classes, 16-bit grayscale beyond.
///
/// The image data is stored in uncompressed deflate blocks: a label map is written once per
/// image, and this keeps the encoder a page of code that any PNG reader (libpng, Pillow) reads.
public enum LabelPNG {
    /// Encodes `labels` (`[height, width]` class indices).
    ///
    /// - Parameters:
    ///   - palette: colour of each index (index 0 first); used when every label is below 256.
    /// - Returns: the PNG file's bytes.
    public static func encode(labels: [Int32], width: Int, height: Int, palette: [Color]) -> [UInt8] {
        precondition(labels.count == width * height, "\(labels.count) labels for \(width)×\(height)")
        let maxLabel = Int(labels.max() ?? 0)
        let paletted = maxLabel < 256
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + width * (paletted ? 1 : 2)))
        for y in 0..<height {
            raw.append(0)   // filter: none
            for x in 0..<width {
                let v = max(0, Int(labels[y * width + x]))
                if paletted { raw.append(UInt8(v)) } else { raw.append(UInt8(v >> 8)); raw.append(UInt8(v & 0xFF)) }
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += paletted ? [8, 3, 0, 0, 0] : [16, 0, 0, 0, 0]
        chunk("IHDR", header, into: &png)
        if paletted {
            var plte: [UInt8] = []
            for i in 0...maxLabel {
                let c = i < palette.count ? palette[i] : Palette.color(i)
                plte += [c.r, c.g, c.b]
            }
            chunk("PLTE", plte, into: &png)
        }
        chunk("IDAT", zlibStored(raw), into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    static func chunk(_ type: String, _ data: [UInt8], into png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png += bigEndian(crc32(typeBytes + data))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let n = min(65535, data.count - start)
            let final: UInt8 = start + n == data.count ? 1 : 0
            out.append(final)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[start..<(start + n)]
            start += n
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(b << 16 | a)
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
