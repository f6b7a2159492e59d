/// Row-wise softmax and the vectorised `exp` it (and streaming attention) is built on.
import CKernels

/// Largest element of `count ≥ 1` floats (CKernels: AVX-512 / AVX2 / portable, chosen at run time).
public func rowMax(_ x: UnsafePointer<Float>, count: Int) -> Float {
    vlk_row_max(x, count)
}

/// `x[i] = exp(x[i] − shift)` in place; returns `Σ x[i]` after the update. The exponential is
/// CKernels' `vlk_exp` (≤ 1 ulp from the correctly rounded `exp` on [−87.34, 88]; 0 below).
public func expShifted(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
    vlk_exp_shifted_sum(x, count, shift)
}

/// Instruction sets of the CKernels row kernels (exp, row max, softmax step), lowest first.
public enum ExpKernelISA: Int32, Sendable, CaseIterable {
    case generic = 0, avx2 = 1, avx512 = 2

    /// What the kernels use: the best this CPU supports (CPUID, decided once).
    public static var current: ExpKernelISA { ExpKernelISA(rawValue: vlk_isa()) ?? .generic }
    /// Every level this CPU can run, for tests.
    public static var available: [ExpKernelISA] { allCases.filter { $0.rawValue <= current.rawValue } }
}

/// `y[i] = exp(x[i])` through CKernels (`x == y` allowed): at most 1 ulp from the correctly
/// rounded result for `x ∈ [−87.34, 88]` (checked exhaustively on every path), 0 below (where
/// `expf` is subnormal), `exp(88)` above, NaN kept. `isa` forces a lower path (tests).
public func vectorExp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
                      isa: ExpKernelISA = .avx512) {
    vlk_exp_using(isa.rawValue, x, y, count)
}

/// One streaming-softmax step over a `rows × cols` score tile (row stride `lds`): exponentiates
/// each row against its running max, updates `rowMax`/`rowSum`, and rescales the `accCols`-wide
/// output rows of `acc` (stride `ldacc`) when the max grew. See `vlk_online_softmax_step`.
public func onlineSoftmaxStep(_ scores: UnsafeMutablePointer<Float>, rows: Int, cols: Int, lds: Int,
                              rowMax: UnsafeMutablePointer<Float>, rowSum: UnsafeMutablePointer<Float>,
                              acc: UnsafeMutablePointer<Float>, ldacc: Int, accCols: Int, isa: ExpKernelISA = .avx512) {
    vlk_online_softmax_step_using(isa.rawValue, scores, rows, cols, lds, rowMax, rowSum, acc, ldacc, accCols)
}

/// `x[i] *= factor` for `count` floats.
@inlinable
public func scaleInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    for i in 0..<count { x[i] *= factor }
}

/// Numerically stable softmax of one row in place. A row that is entirely −∞ becomes all zeros.
@inlinable
public func softmaxRow(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    let m = rowMax(x, count: count)
    guard m > -.infinity else { x.update(repeating: 0, count: count); return }
    let s = expShifted(x, count: count, shift: m)
    scaleInPlace(x, count: count, by: 1 / s)
}

/// Softmax over each row of a row-major `[rows, cols]` buffer, in place; large inputs are split
/// across cores by rows.
public func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    let out = DisjointWrites(base: x)
    concurrentChunks(rows, minimumChunk: max(1, 16_384 / max(cols, 1))) { range in
        for r in range { softmaxRow(out.base + r * cols, count: cols) }
    }
}

/// Softmax over the last dimension of a tensor.
public func softmaxRows(_ x: inout Tensor) {
    guard let cols = x.shape.last, cols > 0 else { return }
    let rows = x.count / cols
    x.data.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: rows, cols: cols) }
}

/// Naive Double reference of `softmaxRows`, kept for tests.
public func softmaxRowsReference(_ x: [Float], rows: Int, cols: Int) -> [Float] {
    var out = x
    for r in 0..<rows {
        let row = x[(r * cols)..<((r + 1) * cols)].map(Double.init)
        let m = row.max() ?? 0
        let e = row.map { Foundation_exp($0 - m) }
        let s = e.reduce(0, +)
        for c in 0..<cols { out[r * cols + c] = Float(e[c] / s) }
    }
    return out
}
