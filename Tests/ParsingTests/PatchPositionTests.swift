import Testing
import TestSupport
@testable import Parsing

@Test func patchPositionAppendsBoxCoordinatesAndMirrors() {
    // Two unit rows on a 2×2 grid: patch 0 (top left) and patch 3 (bottom right, mirrored).
    let rows = PatchPosition.appending([1, 0,  0, 1], dim: 2, positions: [(0, false), (3, true)], gridW: 2, gridH: 2,
                                       weight: 2)
    // Centres at ±0.5, weight 2: (1, 0, −1, −1) and (0, 1, −1, 1), renormalised by √3.
    let n = Float(3).squareRoot()
    expectClose(rows, [1 / n, 0, -1 / n, -1 / n,  0, 1 / n, -1 / n, 1 / n], atol: 1e-6, rtol: 0)
    #expect(PatchPosition.appending([1, 0], dim: 2, positions: [(1, false)], gridW: 2, gridH: 1, weight: 0) == [1, 0, 0, 0])
}

@Test func positionSeparatesPartsThatLookAlike() {
    // Every patch has the same descriptor; the base's top half is part 1, its bottom half part 2.
    // Only where a patch sits can tell them apart.
    let descriptors: [Float] = (0..<64).map { $0 % 4 == 0 ? 1 : 0 }
    let target = TargetObject(descriptors: descriptors, gridH: 4, gridW: 4, foregroundGrid: [UInt8](repeating: 1, count: 16),
                              foreground: [UInt8](repeating: 1, count: 64), height: 8, width: 8)
    let base = BaseObject(annotationID: 1, descriptors: descriptors, labels: (0..<16).map { Int32($0 < 8 ? 1 : 2) })
    var parameters = ParseParameters()
    parameters.clusters = 16   // one patch per cluster: the test is about matching, not k-means
    let parts = ObjectParser.parse(target, bases: [base], parts: 2, parameters: parameters)
    #expect(parts.map(\.classIndex) == [1, 2])
    #expect(parts.first?.mask == (0..<64).map { UInt8($0 < 32 ? 1 : 0) }, "part 1 is the top half")
    parameters.positionWeight = 0
    let blind = ObjectParser.parse(target, bases: [base], parts: 2, parameters: parameters)
    #expect(blind.count == 1, "without position, identical descriptors give one part: \(blind.map(\.classIndex))")
}
