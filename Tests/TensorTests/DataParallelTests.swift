import Foundation
import Testing
import TestSupport
@testable import Tensor

/// A small MLP's mean loss over `rows` rows of `x`, on `tape`, scaled by `share`.
private func mlpLoss(_ tape: Tape, _ x: [Float], rows: Range<Int>, w1: Parameter, w2: Parameter, share: Float) -> Var {
    let input = tape.constant(Array(x[(rows.lowerBound * 4)..<(rows.upperBound * 4)]), shape: [rows.count, 4])
    let h = tape.gelu(tape.linear(input, weight: tape.parameter(w1), bias: nil))
    let y = tape.linear(h, weight: tape.parameter(w2), bias: nil)
    return tape.scale(tape.meanSquaredError(y, target: [Float](repeating: 0.5, count: rows.count * 3)), by: share)
}

/// Two shards, each on its own thread with its own `ShardGradients`, sum to the whole batch's
/// gradient; `Parameter.grad` is untouched until `addAll`.
@Test func shardGradientsSumToTheWholeBatchGradient() {
    var rng = SplitMix64(seed: 9)
    let x = (0..<(6 * 4)).map { _ in Float.random(in: -1...1, using: &rng) }
    let w1 = Parameter(name: "w1", shape: [5, 4], values: (0..<20).map { _ in Float.random(in: -1...1, using: &rng) })
    let w2 = Parameter(name: "w2", shape: [3, 5], values: (0..<15).map { _ in Float.random(in: -1...1, using: &rng) })

    let whole = Tape()
    whole.backward(mlpLoss(whole, x, rows: 0..<6, w1: w1, w2: w2, share: 1))
    let want = (w1.grad.array, w2.grad.array)
    w1.grad.zero(); w2.grad.zero()

    let ranges = [0..<2, 2..<6]
    let shards = ranges.map { _ in ShardGradients() }
    dataParallel(2) { s in
        #expect(parallelWidth == 1)
        let tape = Tape(gradients: shards[s])
        tape.backward(mlpLoss(tape, x, rows: ranges[s], w1: w1, w2: w2, share: Float(ranges[s].count) / 6))
    }
    #expect(w1.grad.array.allSatisfy { $0 == 0 } && w2.grad.array.allSatisfy { $0 == 0 })
    for shard in shards { shard.addAll(into: [w1, w2]) }
    expectClose(w1.grad.array, want.0, atol: 1e-6, rtol: 1e-5, label: "w1")
    expectClose(w2.grad.array, want.1, atol: 1e-6, rtol: 1e-5, label: "w2")
}

/// `dataParallel` runs every shard exactly once, and the caller's parallel width is the same after.
/// (OpenBLAS's thread count is process-wide and other suites' trainers may hold it at 1 while
/// this runs, so it is not compared here.)
@Test func dataParallelRunsEachShardOnceAndRestoresTheWidth() {
    let width = parallelWidth
    let runs = RunCounts()
    dataParallel(5) { s in runs.add(s) }
    #expect(runs.counts == [0: 1, 1: 1, 2: 1, 3: 1, 4: 1])
    #expect(parallelWidth == width)
}

private final class RunCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int: Int] = [:]
    func add(_ s: Int) { lock.lock(); storage[s, default: 0] += 1; lock.unlock() }
    var counts: [Int: Int] { lock.lock(); defer { lock.unlock() }; return storage }
}
