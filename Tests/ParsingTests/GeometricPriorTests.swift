import Testing
@testable import Parsing

/// A 4×2 base layout facing right: part 1 at the back (x 0–1), part 2 at the front (x 2),
/// nothing at x 3 (off the object).
private let facingRight = GeometricPrior.Layout(labels: [1, 1, 2, -1,
                                                         1, 1, 2, -1], width: 4, height: 2)

@Test func priorTurnsALayoutToTheTargetsSilhouette() {
    // The target occupies x 1–3: the mirror image of the layout's silhouette.
    let mirroredTarget: [UInt8] = [0, 1, 1, 1,
                                   0, 1, 1, 1]
    #expect(GeometricPrior.facing(facingRight, foreground: mirroredTarget, width: 4, height: 2).mirrored)
    let sameWay: [UInt8] = [1, 1, 1, 0,
                            1, 1, 1, 0]
    #expect(!GeometricPrior.facing(facingRight, foreground: sameWay, width: 4, height: 2).mirrored)
    // A symmetric target is a tie: the layout stays as it is.
    #expect(!GeometricPrior.facing(facingRight, foreground: [UInt8](repeating: 1, count: 8), width: 4, height: 2).mirrored)

    let parts = GeometricPrior.parse(layouts: [facingRight], parts: 2, foreground: mirroredTarget, width: 4, height: 2)
    #expect(parts.map(\.classIndex) == [1, 2])
    #expect(parts[0].mask == [0, 0, 1, 1, 0, 0, 1, 1])
    #expect(parts[1].mask == [0, 1, 0, 0, 0, 1, 0, 0])
    #expect(parts.allSatisfy { $0.score == 1 }, "one layout agrees with itself everywhere")
}

@Test func priorScoresAgreementAndDropsAbsentOrTinyParts() {
    // Two layouts stretched onto an 8×2 box: they agree on part 1 at the back and disagree at
    // the front (part 2 against "no part"); part 3 appears in neither.
    let other = GeometricPrior.Layout(labels: [1, 1, 0, -1,
                                               1, 1, 0, -1], width: 4, height: 2)
    let fg: [UInt8] = [1, 1, 1, 1, 1, 1, 0, 0,
                       1, 1, 1, 1, 1, 1, 0, 0]
    let parts = GeometricPrior.parse(layouts: [facingRight, other], parts: 3, foreground: fg, width: 8, height: 2)
    #expect(parts.map(\.classIndex) == [1], "a 1–1 tie goes to the lower class (no part), part 3 is never invented")
    #expect(parts.first?.score == 1)
    #expect(parts.first?.mask == [1, 1, 1, 1, 0, 0, 0, 0,
                                  1, 1, 1, 1, 0, 0, 0, 0])
    let three = GeometricPrior.parse(layouts: [facingRight, facingRight, other], parts: 3, foreground: fg, width: 8, height: 2)
    #expect(three.map(\.classIndex) == [1, 2])
    #expect(abs((three.last?.score ?? 0) - 2.0 / 3) < 1e-6, "two of three covering layouts vote for part 2")
    // A part under the size floor is dropped.
    #expect(GeometricPrior.parse(layouts: [facingRight, facingRight, other], parts: 3, foreground: fg, width: 8, height: 2,
                                 minPartFraction: 0.4).map(\.classIndex) == [1])
    #expect(GeometricPrior.parse(layouts: [], parts: 3, foreground: fg, width: 8, height: 2).isEmpty)
}
