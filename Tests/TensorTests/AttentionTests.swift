import Testing
import TestSupport
@testable import Tensor

/// Runs the tiled kernel over a fused qkv array and returns (out, probabilities if requested).
func runAttention(_ qkv: [Float], batch: Int, tokens: Int, heads: Int, headDim: Int, mask: [Float]? = nil,
                  wantProbabilities: Bool, queryTile: Int, keyTile: Int) -> ([Float], [Float]) {
    let dim = heads * headDim
    var out = [Float](repeating: .nan, count: batch * tokens * dim)
    var probs = [Float](repeating: .nan, count: wantProbabilities ? batch * heads * tokens * tokens : 0)
    qkv.withUnsafeBufferPointer { q in out.withUnsafeMutableBufferPointer { o in probs.withUnsafeMutableBufferPointer { p in
        let ops = AttentionOperands.fused(qkv: q.baseAddress!, out: o.baseAddress!, tokens: tokens, dim: dim)
        if let mask {
            mask.withUnsafeBufferPointer { m in
                attention(ops, batch: batch, tokens: tokens, heads: heads, headDim: headDim, keyMask: m.baseAddress,
                          probabilities: wantProbabilities ? p.baseAddress : nil, queryTile: queryTile, keyTile: keyTile)
            }
        } else {
            attention(ops, batch: batch, tokens: tokens, heads: heads, headDim: headDim,
                      probabilities: wantProbabilities ? p.baseAddress : nil, queryTile: queryTile, keyTile: keyTile)
        }
    } } }
    return (out, probs)
}

/// Odd sizes and tiles smaller than the token count, so the streaming softmax crosses several key tiles.
@Test(arguments: [(1, 1, 1, 1, 4, 4), (2, 7, 3, 5, 3, 2), (1, 50, 2, 16, 7, 9), (1, 197, 6, 64, 128, 1024), (1, 301, 2, 8, 64, 50)])
func tiledAttentionMatchesNaiveReference(batch: Int, tokens: Int, heads: Int, headDim: Int, queryTile: Int, keyTile: Int) {
    var rng = SplitMix64(seed: UInt64(tokens * 31 + heads * 7 + headDim))
    let qkv = randomArray(batch * tokens * 3 * heads * headDim, &rng, range: -2...2)
    let ref = attentionReference(qkv: qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim)
    let (out, _) = runAttention(qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim,
                                wantProbabilities: false, queryTile: queryTile, keyTile: keyTile)
    expectClose(out, ref.out, atol: 1e-5, rtol: 1e-4, label: "attention out n=\(tokens)")
    let (out2, probs) = runAttention(qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim,
                                     wantProbabilities: true, queryTile: queryTile, keyTile: keyTile)
    expectClose(out2, ref.out, atol: 1e-5, rtol: 1e-4, label: "attention out (with probabilities)")
    expectClose(probs, ref.probabilities, atol: 1e-6, rtol: 1e-4, label: "attention probabilities")
}

@Test func keyMaskDropsPaddedKeys() {
    var rng = SplitMix64(seed: 99)
    let batch = 2, tokens = 9, heads = 2, headDim = 4
    let qkv = randomArray(batch * tokens * 3 * heads * headDim, &rng)
    var mask = [Float](repeating: 0, count: batch * tokens)
    for j in 6..<tokens { mask[tokens + j] = -.infinity }     // second sequence: 6 real tokens
    let ref = attentionReference(qkv: qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim, keyMask: mask)
    let (out, probs) = runAttention(qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim, mask: mask,
                                    wantProbabilities: true, queryTile: 4, keyTile: 4)
    expectClose(out, ref.out, atol: 1e-5, label: "masked out")
    expectClose(probs, ref.probabilities, atol: 1e-6, label: "masked probabilities")
    let (streamed, _) = runAttention(qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim, mask: mask,
                                     wantProbabilities: false, queryTile: 2, keyTile: 3)
    expectClose(streamed, ref.out, atol: 1e-5, label: "masked out, key tiles of 3 (one fully masked)")
}

/// Without position information attention is permutation-equivariant over tokens.
@Test func attentionCommutesWithTokenPermutation() {
    var rng = SplitMix64(seed: 2024)
    let tokens = 23, heads = 3, headDim = 4, dim = heads * headDim
    let qkv = randomArray(tokens * 3 * dim, &rng)
    let perm = Array((0..<tokens).shuffled(using: &rng))
    var permuted = qkv
    for (i, p) in perm.enumerated() { for c in 0..<(3 * dim) { permuted[i * 3 * dim + c] = qkv[p * 3 * dim + c] } }
    let (out, _) = runAttention(qkv, batch: 1, tokens: tokens, heads: heads, headDim: headDim, wantProbabilities: false, queryTile: 5, keyTile: 6)
    let (outP, _) = runAttention(permuted, batch: 1, tokens: tokens, heads: heads, headDim: headDim, wantProbabilities: false, queryTile: 5, keyTile: 6)
    var expected = out
    for (i, p) in perm.enumerated() { for c in 0..<dim { expected[i * dim + c] = out[p * dim + c] } }
    expectClose(outP, expected, atol: 1e-5, label: "permuted (seed 2024)")
}
