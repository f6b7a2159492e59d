import Features
import Foundation
import Imaging
import Store
import Tensor

/// How whole images are turned into frozen backbone features for the segmenter.
public struct BackboneSettings: Codable, Sendable, Equatable {
    /// Short side the image is resized to, pixels (the long side keeps the aspect, capped at 2×).
    public var size: Int = 224
    /// Patch-embedding stride override; `nil` keeps the patch size.
    public var stride: Int?
    /// Block to read (0-based); `nil` is the last.
    public var layer: Int?
    /// Descriptor facet: `token`, `key`, `query` or `value`.
    public var facet: String = Facet.token.rawValue
    /// Attention heads, for checkpoints that do not say (else inferred).
    public var heads: Int?
    /// Arithmetic of the ViT's matrix products (bf16 features are cached apart from fp32 ones).
    public var precision: Precision = .fp32

    public init(size: Int = 224, stride: Int? = nil, layer: Int? = nil, facet: String = Facet.token.rawValue, heads: Int? = nil,
                precision: Precision = .fp32) {
        self.size = size
        self.stride = stride
        self.layer = layer
        self.facet = facet
        self.heads = heads
        self.precision = precision
    }

    /// Settings written before `precision` existed (segmenter checkpoints) decode as fp32.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.decode(Int.self, forKey: .size)
        stride = try c.decodeIfPresent(Int.self, forKey: .stride)
        layer = try c.decodeIfPresent(Int.self, forKey: .layer)
        facet = try c.decode(String.self, forKey: .facet)
        heads = try c.decodeIfPresent(Int.self, forKey: .heads)
        precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? .fp32
    }

    /// A short stable key naming these settings in cache paths, e.g. `s224-st4-llast-token`.
    public var key: String {
        "s\(size)-st\(stride.map(String.init) ?? "p")-l\(layer.map(String.init) ?? "last")-\(facet)"
            + precision.cacheKeySuffix
    }
}

/// Patch features of one image: `[gridH · gridW, dim]` row-major.
public struct ImageFeatureGrid: Sendable {
    public let gridH: Int
    public let gridW: Int
    public let dim: Int
    public let features: [Float]

    public init(gridH: Int, gridW: Int, dim: Int, features: [Float]) {
        precondition(features.count == gridH * gridW * dim, "feature grid \(gridH)×\(gridW)×\(dim) has \(features.count) values")
        self.gridH = gridH
        self.gridW = gridW
        self.dim = dim
        self.features = features
    }
}

/// The frozen ViT of a segmenter: a checkpoint, its hash and the feature settings.
public struct Backbone: Sendable {
    public let path: String
    /// SHA-256 of the checkpoint file (hex).
    public let sha256: String
    public let settings: BackboneSettings
    public let extractor: FeatureExtractor

    /// Loads `path` (a `.safetensors`/`.pth` file, or a directory with `model.safetensors`).
    /// - Throws: `SegmenterError.badInput` for a bad facet, the loader's error for a bad checkpoint.
    public init(path: String, settings: BackboneSettings) throws {
        guard let facet = Facet(rawValue: settings.facet), facet != .attn else {
            throw SegmenterError.badInput("facet must be token, key, query or value, not '\(settings.facet)'")
        }
        _ = facet
        guard settings.size > 0 else { throw SegmenterError.badInput("feature size must be positive, got \(settings.size)") }
        var file = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = URL(fileURLWithPath: path).appendingPathComponent("model.safetensors").path
        }
        extractor = try FeatureExtractor(checkpoint: path, heads: settings.heads).with(precision: settings.precision)
        sha256 = try SHA256.hexDigest(ofFile: file)
        self.path = path
        self.settings = settings
    }

    /// Channels of the features this backbone produces.
    public var dim: Int {
        let c = extractor.model.config
        return c.dim
    }

    /// Features of one image: resized (short side `size`), run once through the ViT, each
    /// patch descriptor scaled to norm `√dim` so the head sees unit-variance inputs whatever
    /// the block's magnitude.
    /// - Throws: the extractor's error for a bad stride or layer.
    public func features(of image: Image, name: String = "image") throws -> ImageFeatureGrid {
        let pixels = FeatureExtractor.preprocess(image, size: settings.size, maxLongSide: 2 * settings.size)
        let request = FeatureRequest(layer: settings.layer, facet: Facet(rawValue: settings.facet), stride: settings.stride)
        let f = try extractor.extract(pixels: pixels, request: request, name: name)
        guard let facet = f.facet else { throw SegmenterError.badInput("\(name): the backbone returned no \(settings.facet) features") }
        let dim = facet.shape[1], n = f.gridHeight * f.gridWidth
        var data = facet.data
        let target = Float(dim).squareRoot()
        for r in 0..<n {
            var s: Float = 0
            for d in 0..<dim { s += data[r * dim + d] * data[r * dim + d] }
            let k = target / max(s.squareRoot(), 1e-12)
            for d in 0..<dim { data[r * dim + d] *= k }
        }
        return ImageFeatureGrid(gridH: f.gridHeight, gridW: f.gridWidth, dim: dim, features: data)
    }
}
