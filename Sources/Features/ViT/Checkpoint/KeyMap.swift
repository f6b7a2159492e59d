import Tensor

/// Renames checkpoint tensors into DINO/timm naming (`blocks.N.attn.qkv.weight`, …), the one
/// naming the model code uses. Handles original DINO / DINOv2 / timm files, HuggingFace
/// `ViTModel` / `Dinov2Model` files (classic and transformers-5 names, q/k/v fused here), the
/// `module.` / `backbone.` / `vit.` prefixes, and full DINO checkpoints (the `teacher` sub-dict).
enum KeyMap {
    /// Keys that are not part of the backbone and are dropped: DINO projection heads, classifier
    /// heads, the HF pooler, and the DINOv2 training-only mask token.
    static func isIgnored(_ key: String) -> Bool {
        key.hasPrefix("head.") || key.hasPrefix("pooler.") || key == "mask_token"
    }

    /// Canonical tensors from a raw checkpoint dictionary.
    /// - Throws: `FeatureError.unusedKeys` for HF names with no mapping, `.missingKeys` for an
    ///   incomplete q/k/v triple.
    static func canonicalize(_ raw: [String: Tensor], path: String) throws -> [String: Tensor] {
        var tensors = raw
        // Full DINO checkpoints: {teacher, student, …}, flattened by the reader as `teacher.…`.
        if tensors.keys.contains(where: { $0.hasPrefix("teacher.") }) {
            tensors = Dictionary(uniqueKeysWithValues: tensors.compactMap { k, v in
                k.hasPrefix("teacher.") ? (String(k.dropFirst("teacher.".count)), v) : nil
            })
        } else if tensors.keys.contains(where: { $0.hasPrefix("model.") }) && !tensors.keys.contains(where: { !$0.hasPrefix("model.") }) {
            tensors = Dictionary(uniqueKeysWithValues: tensors.map { (String($0.key.dropFirst("model.".count)), $0.value) })
        }
        var stripped: [String: Tensor] = [:]
        for (key, value) in tensors {
            var k = key
            for prefix in ["module.", "backbone.", "vit.", "dinov2."] where k.hasPrefix(prefix) { k = String(k.dropFirst(prefix.count)) }
            if isIgnored(k) { continue }
            stripped[k] = value
        }
        let isHF = stripped.keys.contains { $0.hasPrefix("embeddings.") || $0.hasPrefix("encoder.layer.") || $0.hasPrefix("layers.") }
        return isHF ? try fromHuggingFace(stripped, path: path) : stripped
    }

    /// One HF name → canonical name, or nil when unknown. q/k/v are handled by the caller.
    static func hfName(_ key: String) -> String? {
        let direct: [String: String] = [
            "embeddings.cls_token": "cls_token", "embeddings.position_embeddings": "pos_embed",
            "embeddings.register_tokens": "register_tokens",
            "embeddings.patch_embeddings.projection.weight": "patch_embed.proj.weight",
            "embeddings.patch_embeddings.projection.bias": "patch_embed.proj.bias",
            "layernorm.weight": "norm.weight", "layernorm.bias": "norm.bias",
        ]
        if let d = direct[key] { return d }
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let layerStart: Int
        if parts.count > 3, parts[0] == "encoder", parts[1] == "layer" { layerStart = 2 }
        else if parts.count > 2, parts[0] == "layers" { layerStart = 1 }
        else { return nil }
        guard let index = Int(parts[layerStart]) else { return nil }
        let rest = parts[(layerStart + 1)...].joined(separator: ".")
        let table: [(String, String)] = [
            ("layernorm_before.", "norm1."), ("norm1.", "norm1."), ("layernorm_after.", "norm2."), ("norm2.", "norm2."),
            ("attention.output.dense.", "attn.proj."), ("attention.o_proj.", "attn.proj."),
            ("intermediate.dense.", "mlp.fc1."), ("output.dense.", "mlp.fc2."),
            ("mlp.fc1.", "mlp.fc1."), ("mlp.fc2.", "mlp.fc2."),
            ("layer_scale1.lambda1", "ls1.gamma"), ("layer_scale2.lambda1", "ls2.gamma"),
        ]
        for (from, to) in table where rest.hasPrefix(from) {
            return "blocks.\(index)." + to + rest.dropFirst(from.count)
        }
        return nil
    }

    /// The q/k/v part of an HF attention key: (layer, 0/1/2 for q/k/v, "weight"/"bias").
    static func hfQKV(_ key: String) -> (layer: Int, part: Int, field: String)? {
        let parts = key.split(separator: ".").map(String.init)
        let names: [[String]: Int] = [["attention", "attention", "query"]: 0, ["attention", "attention", "key"]: 1,
                                      ["attention", "attention", "value"]: 2, ["attention", "q_proj"]: 0,
                                      ["attention", "k_proj"]: 1, ["attention", "v_proj"]: 2]
        let start = parts.first == "encoder" ? 2 : (parts.first == "layers" ? 1 : -1)
        guard start > 0, parts.count > start + 2, let layer = Int(parts[start]) else { return nil }
        let middle = Array(parts[(start + 1)..<(parts.count - 1)])
        guard let part = names[middle], let field = parts.last, field == "weight" || field == "bias" else { return nil }
        return (layer, part, field)
    }

    static func fromHuggingFace(_ tensors: [String: Tensor], path: String) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        var qkv: [String: [Int: Tensor]] = [:]
        var unknown: [String] = []
        for (key, value) in tensors {
            if let (layer, part, field) = hfQKV(key) {
                qkv["blocks.\(layer).attn.qkv.\(field)", default: [:]][part] = value
            } else if let name = hfName(key) {
                out[name] = value
            } else {
                unknown.append(key)
            }
        }
        guard unknown.isEmpty else { throw FeatureError.unusedKeys(path: path, keys: unknown.sorted()) }
        for (name, parts) in qkv {
            guard let q = parts[0], let k = parts[1], let v = parts[2] else {
                let missing = ["query", "key", "value"].enumerated().filter { parts[$0.offset] == nil }.map { "\(name) (\($0.element))" }
                throw FeatureError.missingKeys(path: path, keys: missing)
            }
            guard q.shape == k.shape, k.shape == v.shape else {
                throw FeatureError.shapeMismatch(path: path, key: name, expected: q.shape, found: k.shape)
            }
            out[name] = Tensor.concatenate([q, k, v])   // cat along dim 0: rows q, then k, then v
        }
        // HF stores the CLS / register tokens and position table exactly like DINO.
        return out
    }
}
