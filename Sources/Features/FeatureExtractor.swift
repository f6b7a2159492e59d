import Imaging
import Tensor

/// What `FeatureExtractor.extract` should return; everything comes from one forward pass.
public struct FeatureRequest: Sendable, Equatable {
    /// Block to read the facet, CLS and saliency from, 0-based (default: the last block).
    public var layer: Int?
    /// Descriptor facet, or nil for none.
    public var facet: Facet?
    /// Patch-embedding stride override (must divide the patch size); nil keeps the patch size.
    public var stride: Int?
    /// Return the CLS row of block `layer`'s output (before the final norm, as VLPart's retrieval uses).
    public var cls = false
    /// Return the CLS token after the final LayerNorm (runs every block).
    public var finalCLS = false
    /// Heads to average for saliency; nil for no saliency, empty for all heads.
    public var saliencyHeads: [Int]?

    public init(layer: Int? = nil, facet: Facet? = nil, stride: Int? = nil, cls: Bool = false,
                finalCLS: Bool = false, saliencyHeads: [Int]? = nil) {
        self.layer = layer; self.facet = facet; self.stride = stride; self.cls = cls
        self.finalCLS = finalCLS; self.saliencyHeads = saliencyHeads
    }
}

/// Per-image ViT outputs. Patches are in row-major grid order; CLS and register rows are removed.
public struct ImageFeatures: Sendable {
    public var gridHeight: Int, gridWidth: Int
    /// `.token/.key/.query/.value`: `[gridHeight·gridWidth, D]` (q/k/v heads concatenated
    /// head-major, column `h·headDim + d`); `.attn`: `[heads, N, N]` over all tokens.
    public var facet: Tensor?
    /// `[D]`, block `layer` output before the final norm.
    public var cls: Tensor?
    /// `[D]`, after the final norm.
    public var finalCLS: Tensor?
    /// `[gridHeight, gridWidth]`, CLS→patch attention averaged over the requested heads, min-max
    /// normalised to [0, 1] (all zeros when the map is constant).
    public var saliency: Tensor?
}

/// One forward pass per image serving facets, layers, CLS tokens and saliency (our `SamPredictor`).
///
/// ```swift
/// let extractor = try FeatureExtractor(checkpoint: "dino_deitsmall8_pretrain.pth")
/// let pixels = try Npy.read(path: "image.npy")               // [1, 3, H, W], normalised
/// let f = try extractor.extract(pixels: pixels, request: FeatureRequest(layer: 11, facet: .key, stride: 4, saliencyHeads: [0, 2, 4, 5]))
/// ```
public struct FeatureExtractor: Sendable {
    public let model: VisionTransformer

    public init(model: VisionTransformer) { self.model = model }

    /// This extractor with its model computing in `precision` (see `VisionTransformer.with(precision:)`).
    public func with(precision: Precision) -> FeatureExtractor { FeatureExtractor(model: model.with(precision: precision)) }

    /// Loads the model with `ViTCheckpoint.load(path:heads:)`.
    public init(checkpoint path: String, heads: Int? = nil) throws {
        model = try ViTCheckpoint.load(path: path, heads: heads)
    }

    /// Runs the ViT once on one image.
    ///
    /// - Parameters:
    ///   - pixels: `[1, 3, H, W]`, RGB planes already normalised (ImageNet mean/std).
    ///   - name: names the input in error messages.
    /// - Throws: `FeatureError.invalidInput` for a bad shape, stride, layer or head index.
    public func extract(pixels: Tensor, request: FeatureRequest, name: String = "input") throws -> ImageFeatures {
        guard pixels.rank == 4, pixels.shape[0] == 1 else {
            throw FeatureError.invalidInput(name: name, reason: "expected a [1, 3, H, W] tensor, got \(pixels.shape)")
        }
        let cfg = model.config
        var heads: [Int] = []
        if let requested = request.saliencyHeads {
            heads = requested.isEmpty ? Array(0..<cfg.heads) : requested
            if let bad = heads.first(where: { !(0..<cfg.heads).contains($0) }) {
                throw FeatureError.invalidInput(name: name, reason: "saliency head \(bad) is outside 0..<\(cfg.heads)")
            }
        }
        return try run(pixels, request: request, heads: heads, name: name)
    }

    private func run(_ pixels: Tensor, request: FeatureRequest, heads: [Int], name: String) throws -> ImageFeatures {
        let cfg = model.config, d = cfg.dim
        var options = ViTForwardOptions(stride: request.stride, lastBlock: request.layer)
        let facet = request.facet
        options.keepQKV = facet == .key || facet == .query || facet == .value
        options.keepAttention = facet == .attn
        options.keepCLSAttention = request.saliencyHeads != nil
        options.finalNormCLS = request.finalCLS
        let r = try model.forward(pixels, options: options, name: name)
        let n = r.tokens, first = 1 + cfg.registers, patches = r.gridHeight * r.gridWidth
        var out = ImageFeatures(gridHeight: r.gridHeight, gridWidth: r.gridWidth)
        switch facet {
        case .token?:
            out.facet = Tensor(shape: [patches, d], data: Array(r.hidden.data[(first * d)..<(n * d)]))
        case let f? where f != .attn:
            let part = f == .query ? 0 : (f == .key ? 1 : 2)
            var data = [Float](repeating: 0, count: patches * d)
            let qkv = r.qkv!.data
            for t in 0..<patches {
                let src = (first + t) * 3 * d + part * d
                for c in 0..<d { data[t * d + c] = qkv[src + c] }
            }
            out.facet = Tensor(shape: [patches, d], data: data)
        case .attn?:
            out.facet = r.attention!.reshaped([cfg.heads, n, n])
        default: break
        }
        if request.cls { out.cls = Tensor(shape: [d], data: Array(r.hidden.data[0..<d])) }
        if request.finalCLS { out.finalCLS = r.finalCLS!.reshaped([d]) }
        if let attention = r.clsAttention {
            out.saliency = Tensor(shape: [r.gridHeight, r.gridWidth],
                                  data: saliency(attention.data, tokens: n, first: first, heads: heads))
        }
        return out
    }

    /// Mean over `heads` of the CLS row's attention to each patch, min-max normalised.
    func saliency(_ clsAttention: [Float], tokens n: Int, first: Int, heads: [Int]) -> [Float] {
        var s = [Float](repeating: 0, count: n - first)
        for h in heads { for j in first..<n { s[j - first] += clsAttention[h * n + j] } }
        for j in 0..<s.count { s[j] /= Float(heads.count) }
        let lo = s.min() ?? 0, hi = s.max() ?? 0
        guard hi > lo else { return [Float](repeating: 0, count: s.count) }
        return s.map { ($0 - lo) / (hi - lo) }
    }
}

extension FeatureExtractor {
    /// The pixel size an image is resized to: short side `size` (long side scaled and truncated as
    /// torchvision's `Resize(int)` does), then both shrunk so the long side is at most `maxLongSide`.
    public static func preprocessedSize(width: Int, height: Int, size: Int, maxLongSide: Int? = nil) -> (width: Int, height: Int) {
        let short = min(width, height), long = max(width, height)
        var newShort = size, newLong = Int(Double(size) * Double(long) / Double(short))
        if let cap = maxLongSide, newLong > cap {
            newShort = max(1, Int(Double(cap) * Double(newShort) / Double(newLong)))
            newLong = cap
        }
        return width <= height ? (newShort, newLong) : (newLong, newShort)
    }

    /// Preprocessing as dino-vit-features and DINO evaluation do it: RGB, short side resized to
    /// `size` (antialiased bicubic, like PIL), no crop, ImageNet mean/std.
    /// - Returns: `[1, 3, H, W]` normalised planes.
    public static func preprocess(_ image: Image, size: Int, maxLongSide: Int? = nil) -> Tensor {
        let (w, h) = preprocessedSize(width: image.width, height: image.height, size: size, maxLongSide: maxLongSide)
        let resized = image.converted(toChannels: 3).resized(width: w, height: h, filter: .bicubic, antialias: true)
        return Tensor(shape: [1, 3, h, w], data: resized.normalizedCHW())
    }
}
