import Foundation
import Imaging
import Store
import Testing
import TestSupport
@testable import Segmenter

@Test func selectionWeighsLabelsBySourceAndStatus() {
    func label(_ source: LabelSource, _ status: LabelStatus, score: Double? = nil, run: Int64? = nil) -> Annotation {
        Annotation(imageID: 1, categoryID: 1, level: .part, bbox: [0, 0, 1, 1], rle: "", area: 1, score: score,
                   source: source, runID: run, status: status)
    }
    var s = LabelSelection()
    s.parsedWeight = 0.25
    #expect(s.weight(of: label(.gold, .pending)) == 1)
    #expect(s.weight(of: label(.parsed, .pending, score: 0.5)) == 0.25)
    #expect(s.weight(of: label(.parsed, .accepted)) == 1)
    #expect(s.weight(of: label(.parsed, .rejected)) == nil)
    #expect(s.weight(of: label(.gold, .rejected)) == nil)
    #expect(s.weight(of: label(.predicted, .pending)) == nil)
    s.minScore = 0.6
    s.runID = 2
    #expect(s.weight(of: label(.parsed, .pending, score: 0.5, run: 2)) == nil)
    #expect(s.weight(of: label(.parsed, .pending, score: 0.7, run: 2)) == 0.25)
    #expect(s.weight(of: label(.parsed, .pending, score: 0.7, run: 3)) == nil)
    s.gold = false
    #expect(s.weight(of: label(.gold, .accepted)) == nil)
}

/// Cells take the majority label; object pixels under no part are "unknown" (-1); weak parts
/// carry their weight.
@Test func patchTargetsTakeTheMajorityPerCell() throws {
    let w = 8, h = 4
    func rle(_ predicate: (Int, Int) -> Bool) -> String { RLE(mask: Mask(width: w, height: h, where: predicate)).compressed }
    let image = LabelledTrainingImage(
        imageID: 1, imagePath: "x.png", width: w, height: h,
        objects: [(rle { x, _ in x < 6 }, 1)],
        parts: [(rle { x, y in x < 2 && y < 2 }, 2, 0.1), (rle { x, y in x >= 2 && x < 4 && y < 3 }, 1, 1)],
        hasWeakLabels: true)
    let t = try image.patchTargets(gridH: 2, gridW: 4)   // cells of 2×2 pixels
    #expect(t.object == [1, 1, 1, 0, 1, 1, 1, 0])
    // Cell (1, 1) is a 2–2 tie between part 1 and "unknown": the smaller label wins.
    #expect(t.part == [2, 1, -1, 0, -1, -1, -1, 0])
    #expect(t.weight == [0.1, 1, 1, 1, 1, 1, 1, 1])
}
