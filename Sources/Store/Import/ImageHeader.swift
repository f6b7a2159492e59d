import Foundation

/// Reads an image's pixel size from its first bytes (PNG IHDR, JPEG SOF marker) without decoding
/// it, so an import can check thousands of images quickly.
enum ImageHeader {
    /// What reading a header found.
    enum Result: Equatable {
        case size(width: Int, height: Int)
        case missing
        case undecodable(String)
    }

    /// Reads at most 256 KiB of `path`: enough to reach the SOF of JPEGs with large EXIF blocks.
    static func read(path: String) -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .missing }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 18), !data.isEmpty else { return .undecodable("empty file") }
        return parse([UInt8](data))
    }

    static func parse(_ b: [UInt8]) -> Result {
        if b.count >= 24, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47 {
            guard b[12] == 0x49, b[13] == 0x48, b[14] == 0x44, b[15] == 0x52 else { return .undecodable("PNG without IHDR") }
            let w = Int(b[16]) << 24 | Int(b[17]) << 16 | Int(b[18]) << 8 | Int(b[19])
            let h = Int(b[20]) << 24 | Int(b[21]) << 16 | Int(b[22]) << 8 | Int(b[23])
            return w > 0 && h > 0 ? .size(width: w, height: h) : .undecodable("PNG of size 0")
        }
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 {
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return .undecodable("JPEG marker expected at byte \(i)") }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                    let h = Int(b[i + 5]) << 8 | Int(b[i + 6])
                    let w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                    return w > 0 && h > 0 ? .size(width: w, height: h) : .undecodable("JPEG of size 0")
                }
                if marker == 0xD9 || marker == 0xDA { break }
                i += 2 + length
            }
            return .undecodable("JPEG without a frame header in its first 256 KiB")
        }
        return .undecodable("neither PNG nor JPEG")
    }
}
