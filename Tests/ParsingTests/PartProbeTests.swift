import Foundation
import Testing
import TestSupport
@testable import Parsing

@Test func probeVotesBySimilarityNotByCount() {
    // Query (1, 0): one near-identical bank patch of class 2 outweighs two poor matches of class 1.
    let bank = Retrieval.normalizedRows([1, 0.05,   0.3, 1,   0.25, 1], dim: 2)
    let labels: [Int32] = [2, 1, 1]
    #expect(PartProbe.classify(queries: [1, 0], bank: bank, bankLabels: labels, dim: 2, k: 3, classes: 3) == [2])
    // With one neighbour each query takes its nearest patch's class; queries need not be unit length.
    #expect(PartProbe.classify(queries: [5, 0, 0, 3], bank: bank, bankLabels: labels, dim: 2, k: 1, classes: 3) == [2, 1])
    // More neighbours than bank patches is fine; an empty bank predicts no part.
    #expect(PartProbe.classify(queries: [0, 1], bank: bank, bankLabels: labels, dim: 2, k: 10, classes: 3) == [1])
    #expect(PartProbe.classify(queries: [0, 1, 1, 0], bank: [], bankLabels: [], dim: 2, k: 3, classes: 3) == [0, 0])
}

@Test func probeTallyScoresPartPatchesOnly() {
    // Truth 0 ("on the object, no part") and -1 (off it) are not scored; a truth of class 5,
    // which no prediction in 0...2 can reach, is a miss.
    let t = PartProbe.tally(predicted: [1, 2, 2, 0, 1, 2], truth: [1, 1, 2, 0, -1, 5])
    #expect(t == PartProbe.Tally(correct: 2, total: 4))
    #expect(t.accuracy == 50)
    #expect(PartProbe.Tally().accuracy == 0)
}

@Test func probeHoldsOutEveryNthObjectAndKeepsPartRows() {
    let held = (0..<10).filter { PartProbe.isHeldOut(position: $0, every: 5) }
    #expect(held == [4, 9])
    let (rows, labels) = PartProbe.partRows(descriptors: [0, 0,  1, 1,  2, 2,  3, 3], labels: [-1, 2, 0, 1], dim: 2)
    #expect(rows == [1, 1, 3, 3] && labels == [2, 1])
}

@Test func probeSeparatesPartsWithInformativeDescriptorsAndNotWithNoise() {
    // Hand-built patch descriptors: each part owns a direction in 8-d, plus noise. Informative
    // descriptors must classify held-out patches nearly perfectly; pure noise near chance.
    var rng = SplitMix64(seed: 7)
    func gaussian() -> Float {   // Box–Muller
        let u = max(rng.uniform(Float(0), 1), 1e-7), v = rng.uniform(Float(0), 1)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    func patches(_ count: Int, informative: Bool) -> ([Float], [Int32]) {
        var rows: [Float] = [], labels: [Int32] = []
        for i in 0..<count {
            let label = Int32(1 + i % 4)
            for d in 0..<8 { rows.append((informative && d == Int(label) ? 2 : 0) + gaussian() * 0.3) }
            labels.append(label)
        }
        return (rows, labels)
    }
    for informative in [true, false] {
        let (bank, bankLabels) = patches(200, informative: informative)
        let (queries, truth) = patches(100, informative: informative)
        let predicted = PartProbe.classify(queries: queries, bank: Retrieval.normalizedRows(bank, dim: 8),
                                           bankLabels: bankLabels, dim: 8, k: 5, classes: 5)
        let accuracy = PartProbe.tally(predicted: predicted, truth: truth).accuracy
        if informative { #expect(accuracy > 95, "informative: \(accuracy)%") } else { #expect(accuracy < 50, "noise: \(accuracy)%") }
    }
}
