import Testing
import TestSupport
@testable import Parsing

@Test func separatesWellSeparatedBlobs() {
    var rng = SplitMix64(seed: 7)
    var rows = [Float]()
    let centres: [[Float]] = [[0, 0], [10, 0], [0, 10]]
    for c in centres { for _ in 0..<30 { rows += [c[0] + Float.random(in: -1...1, using: &rng),
                                                   c[1] + Float.random(in: -1...1, using: &rng)] } }
    let km = KMeans(rows: rows, dim: 2, k: 3, seed: 1)
    // Every blob must map to a single cluster, and the three blobs to three different ones.
    let labels = (0..<3).map { blob in Set(km.assignments[(blob * 30)..<((blob + 1) * 30)]) }
    #expect(labels.allSatisfy { $0.count == 1 })
    #expect(Set(labels.map { $0.first! }).count == 3)
    #expect(km.inertia < 90 * 2)
}

@Test(arguments: [UInt64(1), 2, 3, 4, 5])
func moreClustersNeverIncreaseInertiaMuch(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let rows = (0..<200).map { _ in Float.random(in: 0...1, using: &rng) }
    let one = KMeans(rows: rows, dim: 4, k: 1, seed: seed)
    let four = KMeans(rows: rows, dim: 4, k: 4, seed: seed)
    #expect(four.inertia <= one.inertia, "seed \(seed)")
}

@Test func clampsKToRowCountAndHandlesEmptyInput() {
    let km = KMeans(rows: [1, 2, 3, 4], dim: 2, k: 5)
    #expect(km.k == 2)
    #expect(Set(km.assignments).count == 2)
    #expect(km.inertia == 0)
    let empty = KMeans(rows: [], dim: 3, k: 2)
    #expect(empty.k == 0 && empty.assignments.isEmpty)
}
