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

    /// Patch 8, width 192, depth 6, 3 heads, 64-pixel global crops: about 4 images/s on 2 cores.
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
public final class TrainableViT {
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
            let b = "blocks.\(i)."
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
        let a = architecture, g = size / a.patchSize, n = 1 + g * g
        func p(_ name: String) -> Var { tape.parameter(named[name]!) }
        let patches = tape.patchEmbed(images: pixels, batch: batch, channels: 3, height: size, width: size,
                                      weight: p("patch_embed.proj.weight"), bias: p("patch_embed.proj.bias"))
        let pos = tape.interpolatePositionEmbedding(p("pos_embed"), gridHeight: g, gridWidth: g)
        var x = tape.prependClassToken(patches, classToken: p("cls_token"), position: pos, batch: batch)  // [B·N, D]
        for i in 0..<a.depth {
            let b = "blocks.\(i)."
            let h = tape.layerNorm(x, weight: p(b + "norm1.weight"), bias: p(b + "norm1.bias"), eps: 1e-6)
            let qkv = tape.linear(h, weight: p(b + "attn.qkv.weight"), bias: p(b + "attn.qkv.bias"))   // [B·N, 3D]
            let o = tape.attention(qkv, batch: batch, heads: a.heads)                                  // [B·N, D]
            x = tape.add(x, tape.linear(o, weight: p(b + "attn.proj.weight"), bias: p(b + "attn.proj.bias")))
            let h2 = tape.layerNorm(x, weight: p(b + "norm2.weight"), bias: p(b + "norm2.bias"), eps: 1e-6)
            let f = tape.gelu(tape.linear(h2, weight: p(b + "mlp.fc1.weight"), bias: p(b + "mlp.fc1.bias")))
            x = tape.add(x, tape.linear(f, weight: p(b + "mlp.fc2.weight"), bias: p(b + "mlp.fc2.bias")))
        }
        let cls = tape.strideRows(x, stride: n)                                                       // [B, D]
        return tape.layerNorm(cls, weight: p("norm.weight"), bias: p("norm.bias"), eps: 1e-6)
    }
}
