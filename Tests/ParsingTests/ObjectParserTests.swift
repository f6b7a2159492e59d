import Testing
import TestSupport
@testable import Parsing

/// A 6×6 target whose top rows look like "head" (direction e0), bottom rows like "leg" (e1),
/// with noise; the left column is off the object. Bases carry the same two parts.
private func scene(noise: Float, seed: UInt64) -> (TargetObject, [BaseObject]) {
    var rng = SplitMix64(seed: seed)
    let dim = 8
    func vector(_ axis: Int) -> [Float] {
        (0..<dim).map { d in (d == axis ? 1 : 0) + Float.random(in: -noise...noise, using: &rng) }
    }
    var descriptors = [Float](), fgGrid = [UInt8]()
    for r in 0..<6 { for c in 0..<6 {
        descriptors += vector(r < 3 ? 0 : 1)
        fgGrid.append(c == 0 ? 0 : 1)
    } }
    // Pixel mask at 4 pixels per patch, matching the grid foreground.
    var fg = [UInt8](repeating: 0, count: 24 * 24)
    for y in 0..<24 { for x in 4..<24 { fg[y * 24 + x] = 1 } }
    let target = TargetObject(descriptors: descriptors, gridH: 6, gridW: 6, foregroundGrid: fgGrid,
                              foreground: fg, height: 24, width: 24)
    var bases: [BaseObject] = []
    for b in 0..<2 {
        var d = [Float](), labels = [Int32]()
        for i in 0..<12 {
            let cls: Int32 = i < 5 ? 1 : (i < 10 ? 2 : 0)
            d += vector(cls == 1 ? 0 : (cls == 2 ? 1 : 2 + b))
            labels.append(cls)
        }
        bases.append(BaseObject(annotationID: Int64(100 + b), descriptors: Retrieval.normalizedRows(d, dim: dim),
                                labels: labels))
    }
    return (target, bases)
}

@Test(arguments: [ParseMethod.cluster, .nn])
func partsLandWhereTheirDescriptorsSay(method: ParseMethod) {
    let (target, bases) = scene(noise: 0.2, seed: 3)
    var parameters = ParseParameters()
    parameters.method = method
    let parts = ObjectParser.parse(target, bases: bases, parts: 3, parameters: parameters)
    #expect(parts.map(\.classIndex) == [1, 2], "\(method): part 3 has no base patch and must be absent")
    guard parts.count == 2 else { return }
    // Expected: head on rows 0-11 and leg on rows 12-23, columns 4-23.
    for (part, rowsRange) in zip(parts, [0..<12, 12..<24]) {
        var inter = 0, union = 0
        for y in 0..<24 { for x in 0..<24 {
            let truth = rowsRange.contains(y) && x >= 4
            let got = part.mask[y * 24 + x] != 0
            if truth && got { inter += 1 }
            if truth || got { union += 1 }
        } }
        #expect(Double(inter) / Double(union) > 0.85, "\(method) part \(part.classIndex): IoU \(Double(inter) / Double(union))")
        #expect(part.score > 0.5 && part.score <= 1)
        // Nothing outside the object.
        for y in 0..<24 { for x in 0..<4 { #expect(part.mask[y * 24 + x] == 0) } }
    }
}

@Test func parsingIsDeterministicAndEmptyInputsGiveNothing() {
    let (target, bases) = scene(noise: 0.3, seed: 9)
    let a = ObjectParser.parse(target, bases: bases, parts: 3)
    let b = ObjectParser.parse(target, bases: bases, parts: 3)
    #expect(a.map(\.mask) == b.map(\.mask))
    #expect(ObjectParser.parse(target, bases: [], parts: 3).isEmpty)
    let empty = TargetObject(descriptors: target.descriptors, gridH: 6, gridW: 6,
                             foregroundGrid: [UInt8](repeating: 0, count: 36),
                             foreground: target.foreground, height: 24, width: 24)
    #expect(ObjectParser.parse(empty, bases: bases, parts: 3).isEmpty)
}

@Test func largestComponentKeepsOneRegionPerLabel() {
    let grid = [1, 1, 0, 1,
                1, 0, 0, 0,
                0, 0, 2, -1,
                2, 0, 2, -1]
    let kept = PostProcess.largestComponentPerLabel(grid, rows: 4, cols: 4)
    // Label 1: the 3-patch blob wins over the single patch; label 2: diagonal neighbours join (8-connectivity)
    // so (2,2),(3,2) form one region of 2, beating the lone (3,0).
    #expect(kept == [1, 1, 0, 0,
                     1, 0, 0, 0,
                     0, 0, 2, -1,
                     0, 0, 2, -1])
}

@Test func geometricPriorStretchesAndVotes() {
    // Two 2×2 layouts: head on top, leg below; one of them mirrored puts head on the right.
    let a = GeometricPrior.Layout(labels: [1, 1, 2, 2], width: 2, height: 2)
    let b = GeometricPrior.Layout(labels: [1, 1, 2, 2], width: 2, height: 2)
    let fg: [UInt8] = [1, 1, 1, 1,  1, 1, 1, 1,  1, 1, 1, 1,  0, 1, 1, 1]
    let labels = GeometricPrior.labels(layouts: [a, b], classes: 3, foreground: fg, width: 4, height: 4)
    #expect(labels == [1, 1, 1, 1,  1, 1, 1, 1,  2, 2, 2, 2,  -1, 2, 2, 2])
    let mirrored = GeometricPrior.Layout(labels: [1, -1, 1, 2], width: 2, height: 2, mirrored: true)
    let m = GeometricPrior.labels(layouts: [mirrored], classes: 3, foreground: [1, 1, 1, 1], width: 2, height: 2)
    #expect(m == [0, 1, 2, 1])
}

/// A part name repeated in a borrow (a reviewer's `body,body=neck`) is one class fed by both
/// base parts, at the place of its first mention.
@Test func borrowPlanFoldsRepeatedPartNames() {
    let plan = BorrowPlan.folding(targetCategoryID: 7, baseCategoryID: 3, partNames: ["body", "neck", "cap", "body"],
                                  basePartCategoryIDs: [10, 11, 12, 13])
    #expect(plan.partNames == ["body", "neck", "cap"])
    #expect(plan.basePartCategoryIDs == [[10, 13], [11], [12]])
    #expect(plan.baseCategoryIDs == [3] && plan.targetCategoryID == 7)
}
