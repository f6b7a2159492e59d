import Foundation
import Testing
import TestSupport
import Tensor
@testable import Features

/// Masked-autoencoder pretraining against PyTorch (`tools/make_mae_fixtures.py`): the encoder on
/// the visible patches, the decoder with mask tokens, the per-patch normalised pixel loss on the
/// hidden patches, every gradient and two AdamW steps.
struct MAEFixtureTests {
    static let path = fixtureURL("pretrain", "mae_tiny.safetensors").path

    static func tinyConfig() -> MAEConfig {
        var c = MAEConfig()
        c.architecture = PretrainArchitecture(patchSize: 4, dim: 16, depth: 2, heads: 2, imageSize: 16)
        c.decoderDim = 8
        c.decoderDepth = 1
        c.decoderHeads = 2
        c.batchSize = 2
        c.epochs = 1
        c.maskRatio = 1 - 5.0 / 16
        return c
    }

    /// Loss: atol 1e-5 / rtol 1e-5. Gradients: atol 1e-5 / rtol 1e-3 (float32 sums of a few
    /// hundred terms). Parameters after two Adam steps (updates ≈ lr = 1e-3): atol 2e-5 / rtol 1e-4.
    @Test func twoTrainingStepsMatchPyTorch() throws {
        let (t, meta) = try SafeTensors.readWithMetadata(path: Self.path)
        #expect(meta["generator_version"] == "1", "stale fixture: rerun tools/make_mae_fixtures.py")
        let config = Self.tinyConfig()
        #expect(config.visiblePatches == 5)
        let trainer = MAETrainer(config: config, imageCount: 2)
        let named = trainer.encoder.parameters.map { ("encoder." + $0.name, $0) } + trainer.decoder.parameters.map { ("decoder." + $0.name, $0) }
        #expect(named.count == t.keys.filter { $0.hasPrefix("init.") }.count, "parameter sets differ")
        for (name, p) in named {
            let initial = try #require(t["init." + name], "fixture lacks init.\(name)")
            #expect(initial.shape == p.shape, "\(name): \(initial.shape) vs \(p.shape)")
            p.value.assign(initial.data)
        }
        let pixels = try #require(t["pixels"]).data
        let v = try #require(t["visible"]).data.map { Int($0) }
        let visible = [Array(v[0..<5]), Array(v[5..<10])]
        for (s, lr) in [Float(1e-3), 2e-3].enumerated() {
            let loss = trainer.step(pixels: pixels, visible: visible, learningRate: lr)
            expectClose([loss], t["step\(s).loss"]!.data, atol: 1e-5, rtol: 1e-5, label: "step \(s) loss")
            if s == 0 {
                for (name, p) in named {
                    expectClose(p.grad.array, t["grad0." + name]!.data, atol: 1e-5, rtol: 1e-3, label: "grad \(name)")
                }
            }
        }
        // As in the DINO fixture: the key bias's gradient is zero in theory, float noise in practice.
        func comparable(_ name: String, _ x: [Float]) -> [Float] {
            guard name.hasSuffix("attn.qkv.bias") else { return x }
            let d = x.count / 3
            return Array(x[0..<d]) + Array(x[(2 * d)...])
        }
        for (name, p) in named {
            expectClose(comparable(name, p.value.array), comparable(name, t["final." + name]!.data),
                        atol: 2e-5, rtol: 1e-4, label: "final \(name)")
        }
    }

    /// Patch targets: channel-major pixels of each patch, normalised by that patch's mean and
    /// unbiased variance.
    @Test func patchTargetsNormaliseEachPatch() {
        // One 4×4 image, patch 2: patch (0, 0) holds pixels (0,0), (0,1), (1,0), (1,1) of each channel.
        let pixels = (0..<48).map { Float($0) }
        let out = MAETrainer.patchTargets(pixels, batch: 1, size: 4, patch: 2)
        #expect(out.count == 4 * 12)
        let raw: [Float] = [0, 1, 4, 5, 16, 17, 20, 21, 32, 33, 36, 37]
        let mean = raw.reduce(0, +) / 12
        let sd = (raw.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 11 + 1e-6).squareRoot()
        expectClose(Array(out[0..<12]), raw.map { ($0 - mean) / sd }, atol: 1e-5, rtol: 1e-5, label: "patch 0")
        for p in 0..<4 {
            let row = out[(p * 12)..<((p + 1) * 12)]
            #expect(abs(row.reduce(0, +)) < 1e-4)
        }
    }
}
