import ArgumentParser
import Features
import Parsing
import Store
import Tensor

/// The ViT and feature settings shared by `features cache` and `parse`: the same flags must
/// name the same cache entries in both.
struct FeatureModelOptions: ParsableArguments {
    @Option(help: "ViT checkpoint: .safetensors, .pth, or a directory with model.safetensors + config.json.")
    var model: String
    @Option(help: "Attention heads, when neither config.json nor the standard head width 64 gives them.")
    var heads: Int?
    @Option(help: "Side of the square each object crop is resized to, pixels.")
    var size: Int = 224
    @Option(help: "Patch-embedding stride (default: the patch size; VLPart uses 4 with ViT-S/8).")
    var stride: Int?
    @Option(help: "Block to read from, 0-based (default: the last).")
    var layer: Int?
    @Option(help: "Descriptor facet: token, key, query or value.")
    var facet: String = "key"
    @Option(name: .customLong("saliency-heads"), help: "Comma-separated heads averaged for saliency (default: all).")
    var saliencyHeads: String?
    @OptionGroup var arithmetic: PrecisionOption

    func validate() throws {
        guard let f = Facet(rawValue: facet), f != .attn else {
            throw ValidationError("--facet must be token, key, query or value, not '\(facet)'")
        }
        guard size > 0 else { throw ValidationError("--size must be positive") }
    }

    /// The settings these flags describe.
    func settings() throws -> FeatureSettings {
        FeatureSettings(size: size, stride: stride, layer: layer, facet: Facet(rawValue: facet)!,
                        saliencyHeads: try parseHeads(saliencyHeads), precision: resolvedPrecision)
    }

    /// `--precision` as this CPU runs it.
    var resolvedPrecision: Precision { arithmetic.resolved() }

    /// Loads the model and opens its cache beside `store` (keyed by the checkpoint's SHA-256).
    func builder(store: Store) throws -> FeatureCacheBuilder {
        let extractor = try FeatureExtractor(checkpoint: model, heads: heads).with(precision: resolvedPrecision)
        let sha = try SHA256.hexDigest(ofFile: checkpointFile(model))
        let cache = FeatureCache(store: store, modelSHA: sha, settings: try settings())
        return FeatureCacheBuilder(store: store, extractor: extractor, cache: cache)
    }
}

