import Testing
import TestSupport
@testable import Tensor

/// Central-difference gradient check: `build` maps the inputs to a tensor; the loss is that
/// tensor dotted with fixed random weights (through `softCrossEntropy`, so the check does not
/// depend on any op under test beyond that one, which has its own check). Float central
/// differences with h = 3e-3 are accurate to about 1e-3 on these O(1) losses, while a wrong
/// gradient is off by O(1): tolerance atol 2e-3, rtol 2e-2.
func checkGradients(_ label: String, seed: UInt64, inputs: [(String, [Int])], scalarOutput: Bool = false,
                    build: (Tape, [Var]) -> Var) {
    var rng = SplitMix64(seed: seed)
    let params = inputs.map { name, shape in
        Parameter(name: name, shape: shape,
                  values: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &rng) })
    }
    var weights: [Float] = []
    func loss(_ tape: Tape) -> Var {
        let y = build(tape, params.map { tape.parameter($0) })
        if scalarOutput { return y }
        let n = tape.shape(y).reduce(1, *), rows = n / (tape.shape(y).last ?? 1)
        if weights.isEmpty { weights = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) } }
        // softCrossEntropy is −(1/rows)·Σ q·y, so q = −rows·w gives Σ w·y.
        return tape.softCrossEntropy(y, targets: weights.map { -$0 * Float(rows) })
    }
    let tape = Tape()
    tape.backward(loss(tape))
    let h: Float = 3e-3
    for p in params {
        let analytic = p.grad.array
        var numeric = analytic, checked: [Float] = []
        var picks = Array(0..<p.count)
        if picks.count > 24 { picks.shuffle(using: &rng); picks = Array(picks.prefix(24)) }
        for j in picks {
            let saved = p.value.pointer[j]
            p.value.pointer[j] = saved + h
            let up = Tape(recording: false)
            let lu = up.scalar(loss(up))
            p.value.pointer[j] = saved - h
            let down = Tape(recording: false)
            let ld = down.scalar(loss(down))
            p.value.pointer[j] = saved
            numeric[j] = (lu - ld) / (2 * h)
            checked.append(analytic[j])
        }
        expectClose(picks.map { analytic[$0] }, picks.map { numeric[$0] }, atol: 2e-3, rtol: 2e-2,
                    label: "\(label) d/d\(p.name) (seed \(seed))")
        #expect(checked.contains { $0 != 0 }, "\(label): gradient of \(p.name) is all zero")
    }
}

@Test func linearGradients() {
    checkGradients("linear", seed: 1, inputs: [("x", [5, 4]), ("w", [3, 4]), ("b", [3])]) { t, v in
        t.linear(v[0], weight: v[1], bias: v[2])
    }
    checkGradients("linear no bias", seed: 2, inputs: [("x", [2, 3, 4]), ("w", [6, 4])]) { t, v in
        t.linear(v[0], weight: v[1], bias: nil)
    }
}

@Test func elementwiseGradients() {
    checkGradients("add", seed: 3, inputs: [("a", [3, 4]), ("b", [3, 4])]) { t, v in t.add(v[0], v[1]) }
    checkGradients("add same input", seed: 4, inputs: [("a", [3, 4])]) { t, v in t.add(v[0], v[0]) }
    checkGradients("addBias", seed: 5, inputs: [("x", [3, 4]), ("b", [4])]) { t, v in t.addBias(v[0], v[1]) }
    checkGradients("scale", seed: 6, inputs: [("x", [7])]) { t, v in t.scale(v[0], by: -2.5) }
    checkGradients("mean", seed: 7, inputs: [("x", [3, 5])], scalarOutput: true) { t, v in t.mean(v[0]) }
    checkGradients("gelu", seed: 8, inputs: [("x", [4, 6])]) { t, v in t.gelu(t.scale(v[0], by: 3)) }
}

@Test func normalisationGradients() {
    checkGradients("layerNorm", seed: 9, inputs: [("x", [4, 8]), ("g", [8]), ("b", [8])]) { t, v in
        t.layerNorm(v[0], weight: v[1], bias: v[2], eps: 1e-6)
    }
    checkGradients("l2NormalizeRows", seed: 10, inputs: [("x", [3, 5])]) { t, v in t.l2NormalizeRows(v[0]) }
    checkGradients("weightNormLinear", seed: 11, inputs: [("x", [4, 5]), ("v", [7, 5])]) { t, v in
        t.weightNormLinear(v[0], direction: v[1])
    }
}

@Test func softmaxAndLossGradients() {
    checkGradients("softmax", seed: 12, inputs: [("x", [3, 6])]) { t, v in t.softmax(v[0]) }
    checkGradients("logSoftmax T=0.5", seed: 13, inputs: [("x", [3, 6])]) { t, v in t.logSoftmax(v[0], temperature: 0.5) }
    var rng = SplitMix64(seed: 14)
    var q = (0..<12).map { _ in Float.random(in: 0...1, using: &rng) }
    for r in 0..<2 { let s = q[(r * 6)..<(r * 6 + 6)].reduce(0, +); for j in 0..<6 { q[r * 6 + j] /= s } }
    checkGradients("softCrossEntropy rows 1..<3", seed: 15, inputs: [("x", [4, 6])], scalarOutput: true) { t, v in
        t.softCrossEntropy(t.logSoftmax(v[0], temperature: 0.3), targets: q, rowStart: 1, rows: 2)
    }
}

@Test func rowGradients() {
    checkGradients("concatRows", seed: 16, inputs: [("a", [2, 3]), ("b", [4, 3])]) { t, v in t.concatRows(v[0], v[1]) }
    checkGradients("strideRows", seed: 17, inputs: [("x", [3 * 4, 5])]) { t, v in t.strideRows(v[0], stride: 4, offset: 0) }
    // Row 2 taken twice and row 1 never: the repeated row's gradient must be the sum.
    checkGradients("gatherRows", seed: 18, inputs: [("x", [4, 3])]) { t, v in t.gatherRows(v[0], rows: [2, 0, 3, 2]) }
}

@Test func meanSquaredErrorGradients() {
    let target: [Float] = (0..<12).map { Float($0 % 5) / 4 - 0.5 }
    checkGradients("meanSquaredError", seed: 19, inputs: [("x", [3, 4])], scalarOutput: true) { t, v in t.meanSquaredError(v[0], target: target) }
}

@Test func meanSquaredErrorValue() {
    let tape = Tape(recording: false)
    let x = tape.constant([1, 2, 3, 4], shape: [2, 2])
    #expect(abs(tape.scalar(tape.meanSquaredError(x, target: [0, 2, 5, 4])) - 1.25) < 1e-6)   // (1 + 0 + 4 + 0) / 4
}

@Test(arguments: [(1, 3, 1), (2, 5, 2), (3, 4, 4)])
func attentionGradients(batch: Int, tokens: Int, heads: Int) {
    let dim = 4 * heads
    checkGradients("attention b\(batch) n\(tokens) h\(heads)", seed: UInt64(20 + batch),
                   inputs: [("qkv", [batch * tokens, 3 * dim])]) { t, v in
        t.attention(t.scale(v[0], by: 2), batch: batch, heads: heads)
    }
}

@Test func vitInputGradients() {
    var rng = SplitMix64(seed: 30)
    let images = (0..<(2 * 3 * 8 * 8)).map { _ in Float.random(in: -1...1, using: &rng) }
    checkGradients("patchEmbed", seed: 31, inputs: [("w", [5, 3, 4, 4]), ("b", [5])]) { t, v in
        t.patchEmbed(images: images, batch: 2, channels: 3, height: 8, width: 8, weight: v[0], bias: v[1])
    }
    checkGradients("prependClassToken", seed: 32, inputs: [("p", [2 * 4, 3]), ("cls", [1, 1, 3]), ("pos", [1, 5, 3])]) { t, v in
        t.prependClassToken(v[0], classToken: v[1], position: v[2], batch: 2)
    }
    checkGradients("interpolatePositionEmbedding 3x3→2x4", seed: 33, inputs: [("pos", [1, 10, 3])]) { t, v in
        t.interpolatePositionEmbedding(v[0], gridHeight: 2, gridWidth: 4)
    }
}

/// A whole pre-LN transformer block plus a DINO-style head, composed from the ops above.
@Test func composedBlockGradients() {
    let d = 8, n = 3, b = 2
    checkGradients("block", seed: 40, inputs: [
        ("x", [b * n, d]), ("g1", [d]), ("b1", [d]), ("wqkv", [3 * d, d]), ("bqkv", [3 * d]),
        ("wp", [d, d]), ("g2", [d]), ("b2", [d]), ("w1", [2 * d, d]), ("w2", [d, 2 * d]), ("v", [6, d]),
    ], scalarOutput: true) { t, v in
        var x = t.add(v[0], t.linear(t.attention(t.linear(t.layerNorm(v[0], weight: v[1], bias: v[2]), weight: v[3], bias: v[4]),
                                                 batch: b, heads: 2), weight: v[5], bias: nil))
        x = t.add(x, t.linear(t.gelu(t.linear(t.layerNorm(x, weight: v[6], bias: v[7]), weight: v[8], bias: nil)), weight: v[9], bias: nil))
        let z = t.weightNormLinear(t.l2NormalizeRows(t.strideRows(x, stride: n)), direction: v[10])
        let q: [Float] = (0..<(b * 6)).map { Float($0 % 6 + 1) / 21 }
        return t.softCrossEntropy(t.logSoftmax(z, temperature: 0.5), targets: q)
    }
}
