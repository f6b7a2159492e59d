import Imaging
import Testing
import TestSupport

/// Parses rows like `".#."` into a mask (`#` set).
func mask(_ rows: [String]) -> Mask {
    let h = rows.count, w = rows.first?.count ?? 0
    return Mask(width: w, height: h, pixels: rows.flatMap { $0.map { $0 == "#" ? UInt8(1) : 0 } })
}

@Test func areaBoxAndSubscript() {
    var m = Mask(width: 5, height: 4)
    #expect(m.area == 0 && m.boundingBox == nil && m.isEmpty)
    m[1, 2] = true
    m[3, 1] = true
    #expect(m.area == 2)
    #expect(m.boundingBox! == (x: 1, y: 1, width: 3, height: 2))
    #expect(m[1, 2] && !m[2, 2])
    #expect(Mask(width: 2, height: 1, pixels: [7, 0]).pixels == [1, 0], "non-zero bytes normalise to 1")
}

@Test func setOperationsAndIoU() {
    let a = mask(["##..", "##.."]), b = mask([".##.", ".##."])
    #expect(a.union(b) == mask(["###.", "###."]))
    #expect(a.intersection(b) == mask([".#..", ".#.."]))
    #expect(a.subtracting(b) == mask(["#...", "#..."]))
    #expect(a.inverted == mask(["..##", "..##"]))
    #expect(a.iou(b) == 2.0 / 6.0)
    #expect(Mask(width: 2, height: 2).iou(Mask(width: 2, height: 2)) == 0)
}

@Test func cropAndPasteClipAtBorders() {
    let m = mask(["#..", ".#.", "..#"])
    #expect(m.cropped(x: 1, y: 1, width: 2, height: 2) == mask(["#.", ".#"]))
    #expect(m.cropped(x: -1, y: -1, width: 2, height: 2) == mask(["..", ".#"]))
    #expect(m.cropped(x: 5, y: 5, width: 2, height: 1) == Mask(width: 2, height: 1))
    var canvas = Mask(width: 4, height: 3)
    canvas.paste(mask(["##", "##"]), x: 3, y: -1)
    #expect(canvas == mask(["...#", "....", "...."]))
    var over = mask(["####", "####"])
    over.paste(mask([".#"]), x: 1, y: 1)
    #expect(over == mask(["####", "#.##"]))
    over.paste(mask(["#."]), x: 1, y: 1, union: true)
    #expect(over == mask(["####", "####"]))
}

@Test func nearestResizeFollowsPyTorch() {
    // F.interpolate(nearest) 3 → 5: source = floor(i * 0.6) = 0 0 1 1 2.
    let row = mask(["#.#"])
    #expect(row.resizedNearest(width: 5, height: 1) == mask(["##..#"]))
    // 5 → 2: floor(i * 2.5) = 0, 2.
    #expect(mask(["#.#.."]).resizedNearest(width: 2, height: 1) == mask(["##"]))
    #expect(mask([".#.#."]).resizedNearest(width: 2, height: 1) == mask([".."]))
}

@Test func anyPixelDownscaleKeepsThinParts() {
    let thin = mask([".....#..", "........", "........", "........"])
    #expect(thin.resizedNearest(width: 2, height: 2).isEmpty)
    #expect(thin.resizedAny(width: 2, height: 2) == mask([".#", ".."]))
    // Non-integral ratio: 5 → 2 uses cells [0, 3) and [2, 5), overlapping at 2.
    #expect(mask(["..#.."]).resizedAny(width: 2, height: 1) == mask(["##"]))
    #expect(mask(["...#."]).resizedAny(width: 2, height: 1) == mask([".#"]))
}

@Test func dilationAndErosion() {
    let dot = mask([".....", ".....", "..#..", ".....", "....."])
    let square = mask([".....", ".###.", ".###.", ".###.", "....."])
    #expect(dot.dilated() == square)
    #expect(square.eroded() == dot)
    #expect(dot.dilated(iterations: 2) == Mask(width: 5, height: 5, pixels: .init(repeating: 1, count: 25)))
    // Outside counts as background: a full mask erodes at its border.
    #expect(Mask(width: 3, height: 3, pixels: .init(repeating: 1, count: 9)).eroded() == mask(["...", ".#.", "..."]))
    #expect(square.boundary == mask([".....", ".###.", ".#.#.", ".###.", "....."]))
}

@Test(arguments: [5 as UInt64, 6])
func morphologyProperties(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for trial in 0..<50 {
        let m = randomMask(&rng)
        // Erosion is anti-extensive, dilation extensive; opening never grows the mask.
        #expect(m.eroded().subtracting(m).isEmpty, "seed \(seed) trial \(trial)")
        #expect(m.subtracting(m.dilated()).isEmpty, "seed \(seed) trial \(trial)")
        #expect(m.eroded().dilated().subtracting(m).isEmpty, "seed \(seed) trial \(trial)")
    }
}
