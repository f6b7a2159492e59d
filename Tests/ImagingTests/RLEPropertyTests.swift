import Imaging
import Testing
import TestSupport

/// A random mask: noise of a random density, or a few rectangles (long runs).
func randomTestMask(_ rng: inout SplitMix64) -> Mask {
    let w = Int.random(in: 0...40, using: &rng), h = Int.random(in: 0...40, using: &rng)
    if Bool.random(using: &rng) {
        let density = Double.random(in: 0...1, using: &rng)
        return Mask(width: w, height: h) { _, _ in Double.random(in: 0..<1, using: &rng) < density }
    }
    var mask = Mask(width: w, height: h)
    guard w > 0, h > 0 else { return mask }
    for _ in 0..<Int.random(in: 0...3, using: &rng) {
        let x0 = Int.random(in: 0..<w, using: &rng), y0 = Int.random(in: 0..<h, using: &rng)
        let x1 = Int.random(in: x0..<w, using: &rng), y1 = Int.random(in: y0..<h, using: &rng)
        for y in y0...y1 { for x in x0...x1 { mask[x, y] = true } }
    }
    return mask
}

@Test(arguments: [1 as UInt64, 2, 3, 42, 2023])
func decodeOfEncodeIsIdentity(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for trial in 0..<200 {
        let mask = randomTestMask(&rng)
        let rle = RLE(mask: mask)
        #expect(rle.decode() == mask, "seed \(seed) trial \(trial)")
        #expect(rle.area == mask.area, "seed \(seed) trial \(trial): area vs popcount")
        #expect(rle.counts.reduce(0) { $0 + Int($1) } == mask.width * mask.height, "seed \(seed) trial \(trial)")
        let parsed = try RLE(compressed: rle.compressed, width: mask.width, height: mask.height)
        #expect(parsed == rle, "seed \(seed) trial \(trial): string round trip")
        if let box = mask.boundingBox {
            #expect(rle.bbox[0] == Double(box.x) && rle.bbox[2] == Double(box.width),
                    "seed \(seed) trial \(trial): bbox x-range")
        }
    }
}

@Test(arguments: [7 as UInt64, 99])
func mergeAgreesWithPixelOperations(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for trial in 0..<100 {
        let w = Int.random(in: 1...30, using: &rng), h = Int.random(in: 1...30, using: &rng)
        let masks = (0..<Int.random(in: 2...4, using: &rng)).map { _ in
            Mask(width: w, height: h) { _, _ in Bool.random(using: &rng) && Bool.random(using: &rng) }
        }
        let rles = masks.map(RLE.init(mask:))
        let union = masks.dropFirst().reduce(masks[0]) { $0.union($1) }
        let inter = masks.dropFirst().reduce(masks[0]) { $0.intersection($1) }
        #expect(RLE.merge(rles).decode() == union, "seed \(seed) trial \(trial)")
        #expect(RLE.merge(rles, intersect: true).decode() == inter, "seed \(seed) trial \(trial)")
        // Merged counts are canonical: the same as encoding the merged mask.
        #expect(RLE.merge(rles) == RLE(mask: union), "seed \(seed) trial \(trial): canonical")
    }
}

@Test func edgeSizes() throws {
    let empty = RLE(mask: Mask(width: 0, height: 0))
    #expect(empty.counts == [0] && empty.compressed == "0" && empty.area == 0)
    #expect(try RLE(compressed: "0", width: 0, height: 0).decode() == Mask(width: 0, height: 0))
    let one = Mask(width: 1, height: 1, pixels: [1])
    #expect(RLE(mask: one).counts == [0, 1])
    #expect(RLE(mask: one).bbox == [0, 0, 1, 1])
    #expect(RLE.merge([]).width == 0)
    #expect(RLE.fromPolygons([], width: 3, height: 2).area == 0)
}

/// `compressedArea` measures what `RLE(compressed:)` decodes, and rejects what it rejects.
@Test(arguments: [5 as UInt64, 17])
func compressedAreaAgreesWithDecoding(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for trial in 0..<200 {
        let rle = RLE(mask: randomTestMask(&rng))
        #expect(try RLE.compressedArea(rle.compressed, width: rle.width, height: rle.height, source: "t") == rle.area,
                "seed \(seed) trial \(trial)")
    }
    for (text, width, height) in [("12~", 2, 2), ("P", 4, 4), ("11", 3, 3), (String(repeating: "`", count: 8) + "0", 1, 1)] {
        var decodeError: MaskError?, areaError: MaskError?
        do { _ = try RLE(compressed: text, width: width, height: height, source: "s") } catch let e as MaskError { decodeError = e }
        do { _ = try RLE.compressedArea(text, width: width, height: height, source: "s") } catch let e as MaskError { areaError = e }
        #expect(decodeError != nil && decodeError == areaError, "\(text)")
    }
}
