import Testing
import TestSupport
@testable import Segmenter
@testable import Tensor

/// A head on a 5×6 grid: wide enough that the third block's taps, 4 patches apart, land inside.
private func tinySetup(seed: UInt64, blocks: Int = 1) throws -> (SegmenterHead, [Float], PatchTargets, Vocabulary, Vocabulary) {
    var rng = SplitMix64(seed: seed)
    let config = HeadConfig(inputDim: 5, hiddenDim: 6, embedDim: 4, blocks: blocks)
    let head = SegmenterHead(config: config, seed: seed)
    let gridH = tinyGrid.h, gridW = tinyGrid.w, n = gridH * gridW
    let features = (0..<(n * 5)).map { _ in Float.random(in: -1...1, using: &rng) }
    let targets = PatchTargets(object: (0..<n).map { $0 % 3 }, part: (0..<n).map { ($0 / 2) % 4 },
                               weight: (0..<n).map { $0 == 5 ? 0 : ($0 % 4 == 0 ? 0.1 : 1) })
    let objects = try Vocabulary(names: ["cat", "dog"], embeddings: (0..<8).map { _ in Float.random(in: -1...1, using: &rng) }, dim: 4)
    let parts = try Vocabulary(names: ["cat head", "dog head", "dog leg"],
                               embeddings: (0..<12).map { _ in Float.random(in: -1...1, using: &rng) }, dim: 4)
    return (head, features, targets, objects, parts)
}

private let tinyGrid = (h: 5, w: 6)

@Test(arguments: [(UInt64(1), 1), (2, 1), (1, 3), (2, 2)])
func headGradientsMatchCentralDifferences(seed: UInt64, blocks: Int) throws {
    let (head, features, targets, objects, parts) = try tinySetup(seed: seed, blocks: blocks)
    let (gh, gw) = tinyGrid
    let analytic = head.lossAndGradients(features: features, gridH: gh, gridW: gw, targets: targets,
                                         objects: objects, parts: parts)
    #expect(analytic.loss > 0)
    for name in head.parameterNames {
        let count = head.parameters[name]!.count
        // Probe up to 12 entries per parameter, spread over the tensor.
        for index in stride(from: 0, to: count, by: max(1, count / 12)) {
            // Richardson-extrapolated central differences: the patch embeddings' norms can be
            // small (0.03 here), so the loss curves sharply and a plain difference at 1e-3 is off
            // by 8 %; combining steps h and h/2 cancels the h² term.
            func difference(_ eps: Float) -> Float {
                var plus = head, minus = head
                plus.parameters[name]!.data[index] += eps
                minus.parameters[name]!.data[index] -= eps
                let lp = plus.lossAndGradients(features: features, gridH: gh, gridW: gw, targets: targets, objects: objects, parts: parts).loss
                let lm = minus.lossAndGradients(features: features, gridH: gh, gridW: gw, targets: targets, objects: objects, parts: parts).loss
                return (lp - lm) / (2 * eps)
            }
            let numeric = (4 * difference(5e-4) - difference(1e-3)) / 3
            let got = analytic.gradients[name]!.data[index]
            // Float32 rounding of the loss (~5e-7) over steps of 1e-3 gives ~1e-3 of noise: agree to 5e-3 absolute + 2 % relative.
            #expect(abs(got - numeric) <= 5e-3 + 0.02 * abs(numeric),
                    "seed \(seed) blocks \(blocks) \(name)[\(index)]: analytic \(got), numeric \(numeric)")
        }
    }
}

@Test func zeroWeightPatchesContributeNothing() throws {
    let (head, features, targets, objects, parts) = try tinySetup(seed: 3)
    let none = PatchTargets(object: targets.object, part: targets.part, weight: [Float](repeating: 0, count: 30))
    let result = head.lossAndGradients(features: features, gridH: 5, gridW: 6, targets: none, objects: objects, parts: parts)
    #expect(result.loss == 0)
    #expect(result.gradients.values.allSatisfy { $0.data.allSatisfy { $0 == 0 } })
}

@Test func vocabularyRejectsDuplicatesAndSizeMismatch() {
    #expect(throws: SegmenterError.self) { try Vocabulary(names: ["a", "a"], embeddings: [1, 0, 0, 1], dim: 2) }
    #expect(throws: SegmenterError.self) { try Vocabulary(names: ["a"], embeddings: [1, 0, 0], dim: 2) }
    #expect(throws: SegmenterError.self) {
        try SegmenterHead(config: HeadConfig(inputDim: 2, hiddenDim: 2, embedDim: 2), parameters: [:])
    }
}

