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
    var parameters = ParseParameters()   // every patch labelled by its own votes
    let parts = ObjectParser.parse(target, bases: [base], parts: 2, parameters: parameters)
    #expect(parts.map(\.classIndex) == [1, 2])
    #expect(parts.first?.mask == (0..<64).map { UInt8($0 < 32 ? 1 : 0) }, "part 1 is the top half")
    parameters.positionWeight = 0
    parameters.priorWeight = 0
    let blind = ObjectParser.parse(target, bases: [base], parts: 2, parameters: parameters)
    #expect(blind.count == 1, "without position, identical descriptors give one part: \(blind.map(\.classIndex))")
}

@Test func priorVotesFollowTheBaseLayoutAndItsFacing() throws {
    // A 2×2 grid; the base's left column is part 1, its right column part 2.
    let base = BaseObject(annotationID: 1, descriptors: [1, 0, 1, 0, 1, 0, 1, 0], labels: [1, 2, 1, 2])
    let corr = Correspondence(target: [1, 0, 1, 0], base: [1, 0], dim: 2, m: 1)
    let bankLabels: [Int32] = [0]
    var votes = PartVotes(correspondence: corr, baseLabels: bankLabels, parts: 2)
    // Target patches 0 (top left) and 3 (bottom right); the base as it is, weight 4.
    ObjectParser.addPriorVotes(&votes, bases: [base], mirrored: [false], fgPatches: [0, 3], gridW: 2, gridCount: 4, weight: 4)
    #expect(votes.winner(0) == 1 && votes.winner(1) == 2)
    #expect(votes.weights[0 * 3 + 1] == 4 && votes.weights[1 * 3 + 2] == 4)
    // Mirrored, the sides swap; two bases share the weight.
    var mirrored = PartVotes(correspondence: corr, baseLabels: bankLabels, parts: 2)
    ObjectParser.addPriorVotes(&mirrored, bases: [base, base], mirrored: [true, true], fgPatches: [0, 3], gridW: 2,
                               gridCount: 4, weight: 4)
    #expect(mirrored.winner(0) == 2 && mirrored.winner(1) == 1)
    #expect(mirrored.weights[0 * 3 + 2] == 4)
    // A base on another grid casts no prior vote.
    let other = BaseObject(annotationID: 2, descriptors: [1, 0], labels: [1])
    var none = PartVotes(correspondence: corr, baseLabels: bankLabels, parts: 2)
    ObjectParser.addPriorVotes(&none, bases: [other], mirrored: [false], fgPatches: [0, 3], gridW: 2, gridCount: 4, weight: 4)
    #expect(none.weights == PartVotes(correspondence: corr, baseLabels: bankLabels, parts: 2).weights)
}

/// By default every patch takes its own vote; k-means clusters are labelled as a whole. Here the
/// descriptors are all alike and only the base's layout (prior votes) tells the halves apart, so
/// one cluster must take one label while per-patch votes follow the layout.
@Test func patchesTakeTheirOwnVotesUnlessClustered() {
    let descriptors: [Float] = (0..<64).map { $0 % 4 == 0 ? 1 : 0 }
    let target = TargetObject(descriptors: descriptors, gridH: 4, gridW: 4, foregroundGrid: [UInt8](repeating: 1, count: 16),
                              foreground: [UInt8](repeating: 1, count: 64), height: 8, width: 8)
    let base = BaseObject(annotationID: 1, descriptors: descriptors, labels: (0..<16).map { Int32($0 < 8 ? 1 : 2) })
    var parameters = ParseParameters()
    parameters.positionWeight = 0
    parameters.priorWeight = 10   // above the 8 of 10 tied neighbours' votes that fall on part 1
    parameters.facing = .silhouette
    let perPatch = ObjectParser.parse(target, bases: [base], parts: 2, parameters: parameters, mirrored: [false])
    #expect(perPatch.map(\.classIndex) == [1, 2])
    #expect(perPatch.first?.mask == (0..<64).map { UInt8($0 < 32 ? 1 : 0) }, "part 1 is the top half")
    parameters.clusters = 8
    let clustered = ObjectParser.parse(target, bases: [base], parts: 2, parameters: parameters, mirrored: [false])
    #expect(clustered.count == 1, "identical rows make one k-means cluster: \(clustered.map(\.classIndex))")
}
