import Testing
import TestSupport
@testable import Tensor

/// Naive Double reference for `[m,k]·[k,n]`.
func naiveMatmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
        out[i * n + j] = Float(s)
    } }
    return out
}

@Test(arguments: [(1, 1, 1), (7, 3, 5), (197, 64, 33), (2, 384, 1)])
func matmulMatchesNaiveLoop(m: Int, k: Int, n: Int) {
    var rng = SplitMix64(seed: UInt64(m * 1000 + k * 10 + n))
    let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
    let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &rng) }
    let got = Tensor(shape: [m, k], data: a).matmul(Tensor(shape: [k, n], data: b))
    #expect(got.shape == [m, n])
    expectClose(got.data, naiveMatmul(a, b, m: m, k: k, n: n), atol: 1e-4, rtol: 1e-4, label: "sgemm \(m)x\(k)x\(n)")

    // The same product with B stored transposed, as PyTorch Linear weights are.
    var bt = [Float](repeating: 0, count: k * n)
    for p in 0..<k { for j in 0..<n { bt[j * k + p] = b[p * n + j] } }
    let gotT = Tensor(shape: [m, k], data: a).matmul(Tensor(shape: [n, k], data: bt), transposeB: true)
    expectClose(gotT.data, got.data, atol: 1e-5, label: "transposeB")
}
