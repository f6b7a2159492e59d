import Foundation
import Testing
import TestSupport
@testable import Tensor

/// Attention forward against a naive Double loop over heads (no fused-buffer tricks).
@Test func attentionMatchesNaiveDouble() {
    let b = 2, n = 5, h = 3, d = 4, c = h * d
    var rng = SplitMix64(seed: 50)
    let qkv = (0..<(b * n * 3 * c)).map { _ in Float.random(in: -2...2, using: &rng) }
    let tape = Tape(recording: false)
    let got = tape.value(tape.attention(tape.constant(qkv, shape: [b * n, 3 * c]), batch: b, heads: h))
    var want = [Float](repeating: 0, count: b * n * c)
    for bi in 0..<b { for hi in 0..<h { for i in 0..<n {
        func at(_ t: Int, _ part: Int, _ k: Int) -> Double { Double(qkv[(bi * n + t) * 3 * c + part * c + hi * d + k]) }
        var scores = (0..<n).map { j in (0..<d).reduce(0.0) { $0 + at(i, 0, $1) * at(j, 1, $1) } / Double(d).squareRoot() }
        let mx = scores.max()!
        scores = scores.map { exp($0 - mx) }
        let s = scores.reduce(0, +)
        for k in 0..<d { want[(bi * n + i) * c + hi * d + k] = Float((0..<n).reduce(0.0) { $0 + scores[$1] / s * at($1, 2, k) }) }
    } } }
    expectClose(got, want, atol: 1e-5, rtol: 1e-4, label: "attention")
}

/// The bicubic matrix rows sum to 1 (interpolation preserves constants) and, for DINO's
/// 8→4 resampling, match PyTorch `F.interpolate(scale_factor=4.1/8, mode="bicubic")` on a ramp
/// of 0…7 (values printed by torch 2.15).
@Test func bicubicMatrixMatchesTorch() {
    let m = AutodiffKernels.bicubicMatrix(from: 8, to: 4)
    for i in 0..<4 { #expect(abs(m[(i * 8)..<(i * 8 + 8)].reduce(0, +) - 1) < 1e-6) }
    let ramp = (0..<8).map(Float.init)
    let out = (0..<4).map { i in (0..<8).reduce(Float(0)) { $0 + m[i * 8 + $1] * ramp[$1] } }
    expectClose(out, [0.38360414, 2.44473171, 4.40672541, 6.42151594], atol: 1e-5, label: "bicubic 8→4")
}

@Test func cosineScheduleMatchesDINO() {
    // DINO: cosine_scheduler(1.0, 0.1, epochs=1, niter_per_ep=10, warmup_epochs=... 4 steps from 0)
    let s = cosineSchedule(base: 1, final: 0.1, totalSteps: 10, warmupSteps: 4, warmupStart: 0)
    #expect(s.count == 10)
    expectClose(Array(s.prefix(4)), [0, 1.0 / 3, 2.0 / 3, 1], atol: 1e-6, label: "warm-up")
    #expect(abs(s[4] - 1) < 1e-6)
    expectClose([s[7]], [Float(0.1 + 0.45 * (1 + cos(Double.pi * 3 / 6)))], atol: 1e-6, label: "cosine")
}

@Test func clippingScalesToMaxNorm() {
    let p = Parameter(name: "w", shape: [2, 2], values: [0, 0, 0, 0])
    p.grad.assign([3, 4, 0, 0])
    let norm = clipGradientNorm([p], maxNorm: 1)
    #expect(abs(norm - 5) < 1e-6)
    expectClose(p.grad.array, [0.6, 0.8, 0, 0], atol: 1e-5, label: "clipped")
}
