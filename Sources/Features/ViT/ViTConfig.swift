import Tensor

/// How a checkpoint resamples its position table for a grid other than its native one
/// (checkpoints.md §3.3).
public enum PositionInterpolation: String, Sendable, Equatable {
    /// DINO v1, dino-vit-features, VLPart and DINOv2 without registers: bicubic (A = −0.75),
    /// `align_corners=False`, `scale_factor = (g + 0.1)/M` per axis, no antialias.
    case dinoScaleFactor
    /// DINOv2 with registers: `size = (gh, gw)`, antialiased bicubic (A = −0.5, PIL-style support).
    case antialiasedSize
}

/// The shape of a DINO / DINOv2 vision transformer, inferred from a checkpoint's tensors.
public struct ViTConfig: Sendable, Equatable {
    /// Side of the square patch, pixels.
    public var patchSize: Int
    /// Embedding width `D`.
    public var dim: Int
    /// Number of transformer blocks.
    public var depth: Int
    /// Attention heads; `dim` is a multiple of it.
    public var heads: Int
    /// Hidden width of the MLP (`4·D` for every supported model).
    public var mlpDim: Int
    /// Register tokens (DINOv2 `*_reg`), inserted after CLS without position embedding.
    public var registers: Int
    /// Whether blocks scale their residual branches by learned `gamma` (DINOv2).
    public var layerScale: Bool
    /// LayerNorm epsilon: 1e-6 for DINO/timm files, `layer_norm_eps` from an HF `config.json`.
    public var eps: Float
    /// Side `M` of the square position table (`pos_embed` has `1 + M²` rows).
    public var positionGrid: Int
    /// How the position table is resampled for other grids.
    public var interpolation: PositionInterpolation

    /// Per-head width.
    public var headDim: Int { dim / heads }

    public init(patchSize: Int, dim: Int, depth: Int, heads: Int, mlpDim: Int, registers: Int = 0,
                layerScale: Bool = false, eps: Float = 1e-6, positionGrid: Int,
                interpolation: PositionInterpolation = .dinoScaleFactor) {
        self.patchSize = patchSize; self.dim = dim; self.depth = depth; self.heads = heads; self.mlpDim = mlpDim
        self.registers = registers; self.layerScale = layerScale; self.eps = eps
        self.positionGrid = positionGrid; self.interpolation = interpolation
    }

    /// Infers the configuration from canonical (DINO/timm-named) tensors.
    ///
    /// Patch size, width, depth, MLP width, registers, LayerScale and the position grid come from
    /// shapes. Heads cannot be read from shapes: `config["num_attention_heads"]` when an HF config
    /// is given, else the standard head width of 64 (every DINO and DINOv2 model). `eps` is
    /// `config["layer_norm_eps"]` when given, else DINO's 1e-6.
    /// - Throws: `FeatureError.invalidConfig` / `.missingKeys` naming `path`.
    ///   `heads`, when given, overrides both (needed for non-standard widths such as test models).
    public static func infer(from tensors: [String: Tensor], config: [String: Any]? = nil, heads headsOverride: Int? = nil,
                             path: String) throws -> ViTConfig {
        func need(_ key: String) throws -> Tensor {
            guard let t = tensors[key] else { throw FeatureError.missingKeys(path: path, keys: [key]) }
            return t
        }
        let proj = try need("patch_embed.proj.weight")
        guard proj.rank == 4, proj.shape[1] == 3, proj.shape[2] == proj.shape[3], proj.shape[2] > 0 else {
            throw FeatureError.invalidConfig(path: path, reason: "patch_embed.proj.weight has shape \(proj.shape), expected [D, 3, p, p]")
        }
        let dim = proj.shape[0], patch = proj.shape[2]
        var depth = 0
        while tensors["blocks.\(depth).norm1.weight"] != nil { depth += 1 }
        guard depth > 0 else { throw FeatureError.missingKeys(path: path, keys: ["blocks.0.norm1.weight"]) }
        let fc1 = try need("blocks.0.mlp.fc1.weight")
        guard fc1.rank == 2 else { throw FeatureError.invalidConfig(path: path, reason: "blocks.0.mlp.fc1.weight is not a matrix") }
        let pos = try need("pos_embed")
        let table = pos.shape.count == 3 ? pos.shape[1] - 1 : -1
        let m = Int(Double(max(table, 0)).squareRoot().rounded())
        guard table > 0, m * m == table, pos.shape.last == dim else {
            throw FeatureError.invalidConfig(path: path, reason: "pos_embed has shape \(pos.shape), expected [1, 1+M², \(dim)]")
        }
        let registers = tensors["register_tokens"].map { $0.shape.count == 3 ? $0.shape[1] : -1 } ?? 0
        guard registers >= 0 else { throw FeatureError.invalidConfig(path: path, reason: "register_tokens is not [1, R, D]") }
        var heads = dim / 64
        if let h = config?["num_attention_heads"] as? Int { heads = h }
        if let headsOverride { heads = headsOverride }
        guard heads > 0, dim % heads == 0 else {
            throw FeatureError.invalidConfig(path: path, reason: heads == 0 && headsOverride == nil
                ? "cannot infer heads: width \(dim) is under the standard head width 64; give the head count (--heads)"
                : "width \(dim) is not divisible into \(heads) heads")
        }
        var eps: Float = 1e-6
        if let e = config?["layer_norm_eps"] as? Double { eps = Float(e) }
        if let p = config?["patch_size"] as? Int, p != patch {
            throw FeatureError.invalidConfig(path: path, reason: "config patch_size \(p) disagrees with the weights' \(patch)")
        }
        return ViTConfig(patchSize: patch, dim: dim, depth: depth, heads: heads, mlpDim: fc1.shape[0],
                         registers: registers, layerScale: tensors["blocks.0.ls1.gamma"] != nil, eps: eps,
                         positionGrid: m, interpolation: registers > 0 ? .antialiasedSize : .dinoScaleFactor)
    }

    /// Every parameter name and shape the model needs, in DINO/timm naming.
    public var parameterShapes: [String: [Int]] {
        let d = dim, p = patchSize
        var s: [String: [Int]] = [
            "cls_token": [1, 1, d], "pos_embed": [1, 1 + positionGrid * positionGrid, d],
            "patch_embed.proj.weight": [d, 3, p, p], "patch_embed.proj.bias": [d],
            "norm.weight": [d], "norm.bias": [d],
        ]
        if registers > 0 { s["register_tokens"] = [1, registers, d] }
        for i in 0..<depth {
            let b = "blocks.\(i)."
            for n in ["norm1", "norm2"] { s[b + n + ".weight"] = [d]; s[b + n + ".bias"] = [d] }
            s[b + "attn.qkv.weight"] = [3 * d, d]; s[b + "attn.qkv.bias"] = [3 * d]
            s[b + "attn.proj.weight"] = [d, d]; s[b + "attn.proj.bias"] = [d]
            s[b + "mlp.fc1.weight"] = [mlpDim, d]; s[b + "mlp.fc1.bias"] = [mlpDim]
            s[b + "mlp.fc2.weight"] = [d, mlpDim]; s[b + "mlp.fc2.bias"] = [d]
            if layerScale { s[b + "ls1.gamma"] = [d]; s[b + "ls2.gamma"] = [d] }
        }
        return s
    }

    /// Forward FLOPs (multiply-adds × 2) of one image with `tokens` tokens and `patches` patches.
    public func flops(tokens n: Int, patches: Int) -> Double {
        let d = Double(dim), nn = Double(n)
        let perBlock = 2 * nn * (3 * d * d + d * d + 2 * d * Double(mlpDim)) + 4 * nn * nn * d
        return Double(depth) * perBlock + 2 * Double(patches) * d * Double(3 * patchSize * patchSize)
    }
}
