import Imaging
import Testing
import TestSupport

/// Parses rows like `".#."` into a mask (`#` set).
func maskFromRows(_ rows: [String]) -> Mask {
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
    let a = maskFromRows(["##..", "##.."]), b = maskFromRows([".##.", ".##."])
    #expect(a.union(b) == maskFromRows(["###.", "###."]))
    #expect(a.intersection(b) == maskFromRows([".#..", ".#.."]))
    #expect(a.subtracting(b) == maskFromRows(["#...", "#..."]))
    #expect(a.inverted == maskFromRows(["..##", "..##"]))
    #expect(a.iou(b) == 2.0 / 6.0)
    #expect(Mask(width: 2, height: 2).iou(Mask(width: 2, height: 2)) == 0)
}

@Test func cropAndPasteClipAtBorders() {
    let m = maskFromRows(["#..", ".#.", "..#"])
    #expect(m.cropped(x: 1, y: 1, width: 2, height: 2) == maskFromRows(["#.", ".#"]))
    #expect(m.cropped(x: -1, y: -1, width: 2, height: 2) == maskFromRows(["..", ".#"]))
    #expect(m.cropped(x: 5, y: 5, width: 2, height: 1) == Mask(width: 2, height: 1))
    var canvas = Mask(width: 4, height: 3)
    canvas.paste(maskFromRows(["##", "##"]), x: 3, y: -1)
    #expect(canvas == maskFromRows(["...#", "....", "...."]))
    var over = maskFromRows(["####", "####"])
    over.paste(maskFromRows([".#"]), x: 1, y: 1)
    #expect(over == maskFromRows(["####", "#.##"]))
    over.paste(maskFromRows(["#."]), x: 1, y: 1, union: true)
    #expect(over == maskFromRows(["####", "####"]))
}

@Test func nearestResizeFollowsPyTorch() {
    // F.interpolate(nearest) 3 → 5: source = floor(i * 0.6) = 0 0 1 1 2.
    let row = maskFromRows(["#.#"])
    #expect(row.resizedNearest(width: 5, height: 1) == maskFromRows(["##..#"]))
    // 5 → 2: floor(i * 2.5) = 0, 2.
    #expect(maskFromRows(["#.#.."]).resizedNearest(width: 2, height: 1) == maskFromRows(["##"]))
    #expect(maskFromRows([".#.#."]).resizedNearest(width: 2, height: 1) == maskFromRows([".."]))
}

@Test func anyPixelDownscaleKeepsThinParts() {
    let thin = maskFromRows([".....#..", "........", "........", "........"])
    #expect(thin.resizedNearest(width: 2, height: 2).isEmpty)
    #expect(thin.resizedAny(width: 2, height: 2) == maskFromRows([".#", ".."]))
    // Non-integral ratio: 5 → 2 uses cells [0, 3) and [2, 5), overlapping at 2.
    #expect(maskFromRows(["..#.."]).resizedAny(width: 2, height: 1) == maskFromRows(["##"]))
    #expect(maskFromRows(["...#."]).resizedAny(width: 2, height: 1) == maskFromRows([".#"]))
}

@Test func dilationAndErosion() {
    let dot = maskFromRows([".....", ".....", "..#..", ".....", "....."])
    let square = maskFromRows([".....", ".###.", ".###.", ".###.", "....."])
    #expect(dot.dilated() == square)
    #expect(square.eroded() == dot)
    #expect(dot.dilated(iterations: 2) == Mask(width: 5, height: 5, pixels: .init(repeating: 1, count: 25)))
    // Outside counts as background: a full mask erodes at its border.
    #expect(Mask(width: 3, height: 3, pixels: .init(repeating: 1, count: 9)).eroded() == maskFromRows(["...", ".#.", "..."]))
    #expect(square.boundary == maskFromRows([".....", ".###.", ".#.#.", ".###.", "....."]))
}

@Test(arguments: [5 as UInt64, 6])
func morphologyProperties(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for trial in 0..<50 {
        let m = randomTestMask(&rng)
        // Erosion is anti-extensive, dilation extensive; opening never grows the mask.
        #expect(m.eroded().subtracting(m).isEmpty, "seed \(seed) trial \(trial)")
        #expect(m.subtracting(m.dilated()).isEmpty, "seed \(seed) trial \(trial)")
        #expect(m.eroded().dilated().subtracting(m).isEmpty, "seed \(seed) trial \(trial)")
    }
}
