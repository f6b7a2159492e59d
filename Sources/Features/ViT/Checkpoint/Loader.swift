import Foundation
import Tensor

/// Loads a DINO / DINOv2 ViT from a `.safetensors` or `.pth` file, or an HF directory holding
/// `model.safetensors` and `config.json`. Loading is strict: every parameter must be present with
/// the inferred shape and every remaining key must be used.
public enum ViTCheckpoint {
    /// Reads, renames, infers the configuration and builds the model.
    ///
    /// - Parameters:
    ///   - path: `.safetensors`, `.pth`/`.pt`/`.bin`, or a directory with `model.safetensors` (+ `config.json`).
    ///   - heads: overrides the head count (default: `config.json`, else the safetensors metadata
    ///     `heads` that `vlpart pretrain` writes, else width / 64).
    /// - Throws: `TensorIOError` for damaged files, `FeatureError` for missing/unused keys, shape
    ///   mismatches or an inconsistent configuration; every message names `path`.
    public static func load(path: String, heads: Int? = nil) throws -> VisionTransformer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FeatureError.unreadable(path: path, reason: "no such file or directory")
        }
        var config: [String: Any]? = nil
        let raw: [String: Tensor]
        var weightsPath = path
        if isDirectory.boolValue {
            let dir = URL(fileURLWithPath: path)
            weightsPath = dir.appendingPathComponent("model.safetensors").path
            let configPath = dir.appendingPathComponent("config.json").path
            guard FileManager.default.fileExists(atPath: weightsPath) else {
                throw FeatureError.unreadable(path: path, reason: "directory has no model.safetensors")
            }
            if FileManager.default.fileExists(atPath: configPath) {
                guard let data = FileManager.default.contents(atPath: configPath),
                      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    throw FeatureError.invalidConfig(path: configPath, reason: "not a JSON object")
                }
                config = json
            }
            raw = try SafeTensors.read(path: weightsPath)
        } else if path.hasSuffix(".safetensors") {
            let (tensors, metadata) = try SafeTensors.readWithMetadata(path: path)
            raw = tensors
            // vlpart's own backbones (and the experiment scripts in bench/) record their head
            // count, which width / 64 gets wrong for the small synthetic models (96 → 1, not 3).
            if let h = metadata["heads"].flatMap(Int.init) { config = ["num_attention_heads": h] }
        } else if path.hasSuffix(".pth") || path.hasSuffix(".pt") || path.hasSuffix(".bin") {
            raw = try TorchCheckpoint.read(path: path)
        } else {
            throw FeatureError.unreadable(path: path, reason: "expected a .safetensors or .pth file, or an HF model directory")
        }
        return try build(raw, config: config, heads: heads, path: weightsPath)
    }

    /// Builds the model from raw checkpoint tensors (any supported naming).
    public static func build(_ raw: [String: Tensor], config: [String: Any]? = nil, heads: Int? = nil,
                             path: String) throws -> VisionTransformer {
        let tensors = try KeyMap.canonicalize(raw, path: path)
        let cfg = try ViTConfig.infer(from: tensors, config: config, heads: heads, path: path)
        let expected = cfg.parameterShapes
        let missing = expected.keys.filter { tensors[$0] == nil }.sorted { naturalLess($0, $1) }
        guard missing.isEmpty else { throw FeatureError.missingKeys(path: path, keys: missing) }
        let unused = tensors.keys.filter { expected[$0] == nil }.sorted { naturalLess($0, $1) }
        guard unused.isEmpty else { throw FeatureError.unusedKeys(path: path, keys: unused) }
        for (key, shape) in expected.sorted(by: { naturalLess($0.key, $1.key) }) where tensors[key]!.shape != shape {
            throw FeatureError.shapeMismatch(path: path, key: key, expected: shape, found: tensors[key]!.shape)
        }
        func t(_ k: String) -> Tensor { tensors[k]! }
        func flat(_ k: String) -> Tensor { let x = t(k); return x.reshaped([x.count]) }
        let d = cfg.dim, p = cfg.patchSize
        let blocks = (0..<cfg.depth).map { i -> Block in
            let b = "blocks.\(i)."
            return Block(norm1Weight: t(b + "norm1.weight"), norm1Bias: t(b + "norm1.bias"),
                         attn: Attention(qkvWeight: t(b + "attn.qkv.weight"), qkvBias: t(b + "attn.qkv.bias"),
                                         projWeight: t(b + "attn.proj.weight"), projBias: t(b + "attn.proj.bias"), heads: cfg.heads),
                         norm2Weight: t(b + "norm2.weight"), norm2Bias: t(b + "norm2.bias"),
                         fc1Weight: t(b + "mlp.fc1.weight"), fc1Bias: t(b + "mlp.fc1.bias"),
                         fc2Weight: t(b + "mlp.fc2.weight"), fc2Bias: t(b + "mlp.fc2.bias"),
                         ls1: cfg.layerScale ? t(b + "ls1.gamma") : nil, ls2: cfg.layerScale ? t(b + "ls2.gamma") : nil,
                         eps: cfg.eps)
        }
        return VisionTransformer(
            config: cfg,
            patchEmbed: PatchEmbed(weight: t("patch_embed.proj.weight").reshaped([d, 3 * p * p]), bias: t("patch_embed.proj.bias"), patchSize: p),
            clsToken: flat("cls_token"),
            posEmbed: t("pos_embed").reshaped([-1, d]),
            registerTokens: cfg.registers > 0 ? t("register_tokens").reshaped([cfg.registers, d]) : nil,
            blocks: blocks, normWeight: t("norm.weight"), normBias: t("norm.bias"))
    }

    /// Orders `blocks.2.x` before `blocks.10.x` so error lists read naturally.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: .numeric) == .orderedAscending
    }
}
