import CBLAS
import Tensor

/// DINO's `Attention`: fused `qkv` Linear, multi-head softmax attention, output `proj` Linear.
struct Attention {
    let qkvWeight: Tensor   // [3D, D]: rows q, then k, then v
    let qkvBias: Tensor     // [3D]
    let projWeight: Tensor  // [D, D]
    let projBias: Tensor    // [D]
    let heads: Int

    /// `qkv [rows, 3D] = x [rows, D]·Wqkvᵀ + b`, in bf16 when the packed weight is given.
    func projectQKV(_ x: UnsafePointer<Float>, rows: Int, into qkv: UnsafeMutablePointer<Float>, bf16: BF16Matrix? = nil) {
        linearLayer(x, rows: rows, weight: qkvWeight, bias: qkvBias, packed: bf16, into: qkv)
    }

    /// Attention over `batch` images of `tokens` tokens from a fused `qkv` buffer into `context
    /// [batch·tokens, D]` (heads concatenated head-major), optionally writing the probabilities.
    /// `bf16` runs both products in bf16, except when the probabilities are kept (exact fp32 then).
    func attend(qkv: UnsafePointer<Float>, batch: Int, tokens: Int, into context: UnsafeMutablePointer<Float>,
                probabilities: UnsafeMutablePointer<Float>?, bf16: Bool = false) {
        let d = projWeight.shape[0]
        if bf16 && probabilities == nil {
            return attentionBF16(AttentionOperands.fused(qkv: qkv, out: context, tokens: tokens, dim: d), batch: batch,
                                 tokens: tokens, heads: heads, headDim: d / heads)
        }
        attention(AttentionOperands.fused(qkv: qkv, out: context, tokens: tokens, dim: d), batch: batch, tokens: tokens,
                        heads: heads, headDim: d / heads, probabilities: probabilities)
    }

    /// `out [rows, D] = context·Wprojᵀ + b`, in bf16 when the packed weight is given.
    func project(_ context: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>, bf16: BF16Matrix? = nil) {
        linearLayer(context, rows: rows, weight: projWeight, bias: projBias, packed: bf16, into: out)
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
