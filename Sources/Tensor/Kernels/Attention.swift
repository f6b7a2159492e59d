import CBLAS

/// Where attention reads its queries, keys and values and writes its output. Every operand is
/// row-major `[tokens, ·]` per batch item with a leading dimension, and head `h` lives in columns
/// `h·headDim ..< (h+1)·headDim` of each (head-major, as PyTorch's `reshape(N, heads, hd)`).
public struct AttentionOperands: @unchecked Sendable {
    public var q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>
    public var ldq: Int, ldk: Int, ldv: Int
    /// Elements between consecutive batch items in q, k and v.
    public var batchStrideQKV: Int
    public var out: UnsafeMutablePointer<Float>
    public var ldo: Int, batchStrideOut: Int

    public init(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ldq: Int, ldk: Int, ldv: Int,
                batchStrideQKV: Int, out: UnsafeMutablePointer<Float>, ldo: Int, batchStrideOut: Int) {
        self.q = q; self.k = k; self.v = v; self.ldq = ldq; self.ldk = ldk; self.ldv = ldv
        self.batchStrideQKV = batchStrideQKV; self.out = out; self.ldo = ldo; self.batchStrideOut = batchStrideOut
    }

    /// Operands over a fused `qkv` buffer `[batch, tokens, 3·heads·headDim]` (PyTorch `qkv` Linear
    /// output: q columns first, then k, then v) and an output `[batch, tokens, heads·headDim]`.
    public static func fused(qkv: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, tokens: Int, dim: Int) -> AttentionOperands {
        AttentionOperands(q: qkv, k: qkv + dim, v: qkv + 2 * dim, ldq: 3 * dim, ldk: 3 * dim, ldv: 3 * dim,
                          batchStrideQKV: tokens * 3 * dim, out: out, ldo: dim, batchStrideOut: tokens * dim)
    }
}

/// Multi-head scaled dot-product attention, `softmax(q·kᵀ·scale + mask)·v`, computed in tiles with a
/// streaming (online) softmax as FlashAttention does: for each block of `queryTile` queries (256: fewer re-packs of K per GEMM), keys are
/// visited `keyTile` at a time while a running row maximum and sum rescale the accumulated output.
/// No `[tokens, tokens]` score matrix is ever held, only one `queryTile × keyTile` tile per worker.
///
/// - Parameters:
///   - operands: buffers and leading dimensions (see `AttentionOperands`).
///   - batch, tokens, heads, headDim: sizes; `tokens` is the same for queries and keys.
///   - scale: multiplies `q·kᵀ` (default `headDim^-0.5`, applied after the product as PyTorch does).
///   - keyMask: optional additive bias per key, `[batch, tokens]` (0 keeps, −∞ or a large negative drops).
///   - probabilities: when given, `[batch, heads, tokens, tokens]` receives the softmax weights;
///     then each query block uses one full-width key tile (memory `queryTile × tokens` per worker).
/// - Complexity: `4·batch·heads·tokens²·headDim` flops through sgemm; work items (batch, head,
///   query block) are claimed one at a time by `parallelWidth` workers (`concurrentClaims`) with
///   OpenBLAS set to one thread meanwhile. Row max, `exp` and sums of a tile are one CKernels
///   call (`onlineSoftmaxStep`, AVX-512 / AVX2 / portable).
public func attention(_ operands: AttentionOperands, batch: Int, tokens: Int, heads: Int, headDim: Int,
                      scale: Float? = nil, keyMask: UnsafePointer<Float>? = nil,
                      probabilities: UnsafeMutablePointer<Float>? = nil,
                      queryTile: Int = 256, keyTile: Int = 1024) {
    guard batch > 0, tokens > 0, heads > 0, headDim > 0 else { return }
    let n = tokens, d = headDim
    let tq = min(queryTile, n)
    let tk = probabilities == nil ? min(keyTile, n) : n
    let qBlocks = (n + tq - 1) / tq
    let items = batch * heads * qBlocks
    let s = scale ?? 1 / Float(d).squareRoot()
    let ops = operands
    let mask = keyMask.map { SharedReads(base: $0) }
    let probs = probabilities.map { DisjointWrites(base: $0) }
    let previousThreads = setBLASThreads(1)
    defer { setBLASThreads(previousThreads) }
    concurrentClaims(items) { claim in
        // Per-worker scratch, allocated once: scores tile, output accumulator, row stats.
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: tq * tk)
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: tq * d)
        let rowMaxes = UnsafeMutablePointer<Float>.allocate(capacity: tq)
        let rowSums = UnsafeMutablePointer<Float>.allocate(capacity: tq)
        defer { scores.deallocate(); acc.deallocate(); rowMaxes.deallocate(); rowSums.deallocate() }
        while let range = claim() { for item in range {
            let b = item / (heads * qBlocks), h = (item / qBlocks) % heads, qb = item % qBlocks
            let q0 = qb * tq, rows = min(tq, n - q0)
            let qp = ops.q + b * ops.batchStrideQKV + q0 * ops.ldq + h * d
            let kBase = ops.k + b * ops.batchStrideQKV + h * d
            let vBase = ops.v + b * ops.batchStrideQKV + h * d
            startQueryBlock(rows: rows, headDim: d, rowMax: rowMaxes, rowSum: rowSums, acc: acc)
            var k0 = 0
            while k0 < n {
                let cols = min(tk, n - k0)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(cols), Int32(d),
                            s, qp, Int32(ops.ldq), kBase + k0 * ops.ldk, Int32(ops.ldk), 0, scores, Int32(cols))
                if let mask {
                    let mrow = mask.base + b * n + k0
                    for r in 0..<rows { add(scores + r * cols, mrow, count: cols) }
                }
                // Row max, exp(s − max), row sums and the rescale of `acc` in one CKernels call.
                onlineSoftmaxStep(scores, rows: rows, cols: cols, lds: cols, rowMax: rowMaxes, rowSum: rowSums, acc: acc, ldacc: d, accCols: d)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(d), Int32(cols),
                            1, scores, Int32(cols), vBase + k0 * ops.ldv, Int32(ops.ldv), 1, acc, Int32(d))
                if let probs {   // single full-width key tile: the exact probabilities are at hand
                    let dst = probs.base + ((b * heads + h) * n + q0) * n
                    for r in 0..<rows {
                        let inv: Float = rowSums[r] > 0 ? 1 / rowSums[r] : 0
                        for c in 0..<cols { dst[r * n + c] = scores[r * cols + c] * inv }
                    }
                }
                k0 += cols
            }
            finishQueryBlock(rows: rows, headDim: d, rowSum: rowSums, acc: acc,
                             into: ops.out + b * ops.batchStrideOut + q0 * ops.ldo + h * d, ldo: ops.ldo)
        } }
    }
}

/// Resets one query block's streaming-softmax state: row maxima −∞, row sums and output accumulator 0.
func startQueryBlock(rows: Int, headDim d: Int, rowMax: UnsafeMutablePointer<Float>, rowSum: UnsafeMutablePointer<Float>,
                     acc: UnsafeMutablePointer<Float>) {
    rowMax.update(repeating: -.infinity, count: rows)
    rowSum.update(repeating: 0, count: rows)
    acc.update(repeating: 0, count: rows * d)
}

/// Writes one query block's output: each accumulator row divided by its softmax sum (zeros for a
/// row whose keys were all masked) into `out` with row stride `ldo`.
func finishQueryBlock(rows: Int, headDim d: Int, rowSum: UnsafePointer<Float>, acc: UnsafePointer<Float>,
                      into out: UnsafeMutablePointer<Float>, ldo: Int) {
    for r in 0..<rows {
        let inv: Float = rowSum[r] > 0 ? 1 / rowSum[r] : 0
        for c in 0..<d { out[r * ldo + c] = acc[r * d + c] * inv }
    }
}

/// Naive Double reference of `attention` over a fused `qkv` array `[batch, tokens, 3·dim]`, returning
/// the output `[batch, tokens, dim]` and probabilities `[batch, heads, tokens, tokens]`; for tests.
public func attentionReference(qkv: [Float], batch: Int, tokens n: Int, heads: Int, headDim d: Int,
                               keyMask: [Float]? = nil) -> (out: [Float], probabilities: [Float]) {
    let c = heads * d
    var out = [Float](repeating: 0, count: batch * n * c)
    var probs = [Float](repeating: 0, count: batch * heads * n * n)
    let s = 1 / Double(d).squareRoot()
    for b in 0..<batch { for h in 0..<heads { for i in 0..<n {
        var row = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var dot = 0.0
            for t in 0..<d {
                dot += Double(qkv[(b * n + i) * 3 * c + h * d + t]) * Double(qkv[(b * n + j) * 3 * c + c + h * d + t])
            }
            row[j] = dot * s + Double(keyMask?[b * n + j] ?? 0)
        }
        let m = row.max() ?? 0
        let e = row.map { Foundation_exp($0 - m) }
        let z = e.reduce(0, +)
        for j in 0..<n { probs[((b * heads + h) * n + i) * n + j] = Float(e[j] / z) }
        for t in 0..<d {
            var acc = 0.0
            for j in 0..<n { acc += e[j] / z * Double(qkv[(b * n + j) * 3 * c + 2 * c + h * d + t]) }
            out[(b * n + i) * c + h * d + t] = Float(acc)
        }
    } } }
    return (out, probs)
}
