import CBLAS
import Tensor

/// DINO's `Attention`: fused `qkv` Linear, multi-head softmax attention, output `proj` Linear.
struct Attention {
    let qkvWeight: Tensor   // [3D, D]: rows q, then k, then v
    let qkvBias: Tensor     // [3D]
    let projWeight: Tensor  // [D, D]
    let projBias: Tensor    // [D]
    let heads: Int

    /// `qkv [rows, 3D] = x [rows, D]·Wqkvᵀ + b`.
    func projectQKV(_ x: UnsafePointer<Float>, rows: Int, into qkv: UnsafeMutablePointer<Float>) {
        let d = projWeight.shape[0]
        qkvWeight.data.withUnsafeBufferPointer { w in qkvBias.data.withUnsafeBufferPointer { b in
            parallelLinear(x, rows: rows, inFeatures: d, weight: w.baseAddress!, outFeatures: 3 * d, bias: b.baseAddress, into: qkv)
        } }
    }

    /// Attention over `batch` images of `tokens` tokens from a fused `qkv` buffer into `context
    /// [batch·tokens, D]` (heads concatenated head-major), optionally writing the probabilities.
    func attend(qkv: UnsafePointer<Float>, batch: Int, tokens: Int, into context: UnsafeMutablePointer<Float>,
                probabilities: UnsafeMutablePointer<Float>?) {
        let d = projWeight.shape[0]
        attention(AttentionOperands.fused(qkv: qkv, out: context, tokens: tokens, dim: d), batch: batch, tokens: tokens,
                        heads: heads, headDim: d / heads, probabilities: probabilities)
    }

    /// `out [rows, D] = context·Wprojᵀ + b`.
    func project(_ context: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let d = projWeight.shape[0]
        projWeight.data.withUnsafeBufferPointer { w in projBias.data.withUnsafeBufferPointer { b in
            parallelLinear(context, rows: rows, inFeatures: d, weight: w.baseAddress!, outFeatures: d, bias: b.baseAddress, into: out)
        } }
    }

    /// The CLS query's attention over all tokens, per head: `[batch, heads, tokens]`. Cheap
    /// (one `sgemv` per head) and exact, for saliency when the full matrix is not wanted.
    func clsAttention(qkv: UnsafePointer<Float>, batch: Int, tokens n: Int, into out: UnsafeMutablePointer<Float>) {
        let d = projWeight.shape[0], hd = d / heads
        let scale = 1 / Float(hd).squareRoot()
        for b in 0..<batch {
            let base = qkv + b * n * 3 * d
            for h in 0..<heads {
                let row = out + (b * heads + h) * n
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(hd), scale, base + d + h * hd, Int32(3 * d),
                            base + h * hd, 1, 0, row, 1)
                softmaxRow(row, count: n)
            }
        }
    }
}
