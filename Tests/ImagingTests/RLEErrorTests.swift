import Imaging
import Testing

@Test func invalidCharacterIsReported() {
    #expect(throws: MaskError.invalidCharacter(source: "a.json", character: "~", offset: 2)) {
        try RLE(compressed: "12~", width: 2, height: 2, source: "a.json")
    }
    let error = MaskError.invalidCharacter(source: "a.json", character: "~", offset: 2)
    #expect(error.description.hasPrefix("a.json: invalid character"))
    #expect(!error.description.contains("\n"))
}

@Test func truncatedStringIsReported() {
    // 'P' is 32 + 0: the "more" bit is set, so the string must continue.
    #expect(throws: MaskError.truncatedString(source: "<memory>", offset: 1)) {
        try RLE(compressed: "P", width: 4, height: 4)
    }
}

@Test func countsMustCoverTheMask() throws {
    let good = RLE(mask: Mask(width: 3, height: 3) { x, y in x == y })
    #expect(throws: MaskError.self) { try RLE(compressed: good.compressed, width: 4, height: 3) }
    #expect(throws: MaskError.countSumMismatch(source: "f", sum: 5, width: 2, height: 2)) {
        try RLE(uncompressedCounts: [1, 4], width: 2, height: 2, source: "f")
    }
    #expect(throws: MaskError.countOutOfRange(source: "f", index: 1, value: -1)) {
        try RLE(uncompressedCounts: [5, -1], width: 2, height: 2, source: "f")
    }
    #expect(throws: MaskError.invalidSize(source: "f", width: -1, height: 2)) {
        try RLE(uncompressedCounts: [], width: -1, height: 2, source: "f")
    }
}

@Test func negativeDecodedCountIsReported() {
    // Counts 4, 4, 4, then a delta of -5 from counts[1]: 4 - 5 = -1.
    var bytes: [UInt8] = [52, 52, 52]
    bytes.append(UInt8(((-5) & 0x1f) + 48))  // one chunk, sign bit set, no continuation
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(throws: MaskError.countOutOfRange(source: "<memory>", index: 3, value: -1)) {
        try RLE(compressed: text, width: 1, height: 11)
    }
}

@Test func overlongNumberIsRejected() {
    // Eight continuation chunks cannot be a 32-bit count.
    #expect(throws: MaskError.self) { try RLE(compressed: String(repeating: "`", count: 8) + "0", width: 1, height: 1) }
}

@Test func badPolygonsAreReported() throws {
    try RLE.validatePolygons([[1, 1, 5, 1, 5, 5]], width: 10, height: 10)
    #expect(throws: MaskError.self) { try RLE.validatePolygons([[1, .nan, 5, 1, 5, 5]], width: 10, height: 10) }
    #expect(throws: MaskError.self) { try RLE.validatePolygons([[1, 1, 5e9, 1, 5, 5]], width: 10, height: 10) }
    let error = MaskError.invalidPolygon(source: "x.json: annotations[3]", polygon: 0, reason: "coordinate nan is not finite")
    #expect(error.description == "x.json: annotations[3]: polygon 0: coordinate nan is not finite")
}
