import Tensor

/// A pre-norm transformer block as in DINO / DINOv2:
/// `x += ls1 ⊙ attn(norm1(x))`, `x += ls2 ⊙ mlp(norm2(x))`, with exact-erf GELU in the MLP.
struct Block {
    let norm1Weight: Tensor, norm1Bias: Tensor
    let attn: Attention
    let norm2Weight: Tensor, norm2Bias: Tensor
    let fc1Weight: Tensor, fc1Bias: Tensor   // [mlp, D]
    let fc2Weight: Tensor, fc2Bias: Tensor   // [D, mlp]
    let ls1: Tensor?, ls2: Tensor?           // LayerScale gammas [D] (DINOv2)
    let eps: Float
    /// The four Linear weights rounded to bf16 and packed, when the model runs in bf16.
    var bf16: PackedWeights? = nil

    /// qkv, proj, fc1 and fc2 weights packed once for `bf16ParallelLinear`.
    final class PackedWeights: Sendable {
        let qkv, proj, fc1, fc2: BF16Matrix
        init(_ block: Block) {
            qkv = BF16Matrix(linearWeight: block.attn.qkvWeight)
            proj = BF16Matrix(linearWeight: block.attn.projWeight)
            fc1 = BF16Matrix(linearWeight: block.fc1Weight)
            fc2 = BF16Matrix(linearWeight: block.fc2Weight)
        }
    }

    /// Per-forward scratch buffers, sized for `rows = batch·tokens` once and reused by every block.
    final class Workspace {
        let rows: Int
        let normed, qkv, context, branch, hidden: UnsafeMutablePointer<Float>
        init(rows: Int, dim: Int, mlpDim: Int) {
            self.rows = rows
            normed = .allocate(capacity: rows * dim)
            qkv = .allocate(capacity: rows * 3 * dim)
            context = .allocate(capacity: rows * dim)
            branch = .allocate(capacity: rows * dim)
            hidden = .allocate(capacity: rows * mlpDim)
        }
        deinit { for p in [normed, qkv, context, branch, hidden] { p.deallocate() } }
    }

    /// Runs the block in place on `x [batch·tokens, D]`. After the call `ws.qkv` holds this block's
    /// fused q/k/v `[batch·tokens, 3D]` (for facets); `probabilities [batch, heads, N, N]` and
    /// `clsAttention [batch, heads, N]` are filled when given.
    func forward(_ x: UnsafeMutablePointer<Float>, batch: Int, tokens: Int, workspace ws: Workspace,
                 probabilities: UnsafeMutablePointer<Float>? = nil, clsAttention: UnsafeMutablePointer<Float>? = nil) {
        let rows = batch * tokens, d = norm1Weight.count
        norm(x, rows: rows, weight: norm1Weight, bias: norm1Bias, into: ws.normed)
        attn.projectQKV(ws.normed, rows: rows, into: ws.qkv, bf16: bf16?.qkv)
        attn.attend(qkv: ws.qkv, batch: batch, tokens: tokens, into: ws.context, probabilities: probabilities, bf16: bf16 != nil)
        if let clsAttention { attn.clsAttention(qkv: ws.qkv, batch: batch, tokens: tokens, into: clsAttention) }
        attn.project(ws.context, rows: rows, into: ws.branch, bf16: bf16?.proj)
        residual(x, ws.branch, gamma: ls1, rows: rows, cols: d)

        norm(x, rows: rows, weight: norm2Weight, bias: norm2Bias, into: ws.normed)
        linearLayer(ws.normed, rows: rows, weight: fc1Weight, bias: fc1Bias, packed: bf16?.fc1, into: ws.hidden) { block, count in
            geluErf(block, count: count, parallel: false)
        }
        linearLayer(ws.hidden, rows: rows, weight: fc2Weight, bias: fc2Bias, packed: bf16?.fc2, into: ws.branch)
        residual(x, ws.branch, gamma: ls2, rows: rows, cols: d)
    }

    private func norm(_ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor, into out: UnsafeMutablePointer<Float>) {
        weight.data.withUnsafeBufferPointer { w in bias.data.withUnsafeBufferPointer { b in
            layerNorm(x, rows: rows, cols: weight.count, weight: w.baseAddress!, bias: b.baseAddress!, eps: eps, into: out)
        } }
    }

    private func residual(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, gamma: Tensor?, rows: Int, cols: Int) {
        if let gamma {
            gamma.data.withUnsafeBufferPointer { addScaled(x, y, gamma: $0.baseAddress!, rows: rows, cols: cols) }
        } else {
            add(x, y, count: rows * cols)
        }
    }
}

/// A Linear layer `out = x·Wᵀ + b` over `rows` rows with row blocks split across cores: in bf16
/// when the block's weights are packed (`packed`), else fp32 through OpenBLAS; `epilogue` runs on
/// each finished block of the output.
func linearLayer(_ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor, packed: BF16Matrix?,
                 into out: UnsafeMutablePointer<Float>, epilogue: (@Sendable (UnsafeMutablePointer<Float>, Int) -> Void)? = nil) {
    bias.data.withUnsafeBufferPointer { b in
        if let packed { return bf16ParallelLinear(x, rows: rows, weight: packed, bias: b.baseAddress, into: out, epilogue: epilogue) }
        weight.data.withUnsafeBufferPointer { w in
            parallelLinear(x, rows: rows, inFeatures: weight.shape[1], weight: w.baseAddress!, outFeatures: weight.shape[0],
                           bias: b.baseAddress, into: out, epilogue: epilogue)
        }
    }
}
