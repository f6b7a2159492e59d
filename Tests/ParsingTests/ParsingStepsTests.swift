import Testing
import TestSupport
@testable import Parsing
import Imaging

@Test func topKRanksBestFirstAndRespectsAllowedRows() {
    // Bank rows point along different directions; the query is closest to row 2, then row 0.
    let bank: [Float] = [1, 0.2, 0,   0, 1, 0,   1, 0, 0,   -1, 0, 0]
    let hits = Retrieval.topK(query: [1, 0.05, 0], bank: bank, dim: 3, k: 3)
    #expect(hits.map(\.index) == [2, 0, 1])
    #expect(abs(hits[0].similarity - 0.99875) < 1e-4)
    let restricted = Retrieval.topK(query: [1, 0.05, 0], bank: bank, dim: 3, k: 2, allowed: [1, 3])
    #expect(restricted.map(\.index) == [1, 3])
    #expect(Retrieval.topK([0.5, 0.5, 0.1], k: 2).map(\.index) == [0, 1])
    #expect(Retrieval.topK([1, 2], k: 0).isEmpty)
}

@Test func correspondenceMatchesBruteForceInBlocks() {
    var rng = SplitMix64(seed: 11)
    let dim = 5
    let target = (0..<(37 * dim)).map { _ in Float.random(in: -1...1, using: &rng) }
    let base = (0..<(23 * dim)).map { _ in Float.random(in: -1...1, using: &rng) }
    let c = Correspondence(target: target, base: base, dim: dim, m: 3, blockRows: 8)
    let sims = Retrieval.similarities(queries: target, bank: base, dim: dim).data
    for i in 0..<37 {
        let expected = Retrieval.topK(Array(sims[(i * 23)..<((i + 1) * 23)]), k: 3)
        #expect(c.indices[(i * 3)..<(i * 3 + 3)].map(Int.init) == expected.map(\.index), "row \(i)")
    }
}

@Test func clustersTakeTheirMajorityVoteAndUnvotedPartsStayAbsent() {
    // Base bank: patches 0-1 are class 1 ("head"), 2-3 class 2 ("leg"), 4 class 0 (no part).
    let base: [Float] = [1, 0, 0,  0.9, 0.1, 0,  0, 1, 0,  0.1, 0.9, 0,  0, 0, 1]
    let labels: [Int32] = [1, 1, 2, 2, 0]
    // Target: three head-like patches, one leg-like, one off-object-like.
    let target: [Float] = [1, 0.05, 0,  0.95, 0, 0.05,  0.8, 0.2, 0,  0.05, 1, 0,  0, 0.1, 1]
    let corr = Correspondence(target: target, base: base, dim: 3, m: 2)
    let votes = PartVotes(correspondence: corr, baseLabels: labels, parts: 3)
    #expect((0..<5).map(votes.winner) == [1, 1, 1, 2, 0])
    let clusters = LabelTransfer.labelClusters(assignments: [0, 0, 0, 1, 2], clusters: 3, votes: votes)
    #expect(clusters.map(\.label) == [1, 2, 0])
    #expect(clusters[0].purity == 1 && clusters[0].size == 3)
    #expect(clusters[0].voteShare > 0.9 && clusters[0].support > 0.8)
    // Part 3 had no base patch, so no cluster can take it.
    #expect(!clusters.contains { $0.label == 3 })
    #expect(LabelTransfer.nearestNeighbourLabels(correspondence: corr, baseLabels: labels) == [1, 1, 1, 2, 0])
}

@Test func smallFragmentsAreAbsorbedButTheBackgroundIsNot() {
    // 4×4 grid: a single stray "2" inside a field of "1", and background (-1) in one corner.
    let grid = [1, 1, 1, -1,
                1, 2, 1, -1,
                1, 1, 1, 1,
                3, 3, 3, 3]
    let cleaned = PostProcess.absorbSmallFragments(grid, rows: 4, cols: 4, minPatches: 2)
    #expect(cleaned == [1, 1, 1, -1,
                        1, 1, 1, -1,
                        1, 1, 1, 1,
                        3, 3, 3, 3])
}

@Test func bilinearUpsamplingFollowsAlignCornersFalse() {
    // 1×2 → 1×4: PyTorch gives [a, 0.75a+0.25b, 0.25a+0.75b, b].
    // pixelLabels upsamples through Imaging's resizePlanes; pin the convention it relies on.
    let up = resizePlanes([0, 4], channels: 1, height: 1, width: 2, toHeight: 1, toWidth: 4, filter: .bilinear)
    #expect(up == [0, 1, 3, 4])
}

@Test func pixelLabelsStayInsideTheForeground() {
    let fg: [UInt8] = [1, 1, 1, 1,  1, 1, 1, 1,  0, 0, 1, 1,  0, 0, 1, 1]
    let labels = PostProcess.pixelLabels(gridLabels: [1, 2, 1, 2], gridH: 2, gridW: 2, classes: 3,
                                         foreground: fg, height: 4, width: 4)
    #expect(labels == [1, 1, 2, 2,  1, 1, 2, 2,  -1, -1, 2, 2,  -1, -1, 2, 2])
}
