import CBLAS

/// `y = x·Wᵀ + b` for a PyTorch `Linear`: `x [n, in]`, `weight [out, in]`, `bias [out]` → `[n, out]`.
///
/// Leading dimensions other than rank 2 are flattened: `x [..., in]` gives `[..., out]`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let inF = weight.shape[1], outF = weight.shape[0]
    precondition(x.rank >= 1 && x.shape.last == inF, "linear: x \(x.shape) does not end in \(inF) (weight \(weight.shape))")
    if let bias { precondition(bias.shape == [outF], "linear: bias \(bias.shape) is not [\(outF)]") }
    let n = x.count / max(inF, 1)
    var out = [Float](repeating: 0, count: n * outF)
    x.data.withUnsafeBufferPointer { xp in
        weight.data.withUnsafeBufferPointer { wp in
            out.withUnsafeMutableBufferPointer { op in
                if let bias {
                    bias.data.withUnsafeBufferPointer { bp in
                        linear(xp.baseAddress!, rows: n, inFeatures: inF, weight: wp.baseAddress!, outFeatures: outF,
                               bias: bp.baseAddress, into: op.baseAddress!)
                    }
                } else {
                    linear(xp.baseAddress!, rows: n, inFeatures: inF, weight: wp.baseAddress!, outFeatures: outF,
                           bias: nil, into: op.baseAddress!)
                }
            }
        }
    }
    return Tensor(shape: Array(x.shape.dropLast()) + [outF], data: out)
}

/// Raw-buffer `Linear`: `out[r, o] = Σ_i x[r·ldx + i]·W[o, i] + b[o]`.
///
/// - Parameters:
///   - x: `[rows, inFeatures]` with row stride `ldx` (default `inFeatures`).
///   - weight: `[outFeatures, inFeatures]`, PyTorch layout.
///   - out: `[rows, outFeatures]` with row stride `ldo` (default `outFeatures`); overwritten.
public func linear(_ x: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldx: Int? = nil,
                   weight: UnsafePointer<Float>, outFeatures: Int, bias: UnsafePointer<Float>?,
                   into out: UnsafeMutablePointer<Float>, ldo: Int? = nil) {
    let ldo = ldo ?? outFeatures
    guard rows > 0, outFeatures > 0 else { return }
    if let bias {
        for r in 0..<rows { (out + r * ldo).update(from: bias, count: outFeatures) }
    }
    guard inFeatures > 0 else {
        if bias == nil { for r in 0..<rows { (out + r * ldo).update(repeating: 0, count: outFeatures) } }
        return
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                1, x, Int32(ldx ?? inFeatures), weight, Int32(inFeatures), bias == nil ? 0 : 1, out, Int32(ldo))
}

/// Raw-buffer `linear` (`out = x·Wᵀ + b`, contiguous rows) whose row blocks are claimed by up to
/// `parallelWidth` workers, each running a single-threaded sgemm; OpenBLAS is held at one thread
/// meanwhile so its pool neither nests nor spins against ours. `epilogue(block, count)` then runs
/// on each finished block of the output while it is still in cache (e.g. GELU).
///
/// Dynamic claiming keeps both cores busy when one is slowed by other processes; blocks are at
/// least 64 rows so each sgemm still amortises packing the weight.
/// - Parameters: as `linear(_:rows:inFeatures:…)` with `ldx == inFeatures`, `ldo == outFeatures`.
public func parallelLinear(_ x: UnsafePointer<Float>, rows: Int, inFeatures: Int, weight: UnsafePointer<Float>,
                           outFeatures: Int, bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>,
                           epilogue: (@Sendable (UnsafeMutablePointer<Float>, Int) -> Void)? = nil) {
    guard rows > 0, outFeatures > 0 else { return }
    let width = parallelWidth
    let grain = width == 1 ? rows : Swift.max(64, ((rows + 4 * width - 1) / (4 * width) + 15) / 16 * 16)
    let src = SharedReads(base: x), w = SharedReads(base: weight), dst = DisjointWrites(base: out)
    let b = bias.map { SharedReads(base: $0) }
    let previousThreads = setBLASThreads(1)
    defer { setBLASThreads(previousThreads) }
    concurrentClaims(rows, grain: grain) { claim in
        while let range = claim() {
            let block = dst.base + range.lowerBound * outFeatures
            linear(src.base + range.lowerBound * inFeatures, rows: range.count, inFeatures: inFeatures,
                   weight: w.base, outFeatures: outFeatures, bias: b?.base, into: block)
            epilogue?(block, range.count * outFeatures)
        }
    }
}

/// Batched GEMM over `batch` independent products `C_b = alpha·op(A_b)·op(B_b) + beta·C_b`.
///
/// Each operand is row-major with leading dimension `ld*` and batch stride `stride*` (elements),
/// so strided views such as the heads of a fused `qkv` buffer need no copies.
public func batchedGEMM(batch: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                        a: UnsafePointer<Float>, lda: Int, strideA: Int,
                        b: UnsafePointer<Float>, ldb: Int, strideB: Int, beta: Float = 0,
                        c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int) {
    guard m > 0, n > 0 else { return }
    for i in 0..<batch {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a + i * strideA, Int32(lda),
                    b + i * strideB, Int32(ldb), beta, c + i * strideC, Int32(ldc))
    }
}

/// Naive Double-accumulating reference of `linear`, kept beside the fast path for tests.
public func linearReference(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    let inF = weight.shape[1], outF = weight.shape[0], n = x.count / max(inF, 1)
    var out = [Float](repeating: 0, count: n * outF)
    for r in 0..<n { for o in 0..<outF {
        var s = Double(bias?.data[o] ?? 0)
        for i in 0..<inF { s += Double(x.data[r * inF + i]) * Double(weight.data[o * inF + i]) }
        out[r * outF + o] = Float(s)
    } }
    return Tensor(shape: Array(x.shape.dropLast()) + [outF], data: out)
}

/// Sets OpenBLAS's thread count (the library is process-global); returns the previous count.
@discardableResult
public func setBLASThreads(_ n: Int) -> Int {
    let previous = Int(openblas_get_num_threads())
    openblas_set_num_threads(Int32(max(1, n)))
    return previous
}

/// The current OpenBLAS thread count.
public var blasThreads: Int { Int(openblas_get_num_threads()) }
