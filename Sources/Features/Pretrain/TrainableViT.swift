import Foundation
import Tensor

/// The shape of a ViT trained by `vlpart pretrain`; any size works, the presets follow DINO's.
public struct PretrainArchitecture: Sendable, Equatable, Codable {
    public var patchSize: Int
    public var dim: Int
    public var depth: Int
    public var heads: Int
    public var mlpRatio: Int
    /// Side of the global crops; `pos_embed` holds `(imageSize/patchSize)²` grid positions.
    public var imageSize: Int

    public init(patchSize: Int, dim: Int, depth: Int, heads: Int, mlpRatio: Int = 4, imageSize: Int) {
        self.patchSize = patchSize
        self.dim = dim
        self.depth = depth
        self.heads = heads
        self.mlpRatio = mlpRatio
        self.imageSize = imageSize
    }

    /// Patch 8, width 192, depth 6, 3 heads, 64-pixel global crops: DINO trains it at about 26
    /// images/s on 2 cores (`bench/pretrain_vs_pytorch.sh`).
    public static let tiny = PretrainArchitecture(patchSize: 8, dim: 192, depth: 6, heads: 3, imageSize: 64)
    /// Patch 8, width 96, depth 4, 3 heads: for tests and quick experiments.
    public static let nano = PretrainArchitecture(patchSize: 8, dim: 96, depth: 4, heads: 3, imageSize: 64)
    /// DINO ViT-S/8 (width 384, depth 12, 6 heads) at 224-pixel crops.
    public static let small = PretrainArchitecture(patchSize: 8, dim: 384, depth: 12, heads: 6, imageSize: 224)
    /// DINO ViT-B/16 at 224-pixel crops.
    public static let base = PretrainArchitecture(patchSize: 16, dim: 768, depth: 12, heads: 12, imageSize: 224)

    /// The preset called `name` (`nano`, `tiny`, `small`, `base`).
    public static func named(_ name: String) -> PretrainArchitecture? {
        ["nano": nano, "tiny": tiny, "small": small, "base": base][name]
    }

    var grid: Int { imageSize / patchSize }
}

/// A DINO `VisionTransformer` on the autodiff tape: the student (or the EMA teacher) backbone.
/// Parameters carry their DINO/timm state-dict names (`blocks.3.attn.qkv.weight`), so the saved
/// file loads with `ViTCheckpoint.load`. Drop-path is not used (DINO's student default is 0.1;
/// the tiny models here train for few epochs).
/// Sendable because data-parallel shards read it from several threads at once: its parameter
/// list never changes, and values change only between passes (optimiser, EMA).
public final class TrainableViT: @unchecked Sendable {
    public let architecture: PretrainArchitecture
    /// All parameters in state-dict order.
    public let parameters: [Parameter]
    let named: [String: Parameter]

    /// DINO's initialisation: `trunc_normal_(std=.02)` for tokens, position embedding and Linear
    /// weights, zero biases, unit LayerNorms; the patch conv keeps PyTorch's default
    /// (uniform ±1/√fan_in for weight and bias).
    public init(architecture a: PretrainArchitecture, rng: inout PretrainRandom) {
        precondition(a.dim % a.heads == 0 && a.imageSize % a.patchSize == 0, "invalid architecture \(a)")
        architecture = a
        var ps: [Parameter] = []
        func add(_ name: String, _ shape: [Int], _ make: (inout PretrainRandom) -> Float) {
            let n = shape.reduce(1, *)
            var values = [Float](repeating: 0, count: n)
            for i in 0..<n { values[i] = make(&rng) }
            ps.append(Parameter(name: name, shape: shape, values: values))
        }
        let d = a.dim, hidden = a.dim * a.mlpRatio, fanIn = 3 * a.patchSize * a.patchSize
        let bound = 1 / Double(fanIn).squareRoot()
        add("cls_token", [1, 1, d]) { $0.truncatedNormal(std: 0.02) }
        add("pos_embed", [1, 1 + a.grid * a.grid, d]) { $0.truncatedNormal(std: 0.02) }
        add("patch_embed.proj.weight", [d, 3, a.patchSize, a.patchSize]) { Float($0.uniform(-bound, bound)) }
        add("patch_embed.proj.bias", [d]) { Float($0.uniform(-bound, bound)) }
        for i in 0..<a.depth {
            Self.addBlockParameters(&ps, prefix: "blocks.\(i).", dim: d, hidden: hidden, rng: &rng)
        }
        add("norm.weight", [d]) { _ in 1 }
        add("norm.bias", [d]) { _ in 0 }
        // DINO's get_params_groups: no weight decay on biases and norms (rank-1 tensors); the
        // tokens and position embedding are rank 3 and are decayed, as in DINO.
        for p in ps { p.decays = p.shape.count > 1 }
        parameters = ps
        named = Dictionary(uniqueKeysWithValues: ps.map { ($0.name, $0) })
    }

    /// The CLS token after the final LayerNorm for a batch of square crops.
    ///
    /// - Parameters:
    ///   - pixels: `[batch, 3, size, size]`, normalised RGB planes.
    /// - Returns: `[batch, dim]`.
    public func forward(_ tape: Tape, pixels: [Float], batch: Int, size: Int) -> Var {
        let n = 1 + (size / architecture.patchSize) * (size / architecture.patchSize)
        let x = blocks(tape, embed(tape, pixels: pixels, batch: batch, size: size), batch: batch)
        return finalNorm(tape, tape.strideRows(x, stride: n))                                         // [B, D]
    }

    /// Patch embedding, CLS token and position embedding: `[batch·(1 + g²), dim]`, image-major,
    /// each image's CLS row first.
    public func embed(_ tape: Tape, pixels: [Float], batch: Int, size: Int) -> Var {
        let g = size / architecture.patchSize
        let patches = tape.patchEmbed(images: pixels, batch: batch, channels: 3, height: size, width: size,
                                      weight: p(tape, "patch_embed.proj.weight"), bias: p(tape, "patch_embed.proj.bias"))
        let pos = tape.interpolatePositionEmbedding(p(tape, "pos_embed"), gridHeight: g, gridWidth: g)
        return tape.prependClassToken(patches, classToken: p(tape, "cls_token"), position: pos, batch: batch)
    }

    /// The transformer blocks over `batch` equal-length token sequences stacked as rows.
    public func blocks(_ tape: Tape, _ tokens: Var, batch: Int) -> Var {
        var x = tokens
        for i in 0..<architecture.depth {
            x = Self.block(tape, x, batch: batch, heads: architecture.heads, prefix: "blocks.\(i).") { p(tape, $0) }
        }
        return x
    }

    /// The final LayerNorm (`norm.*`).
    public func finalNorm(_ tape: Tape, _ x: Var) -> Var {
        tape.layerNorm(x, weight: p(tape, "norm.weight"), bias: p(tape, "norm.bias"), eps: 1e-6)
    }

    func p(_ tape: Tape, _ name: String) -> Var { tape.parameter(named[name]!) }

    /// One pre-norm timm `Block` (attention then MLP, each residual) whose parameters are
    /// `prefix` + `norm1.weight`, `attn.qkv.weight`, …, looked up through `parameter`.
    static func block(_ tape: Tape, _ x: Var, batch: Int, heads: Int, prefix b: String,
                      parameter p: (String) -> Var) -> Var {
        let h = tape.layerNorm(x, weight: p(b + "norm1.weight"), bias: p(b + "norm1.bias"), eps: 1e-6)
        let qkv = tape.linear(h, weight: p(b + "attn.qkv.weight"), bias: p(b + "attn.qkv.bias"))   // [B·N, 3D]
        let o = tape.attention(qkv, batch: batch, heads: heads)                                    // [B·N, D]
        let x = tape.add(x, tape.linear(o, weight: p(b + "attn.proj.weight"), bias: p(b + "attn.proj.bias")))
        let h2 = tape.layerNorm(x, weight: p(b + "norm2.weight"), bias: p(b + "norm2.bias"), eps: 1e-6)
        let f = tape.gelu(tape.linear(h2, weight: p(b + "mlp.fc1.weight"), bias: p(b + "mlp.fc1.bias")))
        return tape.add(x, tape.linear(f, weight: p(b + "mlp.fc2.weight"), bias: p(b + "mlp.fc2.bias")))
    }

    /// Appends the parameters of one timm `Block` of width `dim` named `prefix…` to `ps`, with
    /// DINO's initialisation (unit norms, zero biases, `trunc_normal_(std=.02)` weights).
    static func addBlockParameters(_ ps: inout [Parameter], prefix b: String, dim d: Int, hidden: Int,
                                   rng: inout PretrainRandom) {
        func add(_ name: String, _ shape: [Int], _ make: (inout PretrainRandom) -> Float) {
            let n = shape.reduce(1, *)
            var values = [Float](repeating: 0, count: n)
            for i in 0..<n { values[i] = make(&rng) }
            ps.append(Parameter(name: name, shape: shape, values: values))
        }
        add(b + "norm1.weight", [d]) { _ in 1 }
        add(b + "norm1.bias", [d]) { _ in 0 }
        add(b + "attn.qkv.weight", [3 * d, d]) { $0.truncatedNormal(std: 0.02) }
        add(b + "attn.qkv.bias", [3 * d]) { _ in 0 }
        add(b + "attn.proj.weight", [d, d]) { $0.truncatedNormal(std: 0.02) }
        add(b + "attn.proj.bias", [d]) { _ in 0 }
        add(b + "norm2.weight", [d]) { _ in 1 }
        add(b + "norm2.bias", [d]) { _ in 0 }
        add(b + "mlp.fc1.weight", [hidden, d]) { $0.truncatedNormal(std: 0.02) }
        add(b + "mlp.fc1.bias", [hidden]) { _ in 0 }
        add(b + "mlp.fc2.weight", [d, hidden]) { $0.truncatedNormal(std: 0.02) }
        add(b + "mlp.fc2.bias", [d]) { _ in 0 }
    }
}
