/// COCO's compressed `counts` string: pycocotools `rleToString` / `rleFrString`.
///
/// Each count becomes a little-endian run of 5-bit chunks, sign-extended from bit 4 of the
/// last chunk; bit 5 (`0x20`) marks "more chunks follow"; each chunk is offset by `'0'` (48)
/// so the string is printable ASCII in `'0'...'o'`. From the fourth count on (`i > 2`) the
/// value written is `counts[i] − counts[i−2]`, which keeps typical strings short.
extension RLE {
    /// The compressed counts string, byte-for-byte what pycocotools writes.
    public var compressed: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(counts.count * 2)
        for i in counts.indices {
            var x = Int64(counts[i])
            if i > 2 { x -= Int64(counts[i - 2]) }
            var more = true
            while more {
                var chunk = UInt8(truncatingIfNeeded: x & 0x1f)
                x >>= 5  // arithmetic shift: negative deltas end on a chunk of set sign bits
                more = (chunk & 0x10) != 0 ? x != -1 : x != 0
                if more { chunk |= 0x20 }
                bytes.append(chunk + 48)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a compressed counts string for a `width`×`height` mask.
    ///
    /// - Parameters:
    ///   - compressed: the COCO `counts` string.
    ///   - source: names the data in error messages (file and JSON path).
    /// - Throws: ``MaskError`` on a character outside `'0'...'o'`, a string ending inside a
    ///   number, a negative or over-large count, or counts that do not sum to `width·height`.
    public init(compressed: String, width: Int, height: Int, source: String = "<memory>") throws {
        try Self.checkSize(width: width, height: height, source: source)
        var counts: [UInt32] = []
        counts.reserveCapacity(compressed.utf8.count / 2)
        _ = try Self.scanCompressed(compressed, width: width, height: height, source: source, counts: &counts, keep: true)
        self.init(width: width, height: height, counts: counts)
    }

    /// The foreground area of a compressed counts string, validated exactly as
    /// ``init(compressed:width:height:source:)`` validates it but without building the mask:
    /// an importer that keeps the string as written only needs to know it is sound.
    ///
    /// - Parameter source: evaluated only to name the data in an error.
    /// - Throws: the same ``MaskError``s as ``init(compressed:width:height:source:)``.
    public static func compressedArea(_ compressed: String, width: Int, height: Int,
                                      source: @autoclosure () -> String) throws -> Int {
        try checkSize(width: width, height: height, source: source())
        var unused: [UInt32] = []
        return try scanCompressed(compressed, width: width, height: height, source: source(), counts: &unused, keep: false)
    }

    /// Decodes `compressed`, checking characters, ranges and the total, and returns the area
    /// (the sum of the odd-numbered counts); appends the counts to `counts` when `keep` is set.
    /// Allocates nothing else for a native (contiguous) string.
    private static func scanCompressed(_ compressed: String, width: Int, height: Int, source: @autoclosure () -> String,
                                       counts: inout [UInt32], keep: Bool) throws -> Int {
        var text = compressed
        return try text.withUTF8 { bytes in
            // Characters first, in one branch-free (vectorisable) pass; the decoder below can
            // then skip the per-byte check. Only a bad string pays for finding the culprit.
            var outside: UInt8 = 0
            for byte in bytes { outside |= (byte &- 48) & 0xC0 }
            if outside != 0, let p = bytes.firstIndex(where: { $0 < 48 || $0 >= 48 + 64 }) {
                throw MaskError.invalidCharacter(source: source(), character: Character(Unicode.Scalar(bytes[p])), offset: p)
            }
            var sum: Int64 = 0, area = 0
            var index = 0
            var previous: Int64 = 0, beforePrevious: Int64 = 0   // counts[index - 1], counts[index - 2]
            var p = 0
            while p < bytes.count {
                var x: Int64 = 0
                var k = 0
                var more = true
                while more {
                    guard p < bytes.count else { throw MaskError.truncatedString(source: source(), offset: p) }
                    let byte = bytes[p]
                    // 7 chunks (35 bits) hold any delta between two 32-bit counts.
                    guard k < 7 else { throw MaskError.countOutOfRange(source: source(), index: index, value: Int64.max) }
                    let chunk = Int64(byte - 48)
                    x |= (chunk & 0x1f) << (5 * k)
                    more = (chunk & 0x20) != 0
                    p += 1
                    k += 1
                    if !more && (chunk & 0x10) != 0 { x |= -1 << (5 * k) }
                }
                if index > 2 { x += beforePrevious }
                guard x >= 0, x <= Int64(UInt32.max) else {
                    throw MaskError.countOutOfRange(source: source(), index: index, value: x)
                }
                if keep { counts.append(UInt32(x)) }
                if index & 1 == 1 { area += Int(x) }
                sum += x
                beforePrevious = previous
                previous = x
                index += 1
            }
            guard sum == Int64(width) * Int64(height) else {
                throw MaskError.countSumMismatch(source: source(), sum: sum, width: width, height: height)
            }
            return area
        }
    }
}
