import Foundation
import Testing
import TestSupport
import Tensor
@testable import Features

/// DINO loss and three training steps against PyTorch (`tools/make_pretrain_fixtures.py`).
struct PretrainFixtureTests {
    static let path = fixtureURL("pretrain", "dino_tiny.safetensors").path

    func load() throws -> [String: Tensor] {
        let (tensors, meta) = try SafeTensors.readWithMetadata(path: Self.path)
        #expect(meta["generator_version"] == "1", "stale fixture: rerun tools/make_pretrain_fixtures.py")
        return tensors
    }

    /// Loss value, d loss / d student output and the center update: float32 sums of 32 terms,
    /// so atol 1e-5 / rtol 1e-4.
    @Test func lossGradientAndCenterMatchPyTorch() throws {
        let t = try load()
        var loss = DINOLoss(outputDim: 32, epochs: 1, warmupTeacherTemperature: 0.04, teacherTemperature: 0.04, warmupEpochs: 0)
        loss.center = t["loss.center_in"]!.data
        let so = t["loss.student_output"]!
        let p = Parameter(name: "student_output", shape: so.shape, values: so.data)
        let tape = Tape()
        let value = loss(tape, studentOutput: tape.parameter(p), teacherOutput: t["loss.teacher_output"]!.data, batch: 2, epoch: 0)
        tape.backward(value)
        expectClose([tape.scalar(value)], t["loss.value"]!.data, atol: 1e-5, rtol: 1e-5, label: "loss")
        expectClose(p.grad.array, t["loss.grad"]!.data, atol: 1e-6, rtol: 1e-4, label: "d loss/d student")
        loss.updateCenter(teacherOutput: t["loss.teacher_output"]!.data)
        expectClose(loss.center, t["loss.center_out"]!.data, atol: 1e-6, rtol: 1e-5, label: "center")
    }

    static func tinyConfig() -> DINOConfig {
        var c = DINOConfig()
        c.architecture = PretrainArchitecture(patchSize: 4, dim: 16, depth: 2, heads: 2, imageSize: 16)
        c.multiCrop = MultiCrop(globalSize: 16, localSize: 8, localCount: 2)
        c.headHidden = 24
        c.headBottleneck = 8
        c.outputDim = 32
        c.epochs = 1
        c.batchSize = 2
        c.clipGrad = 0.3
        c.freezeLastLayerEpochs = 0
        c.teacherTemperatureWarmupEpochs = 0
        return c
    }

    /// Student forward (patch embedding, bicubic position resampling for the 8-pixel local crops,
    /// blocks, head), the loss, every gradient after DINO's per-parameter clipping, AdamW with two
    /// parameter groups, the EMA teacher and the center, over three steps. Gradients: atol 1e-5,
    /// rtol 1e-3; parameters after three Adam steps (updates ≈ lr = 1e-3): atol 2e-5, rtol 1e-4.
    @Test func threeTrainingStepsMatchPyTorch() throws {
        let t = try load()
        let trainer = DINOTrainer(config: Self.tinyConfig(), imageCount: 2)
        for p in trainer.studentParameters + trainer.teacherParameters {
            let initial = try #require(t["init." + p.name], "fixture lacks init.\(p.name)")
            #expect(initial.shape == p.shape, "\(p.name): \(initial.shape) vs \(p.shape)")
            p.value.assign(initial.data)
        }
        let lrs: [Float] = [1e-3, 2e-3, 1.5e-3], wds: [Float] = [0.04, 0.1, 0.2], moms: [Float] = [0.996, 0.997, 0.998]
        for s in 0..<3 {
            let crops = (0..<4).map { t["step\(s).crop\($0)"]!.data }
            let value = trainer.step(globals: Array(crops[0..<2]), locals: Array(crops[2..<4]), batch: 2,
                                     learningRate: lrs[s], weightDecay: wds[s], momentum: moms[s], epoch: 0)
            expectClose([value], t["step\(s).loss"]!.data, atol: 1e-5, rtol: 1e-5, label: "step \(s) loss")
            expectClose(trainer.loss.center, t["step\(s).center"]!.data, atol: 1e-6, rtol: 1e-4, label: "step \(s) center")
            if s == 0 {
                for p in trainer.studentParameters {
                    expectClose(p.grad.array, t["grad0." + p.name]!.data, atol: 1e-5, rtol: 1e-3, label: "grad \(p.name)")
                }
            }
        }
        // The key bias's gradient is exactly zero in theory (it shifts each softmax row by a
        // constant), so both sides hold float noise that Adam scales to lr-sized steps: skip it.
        func comparable(_ name: String, _ v: [Float]) -> [Float] {
            guard name.hasSuffix("attn.qkv.bias") else { return v }
            return Array(v[0..<16]) + Array(v[32..<48])
        }
        for (prefix, params) in [("student", trainer.studentParameters), ("teacher", trainer.teacherParameters)] {
            for p in params {
                expectClose(comparable(p.name, p.value.array), comparable(p.name, t["final.\(prefix)." + p.name]!.data),
                            atol: 2e-5, rtol: 1e-4, label: "\(prefix) \(p.name)")
            }
        }
    }
}
