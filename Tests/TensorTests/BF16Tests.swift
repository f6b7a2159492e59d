import CKernels
import Testing
import TestSupport
@testable import Tensor

/// `x` rounded to bf16 and back.
private func bf16(_ x: Float) -> Float { Float(bitPattern: UInt32(vlk_bf16_from_float(x)) << 16) }

/// Normwise relative error ‖a − b‖ / ‖b‖.
private func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    var num = 0.0, den = 0.0
    for i in 0..<a.count { num += Double(a[i] - b[i]) * Double(a[i] - b[i]); den += Double(b[i]) * Double(b[i]) }
    return (num / max(den, 1e-30)).squareRoot()
}

/// `C = alpha·A·B + beta·C0` in Double, with A and B optionally rounded to bf16 first.
private func reference(m: Int, n: Int, k: Int, a: [Float], b: [Float], transposed: Bool, alpha: Float, beta: Float,
                       c0: [Float], round: Bool) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n {
        var s = 0.0
        for t in 0..<k {
            let av = a[i * k + t], bv = transposed ? b[j * k + t] : b[t * n + j]
            s += Double(round ? bf16(av) : av) * Double(round ? bf16(bv) : bv)
        }
        c[i * n + j] = Float(Double(alpha) * s + Double(beta) * Double(c0[i * n + j]))
    } }
    return c
}

private func gemm(m: Int, n: Int, k: Int, a: [Float], b: [Float], transposed: Bool, alpha: Float, beta: Float,
                  c0: [Float], native: Bool) -> [Float] {
    var c = c0
    let packed = b.withUnsafeBufferPointer { BF16Matrix($0.baseAddress!, columns: n, depth: k, ldb: transposed ? k : n, transposed: transposed) }
    a.withUnsafeBufferPointer { ap in c.withUnsafeMutableBufferPointer { cp in
        bf16GEMM(m: m, a: ap.baseAddress!, lda: k, b: packed, alpha: alpha, beta: beta, c: cp.baseAddress!, ldc: n, native: native)
    } }
    return c
}

@Test func roundingToBF16IsNearestEven() {
    #expect(vlk_bf16_from_float(1) == 0x3F80)
    #expect(vlk_bf16_from_float(-2) == 0xC000)
    // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even significand (1).
    #expect(vlk_bf16_from_float(1 + 0x1p-8) == 0x3F80)
    #expect(vlk_bf16_from_float(1 + 0x1p-8 + 0x1p-16) == 0x3F81)
    #expect(vlk_bf16_from_float(1 + 3 * 0x1p-8) == 0x3F82)   // 1.5 ulp rounds up to the even 2
    #expect(vlk_bf16_from_float(.infinity) == 0x7F80)
    #expect(bf16(.nan).isNaN)
    #expect(bf16(Float.greatestFiniteMagnitude) == .infinity)   // rounds past the largest bf16
}

/// The portable kernel against Double sums of the same bf16-rounded operands (only fp32
/// accumulation differs: ≤ 1e-5 relative), and against fp32 operands (the bf16 rounding itself:
/// ≤ 1e-2 normwise, measured ≈ 3e-3 for K ≥ 33 on uniform inputs). Rows 1, 7, 63, 3025 cover
/// the 12-row blocks' remainders; K odd and not a multiple of the 16-lane vector; n across panels.
@Test(arguments: [(1, 1, 1), (7, 33, 31), (63, 385, 64), (3025, 64, 33), (13, 1536, 65)])
func portableGEMMMatchesReferences(m: Int, k: Int, n: Int) {
    var rng = SplitMix64(seed: UInt64(m * 1000 + k * 10 + n))
    let a = randomArray(m * k, &rng, range: -1...1), b = randomArray(k * n, &rng, range: -1...1)
    let c0 = randomArray(m * n, &rng, range: -1...1)
    for transposed in [false, true] {
        for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1)] {
            let got = gemm(m: m, n: n, k: k, a: a, b: b, transposed: transposed, alpha: alpha, beta: beta, c0: c0, native: false)
            let rounded = reference(m: m, n: n, k: k, a: a, b: b, transposed: transposed, alpha: alpha, beta: beta, c0: c0, round: true)
            expectClose(got, rounded, atol: 1e-5, rtol: 1e-5, label: "bf16 gemm \(m)x\(k)x\(n) t=\(transposed) β=\(beta)")
            let exact = reference(m: m, n: n, k: k, a: a, b: b, transposed: transposed, alpha: alpha, beta: beta, c0: c0, round: false)
            #expect(relativeError(got, exact) <= 1e-2, "\(m)x\(k)x\(n)")
        }
    }
}

/// The AVX512-BF16 kernel gives the portable kernel's sums (the same pairwise products in fp32;
/// the order of the two adds per pair may differ: ≤ 1e-5 relative). Runs only on such a CPU.
@Test(.enabled(if: BF16Kernels.cpuHasBF16, "this CPU has no AVX512-BF16"),
      arguments: [(1, 1, 1), (7, 33, 31), (63, 385, 64), (3025, 64, 33), (12, 384, 1152)])
func nativeGEMMMatchesPortable(m: Int, k: Int, n: Int) {
    var rng = SplitMix64(seed: UInt64(m + k + n))
    let a = randomArray(m * k, &rng, range: -1...1), b = randomArray(k * n, &rng, range: -1...1)
    let c0 = randomArray(m * n, &rng, range: -1...1)
    for transposed in [false, true] {
        let native = gemm(m: m, n: n, k: k, a: a, b: b, transposed: transposed, alpha: 1, beta: 1, c0: c0, native: true)
        let portable = gemm(m: m, n: n, k: k, a: a, b: b, transposed: transposed, alpha: 1, beta: 1, c0: c0, native: false)
        expectClose(native, portable, atol: 1e-5, rtol: 1e-5, label: "native vs portable \(m)x\(k)x\(n)")
    }
}

/// A sub-range of a deeper packed B (attention's value tiles) through `panel_stride`.
@Test func panelStrideSelectsPairsOfADeeperB() {
    let k = 70, n = 40, m = 5, p0 = 16, depth = 30   // pairs 16..<31 = rows 32..<62 of B
    var rng = SplitMix64(seed: 9)
    let a = randomArray(m * depth, &rng, range: -1...1), b = randomArray(k * n, &rng, range: -1...1)
    let words = vlk_bf16_packed_words(n, k)
    var packed = [UInt32](repeating: 0, count: words)
    var abf = [UInt16](repeating: 0, count: m * depth)
    var c = [Float](repeating: 0, count: m * n)
    b.withUnsafeBufferPointer { vlk_bf16_pack_b(0, n, k, $0.baseAddress!, n, &packed) }
    a.withUnsafeBufferPointer { vlk_bf16_convert_rows(0, m, depth, $0.baseAddress!, depth, &abf, depth) }
    packed.withUnsafeBufferPointer { pb in
        vlk_bf16_gemm(0, m, n, depth, 1, abf, depth, pb.baseAddress! + p0 * 32, (k + 1) / 2 * 32, 0, &c, n)
    }
    let rows = Array(b[(2 * p0 * n)..<((2 * p0 + depth) * n)])
    let want = reference(m: m, n: n, k: depth, a: a, b: rows, transposed: false, alpha: 1, beta: 0,
                         c0: [Float](repeating: 0, count: m * n), round: true)
    expectClose(c, want, atol: 1e-5, rtol: 1e-5, label: "panel stride")
}

@Test func bf16LinearMatchesRoundedReference() {
    var rng = SplitMix64(seed: 3)
    let rows = 301, inF = 96, outF = 70
    let x = randomArray(rows * inF, &rng, range: -1...1)
    let w = Tensor(shape: [outF, inF], data: randomArray(outF * inF, &rng, range: -1...1))
    let bias = randomArray(outF, &rng, range: -1...1)
    let packed = BF16Matrix(linearWeight: w)
    var out = [Float](repeating: .nan, count: rows * outF)
    x.withUnsafeBufferPointer { xp in bias.withUnsafeBufferPointer { bp in out.withUnsafeMutableBufferPointer { op in
        bf16ParallelLinear(xp.baseAddress!, rows: rows, weight: packed, bias: bp.baseAddress, into: op.baseAddress!)
    } } }
    let c0 = (0..<rows).flatMap { _ in bias }
    let want = reference(m: rows, n: outF, k: inF, a: x, b: w.data, transposed: true, alpha: 1, beta: 1, c0: c0, round: true)
    expectClose(out, want, atol: 1e-5, rtol: 1e-5, label: "bf16 linear")
}

/// bf16 attention against the exact Double reference: rounding q, k, v and the probabilities
/// to bf16 costs ≤ 2e-2 normwise (measured below 5e-3); key tiles smaller than the tokens, an
/// odd last tile and a key mask exercise the streaming softmax across packed tiles.
@Test(arguments: [(1, 197, 6, 64, 64, 64), (2, 77, 2, 8, 16, 32), (1, 1, 1, 1, 4, 32)])
func bf16AttentionMatchesReference(batch: Int, tokens: Int, heads: Int, headDim: Int, queryTile: Int, keyTile: Int) {
    var rng = SplitMix64(seed: UInt64(tokens + heads))
    let dim = heads * headDim
    let qkv = randomArray(batch * tokens * 3 * dim, &rng, range: -2...2)
    var mask = [Float](repeating: 0, count: batch * tokens)
    for i in stride(from: 3, to: mask.count, by: 5) { mask[i] = -.infinity }
    let ref = attentionReference(qkv: qkv, batch: batch, tokens: tokens, heads: heads, headDim: headDim, keyMask: mask)
    var out = [Float](repeating: .nan, count: batch * tokens * dim)
    qkv.withUnsafeBufferPointer { q in out.withUnsafeMutableBufferPointer { o in mask.withUnsafeBufferPointer { m in
        let ops = AttentionOperands.fused(qkv: q.baseAddress!, out: o.baseAddress!, tokens: tokens, dim: dim)
        attentionBF16(ops, batch: batch, tokens: tokens, heads: heads, headDim: headDim, keyMask: m.baseAddress,
                      queryTile: queryTile, keyTile: keyTile, native: false)
    } } }
    let err = relativeError(out, ref.out)
    #expect(err <= 2e-2, "relative error \(err)")
    #expect(!out.contains { $0.isNaN })
}

@Test func bf16RequestsResolvePerCPU() {
    #expect(BF16Kernels.resolve(.fp32) == (.fp32, nil))
    let bf = BF16Kernels.resolve(.bf16)
    if BF16Kernels.cpuHasBF16 || BF16Kernels.portableRequested {
        #expect(bf.precision == .bf16)
    } else {
        #expect(bf.precision == .fp32)
        #expect(bf.notice?.contains("no AVX512-BF16") == true)
    }
}
