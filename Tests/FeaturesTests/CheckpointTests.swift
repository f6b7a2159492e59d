import Foundation
import Testing
import TestSupport
import Tensor
@testable import Features

/// Loads `name` expecting a thrown error whose one-line description names the file and contains `needle`.
func expectLoadFailure(_ name: String, heads: Int? = 2, containing needle: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try ViTCheckpoint.load(path: features(name), heads: heads)
        Issue.record("\(name) loaded", sourceLocation: sourceLocation)
    } catch {
        let text = "\(error)"
        #expect(text.contains(name) && text.contains(needle) && !text.contains("\n"), "\(text)", sourceLocation: sourceLocation)
    }
}

@Test func malformedCheckpointsAreRejectedCleanly() {
    expectLoadFailure("truncated.safetensors", containing: "truncated")
    expectLoadFailure("wrong_shape.safetensors", containing: "blocks.1.mlp.fc1.weight has shape [128, 16]")
    expectLoadFailure("missing_keys.safetensors", containing: "blocks.1.attn.proj.bias")
    expectLoadFailure("unused_key.safetensors", containing: "blocks.0.attn.surprise")
    expectLoadFailure("foreign_global.pth", containing: "posix.system")
    expectLoadFailure("dino_tiny.safetensors", heads: nil, containing: "--heads")
    expectLoadFailure("no-such-model.pth", containing: "no such file")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/vlpart_pwned"))
}

@Test func keyMapFusesHuggingFaceQKVAndStripsPrefixes() throws {
    let q = Tensor(shape: [2, 2], data: [1, 2, 3, 4]), k = Tensor(shape: [2, 2], data: [5, 6, 7, 8])
    let v = Tensor(shape: [2, 2], data: [9, 10, 11, 12])
    let raw = ["encoder.layer.0.attention.attention.query.weight": q, "encoder.layer.0.attention.attention.key.weight": k,
               "encoder.layer.0.attention.attention.value.weight": v, "encoder.layer.0.layernorm_before.weight": q,
               "encoder.layer.0.output.dense.bias": q, "encoder.layer.0.attention.output.dense.bias": k,
               "layers.1.attention.q_proj.bias": q, "layers.1.attention.k_proj.bias": k, "layers.1.attention.v_proj.bias": v,
               "layers.1.layer_scale1.lambda1": v, "pooler.dense.weight": q]
    let out = try KeyMap.canonicalize(raw, path: "x")
    #expect(out["blocks.0.attn.qkv.weight"]?.data == Array(1...12).map(Float.init))
    #expect(out["blocks.1.attn.qkv.bias"]?.shape == [6, 2])
    #expect(out["blocks.0.norm1.weight"] == q && out["blocks.0.mlp.fc2.bias"] == q && out["blocks.0.attn.proj.bias"] == k)
    #expect(out["blocks.1.ls1.gamma"] == v && out["pooler.dense.weight"] == nil)
    let teacher = try KeyMap.canonicalize(["teacher.backbone.cls_token": q, "teacher.head.mlp.0.weight": k,
                                           "student.module.backbone.cls_token": v], path: "x")
    #expect(teacher.keys.sorted() == ["cls_token"] && teacher["cls_token"] == q)
    #expect(throws: FeatureError.self) { try KeyMap.canonicalize(["encoder.layer.0.attention.attention.query.weight": q], path: "x") }
}

@Test func positionTableIsUntouchedOnlyForSquareNativeInputs() {
    let table = Tensor(shape: [17, 1], data: (0..<17).map(Float.init))
    let same = PositionEmbedding.forGrid(table: table, m: 4, gridHeight: 4, gridWidth: 4, pixelHeight: 32, pixelWidth: 32, mode: .dinoScaleFactor)
    #expect(same == table)
    // The +0.1 means a 4×4 grid of a non-square image (same patch count) is still resampled.
    let resampled = PositionEmbedding.forGrid(table: table, m: 4, gridHeight: 2, gridWidth: 8, pixelHeight: 16, pixelWidth: 64, mode: .dinoScaleFactor)
    #expect(resampled.shape == [17, 1] && resampled != table && resampled.data[0] == 0)
}
