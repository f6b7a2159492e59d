import Tensor

/// What one forward pass should keep besides the block output.
public struct ViTForwardOptions: Sendable {
    /// Conv stride of the patch embedding (default: the patch size); must divide the patch size.
    public var stride: Int?
    /// Block whose output, q/k/v and attention are kept, 0-based. Default: the final block. Blocks
    /// after it are skipped unless `finalNormCLS` needs them.
    public var lastBlock: Int?
    /// Keep the fused q/k/v `[batch, N, 3D]` of `lastBlock`.
    public var keepQKV = false
    /// Keep the attention probabilities `[batch, heads, N, N]` of `lastBlock`.
    public var keepAttention = false
    /// Keep the CLS query's attention `[batch, heads, N]` of `lastBlock` (for saliency).
    public var keepCLSAttention = false
    /// Also run every block and apply the final LayerNorm to the CLS token(s).
    public var finalNormCLS = false
    public init(stride: Int? = nil, lastBlock: Int? = nil) { self.stride = stride; self.lastBlock = lastBlock }
}

/// The result of `VisionTransformer.forward`. Token order per image: CLS, registers, then patches
/// in row-major grid order (`y·gridWidth + x`).
public struct ViTForwardResult: Sendable {
    public var gridHeight: Int, gridWidth: Int
    /// Tokens per image, `1 + registers + gridHeight·gridWidth`.
    public var tokens: Int
    /// Output of block `lastBlock` (residual stream, before the final norm): `[batch, N, D]`.
    public var hidden: Tensor
    /// `[batch, N, 3D]` (q columns, then k, then v; heads head-major inside each) when kept.
    public var qkv: Tensor?
    /// `[batch, heads, N, N]` when kept.
    public var attention: Tensor?
    /// `[batch, heads, N]` when kept.
    public var clsAttention: Tensor?
    /// `[batch, D]`: the CLS token after the final LayerNorm, when asked for.
    public var finalCLS: Tensor?
}

/// DINO / DINOv2 vision transformer (`vision_transformer.py`), inference only, any input size and
/// patch-embedding stride. Construct it with `ViTCheckpoint.load(path:)`.
public struct VisionTransformer: Sendable {
    public let config: ViTConfig
    let patchEmbed: PatchEmbed
    let clsToken: Tensor        // [D]
    let posEmbed: Tensor        // [1 + M², D]
    let registerTokens: Tensor? // [R, D]
    var blocks: [Block]
    let normWeight: Tensor, normBias: Tensor
    /// The arithmetic of the blocks' matrix products (`with(precision:)`).
    public private(set) var precision: Precision = .fp32

    /// This model computing its Linear layers and attention products in `precision`: for bf16 the
    /// weights are rounded and packed once here (about half the fp32 weights' memory). The
    /// precision is taken as given; resolve a user's request with `BF16Kernels.resolve` first.
    public func with(precision: Precision) -> VisionTransformer {
        guard precision != self.precision else { return self }
        var copy = self
        copy.precision = precision
        for i in copy.blocks.indices {
            copy.blocks[i].bf16 = precision == .bf16 ? Block.PackedWeights(copy.blocks[i]) : nil
        }
        return copy
    }

    /// Runs the network on `batch` images of one size.
    ///
    /// - Parameters:
    ///   - pixels: `[batch, 3, H, W]`, normalised RGB planes.
    /// - Returns: see `ViTForwardResult`.
    /// - Throws: `FeatureError.invalidInput` when the image is smaller than a patch, the stride does
    ///   not divide the patch size, or `lastBlock` is out of range.
    /// - Complexity: `config.flops(tokens:patches:)` per image; memory `O(batch·N·4D)` plus one
    ///   attention tile per core (plus `batch·heads·N²` only if `keepAttention`).
    public func forward(_ pixels: Tensor, options: ViTForwardOptions = ViTForwardOptions(), name: String = "input") throws -> ViTForwardResult {
        guard pixels.rank == 4, pixels.shape[1] == 3 else {
            throw FeatureError.invalidInput(name: name, reason: "expected a [batch, 3, H, W] tensor, got \(pixels.shape)")
        }
        let batch = pixels.shape[0], height = pixels.shape[2], width = pixels.shape[3]
        let p = config.patchSize, d = config.dim, heads = config.heads
        let stride = options.stride ?? p
        guard stride > 0, stride <= p, p % stride == 0 else {
            throw FeatureError.invalidInput(name: name, reason: "stride \(stride) must divide the patch size \(p)")
        }
        guard height >= p, width >= p, batch > 0 else {
            throw FeatureError.invalidInput(name: name, reason: "image \(width)×\(height) is smaller than one \(p)-pixel patch")
        }
        let last = options.lastBlock ?? config.depth - 1
        guard (0..<config.depth).contains(last) else {
            throw FeatureError.invalidInput(name: name, reason: "layer \(last) is outside 0..<\(config.depth)")
        }
        let stop = options.finalNormCLS ? config.depth - 1 : last
        let (gh, gw) = PatchEmbed.grid(height: height, width: width, patch: p, stride: stride)
        let r = config.registers, n = 1 + r + gh * gw, rows = batch * n
        let pos = PositionEmbedding.forGrid(table: posEmbed, m: config.positionGrid, gridHeight: gh, gridWidth: gw,
                                            pixelHeight: height, pixelWidth: width, mode: config.interpolation)

        // x: [batch, N, D] = [CLS + pos0, registers, patches + pos1…]   (DINOv2 registers carry no position)
        var x = [Float](repeating: 0, count: rows * d)
        x.withUnsafeMutableBufferPointer { xb in
            let xp = xb.baseAddress!
            pixels.data.withUnsafeBufferPointer { px in
                patchEmbed(px.baseAddress!, batch: batch, height: height, width: width, stride: stride,
                           into: xp, ldo: d, tokensPerImage: n, firstRow: 1 + r)
            }
            pos.data.withUnsafeBufferPointer { pp in
                for b in 0..<batch {
                    let img = xp + b * n * d
                    for c in 0..<d { img[c] = clsToken.data[c] + pp[c] }
                    if let registerTokens { for i in 0..<(r * d) { img[d + i] = registerTokens.data[i] } }
                    add(img + (1 + r) * d, pp.baseAddress! + d, count: gh * gw * d)
                }
            }
        }

        let ws = Block.Workspace(rows: rows, dim: d, mlpDim: config.mlpDim)
        var attention: [Float]? = options.keepAttention ? [Float](repeating: 0, count: batch * heads * n * n) : nil
        var clsAttention: [Float]? = options.keepCLSAttention ? [Float](repeating: 0, count: batch * heads * n) : nil
        var hidden: [Float] = []
        var qkv: [Float]? = nil
        x.withUnsafeMutableBufferPointer { xb in
            for i in 0...stop {
                if i == last {
                    attention.withUnsafeMutableBufferPointerIfPresent { a in
                        clsAttention.withUnsafeMutableBufferPointerIfPresent { c in
                            blocks[i].forward(xb.baseAddress!, batch: batch, tokens: n, workspace: ws, probabilities: a, clsAttention: c)
                        }
                    }
                    hidden = Array(xb)
                    if options.keepQKV { qkv = Array(UnsafeBufferPointer(start: ws.qkv, count: rows * 3 * d)) }
                } else {
                    blocks[i].forward(xb.baseAddress!, batch: batch, tokens: n, workspace: ws)
                }
            }
        }
        var result = ViTForwardResult(gridHeight: gh, gridWidth: gw, tokens: n, hidden: Tensor(shape: [batch, n, d], data: hidden))
        if let qkv { result.qkv = Tensor(shape: [batch, n, 3 * d], data: qkv) }
        if let attention { result.attention = Tensor(shape: [batch, heads, n, n], data: attention) }
        if let clsAttention { result.clsAttention = Tensor(shape: [batch, heads, n], data: clsAttention) }
        if options.finalNormCLS {
            var cls = Tensor(shape: [batch, d], data: (0..<batch).flatMap { b in x[(b * n * d)..<(b * n * d + d)] })
            layerNorm(&cls, weight: normWeight, bias: normBias, eps: config.eps)
            result.finalCLS = cls
        }
        return result
    }
}

extension Optional where Wrapped == [Float] {
    /// Calls `body` with the array's base address, or nil when there is no array.
    mutating func withUnsafeMutableBufferPointerIfPresent<R>(_ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case .some(var array):
            self = nil
            defer { self = array }
            return array.withUnsafeMutableBufferPointer { body($0.baseAddress) }
        }
    }
}
