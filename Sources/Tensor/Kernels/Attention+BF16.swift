import CKernels

/// `attention` with both products (`q·kᵀ` and `softmax·v`) in bf16 with fp32 accumulation; the
/// softmax, its running statistics and the output stay fp32. Keys and values are rounded and
/// packed once per (image, head), in parallel, and shared by every query block; queries and
/// each probability tile are rounded as they are used.
///
/// - Parameters: as `attention`, without `probabilities` (ask for fp32 when the weights are
///   wanted); `keyTile` is rounded down to a multiple of 32 (the packed panel width).
/// - Complexity: as `attention`, plus `O(batch·tokens·heads·headDim)` to pack keys and values.
public func attentionBF16(_ operands: AttentionOperands, batch: Int, tokens: Int, heads: Int, headDim: Int,
                          scale: Float? = nil, keyMask: UnsafePointer<Float>? = nil,
                          queryTile: Int = 256, keyTile: Int = 1024, native: Bool = BF16Kernels.native) {
    guard batch > 0, tokens > 0, heads > 0, headDim > 0 else { return }
    let n = tokens, d = headDim
    let tq = min(queryTile, n)
    let tk = min(Swift.max(32, keyTile / 32 * 32), n)
    let qBlocks = (n + tq - 1) / tq
    let s = scale ?? 1 / Float(d).squareRoot()
    let ops = operands
    let mask = keyMask.map { SharedReads(base: $0) }
    let isa: Int32 = native ? 1 : 0

    // Keys as B of q·kᵀ (columns = tokens) and values as B of p·v (columns = head dims), per (b, h).
    let keyWords = vlk_bf16_packed_words(n, d), valueWords = vlk_bf16_packed_words(d, n)
    let perHead = keyWords + valueWords
    let packed = UnsafeMutablePointer<UInt32>.allocate(capacity: batch * heads * perHead)
    defer { packed.deallocate() }
    let packs = PackedWords(base: packed)
    concurrentClaims(batch * heads) { claim in
        while let range = claim() { for item in range {
            let b = item / heads, h = item % heads
            let k = ops.k + b * ops.batchStrideQKV + h * d, v = ops.v + b * ops.batchStrideQKV + h * d
            let dst = packs.base + item * perHead
            vlk_bf16_pack_b(1, n, d, k, ops.ldk, dst)
            vlk_bf16_pack_b(0, d, n, v, ops.ldv, dst + keyWords)
        } }
    }

    let dPairs = (d + 1) / 2, nPairs = (n + 1) / 2
    let ldq = bf16RowStride(d), ldp = bf16RowStride(tk)
    concurrentClaims(batch * heads * qBlocks) { claim in
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: tq * tk)
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: tq * d)
        let rowMaxes = UnsafeMutablePointer<Float>.allocate(capacity: tq)
        let rowSums = UnsafeMutablePointer<Float>.allocate(capacity: tq)
        let qb16 = UnsafeMutablePointer<UInt16>.allocate(capacity: tq * ldq)
        let pb16 = UnsafeMutablePointer<UInt16>.allocate(capacity: tq * ldp)
        defer {
            scores.deallocate(); acc.deallocate(); rowMaxes.deallocate(); rowSums.deallocate()
            qb16.deallocate(); pb16.deallocate()
        }
        while let range = claim() { for item in range {
            let head = item / qBlocks, qb = item % qBlocks
            let b = head / heads, h = head % heads
            let q0 = qb * tq, rows = min(tq, n - q0)
            let keys = packs.base + head * perHead, values = keys + keyWords
            vlk_bf16_convert_rows(isa, rows, d, ops.q + b * ops.batchStrideQKV + q0 * ops.ldq + h * d, ops.ldq, qb16, ldq)
            startQueryBlock(rows: rows, headDim: d, rowMax: rowMaxes, rowSum: rowSums, acc: acc)
            var k0 = 0
            while k0 < n {
                let cols = min(tk, n - k0)
                vlk_bf16_gemm(isa, rows, cols, d, s, qb16, ldq, keys + (k0 / 32) * dPairs * 32, 0, 0, scores, cols)
                if let mask {
                    let mrow = mask.base + b * n + k0
                    for r in 0..<rows { add(scores + r * cols, mrow, count: cols) }
                }
                onlineSoftmaxStep(scores, rows: rows, cols: cols, lds: cols, rowMax: rowMaxes, rowSum: rowSums, acc: acc, ldacc: d, accCols: d)
                let ld = bf16RowStride(cols)
                vlk_bf16_convert_rows(isa, rows, cols, scores, cols, pb16, ld)
                vlk_bf16_gemm(isa, rows, d, cols, 1, pb16, ld, values + (k0 / 2) * 32, nPairs * 32, 1, acc, d)
                k0 += cols
            }
            finishQueryBlock(rows: rows, headDim: d, rowSum: rowSums, acc: acc,
                             into: ops.out + b * ops.batchStrideOut + q0 * ops.ldo + h * d, ldo: ops.ldo)
        } }
    }
}

/// Packed bf16 words shared by attention's workers: each (image, head) slot is written by one.
private struct PackedWords: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt32>
}
