import Foundation
import Imaging
import Testing
import TestSupport
import Tensor
@testable import Features

func smallMAEConfig(seed: UInt64 = 7) -> MAEConfig {
    var c = MAEConfig()
    c.architecture = PretrainArchitecture(patchSize: 8, dim: 32, depth: 2, heads: 2, imageSize: 32)
    c.decoderDim = 16
    c.decoderDepth = 1
    c.decoderHeads = 2
    c.inputSize = 40
    c.epochs = 20
    c.batchSize = 8
    c.baseLR = 0.03
    c.warmupEpochs = 2
    c.seed = seed
    return c
}

struct MAETrainingTests {
    /// Reconstruction must improve: over 80 steps on 16 structured images the mean of the last 8
    /// losses is below the mean of the first 8 by a margin (the loss starts near 1, the variance
    /// of per-patch normalised pixels; predicting each patch's mean alone would score 1). Measured:
    /// 0.99 → 0.84; the margin asked is about half that.
    @Test func lossDecreases() throws {
        var config = smallMAEConfig()
        config.epochs = 40
        let trainer = MAETrainer(config: config, imageCount: 16)
        let images = trainer.prepare(structuredImages(count: 16, seed: 1))
        var losses: [Float] = []
        try trainer.train(images: images) { losses.append($0.loss) }
        #expect(losses.count == 80)
        let first = losses.prefix(8).reduce(0, +) / 8, last = losses.suffix(8).reduce(0, +) / 8
        #expect(last < first - 0.08, "loss did not decrease: first \(first), last \(last), all \(losses)")
        #expect(losses.allSatisfy { $0.isFinite })
    }

    /// Four steps straight == two steps, checkpoint, resume in a new trainer, two more (exactly).
    @Test func resumeContinuesIdentically() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ckpt = dir.appendingPathComponent("run.ckpt.safetensors").path
        let straight = MAETrainer(config: smallMAEConfig(), imageCount: 16)
        let images = straight.prepare(structuredImages(count: 16, seed: 2))
        var straightLosses: [Float] = []
        try straight.train(images: images, stopAfter: 4) { straightLosses.append($0.loss) }

        let first = MAETrainer(config: smallMAEConfig(), imageCount: 16)
        try first.train(images: images, checkpointPath: ckpt, checkpointEvery: 100, stopAfter: 2)
        let resumed = try MAETrainer.resume(path: ckpt, imageCount: 16)
        #expect(resumed.step == 2)
        var resumedLosses: [Float] = []
        try resumed.train(images: images, stopAfter: 2) { resumedLosses.append($0.loss) }

        expectClose(resumedLosses, Array(straightLosses.suffix(2)), atol: 0, rtol: 0, label: "losses")
        for (a, b) in zip(resumed.parameters, straight.parameters) {
            expectClose(a.value.array, b.value.array, atol: 0, rtol: 0, label: a.name)
        }
    }

    /// The exported encoder loads strictly into the inference ViT, with its head count, and gives
    /// the same CLS token as the training forward on a whole (unmasked) image (atol 1e-4).
    @Test func exportedEncoderLoadsInInferenceViT() throws {
        let trainer = MAETrainer(config: smallMAEConfig(), imageCount: 8)
        let images = trainer.prepare(structuredImages(count: 8, seed: 3))
        try trainer.train(images: images, stopAfter: 2)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.safetensors").path
        try trainer.saveBackbone(path: path)
        // No `heads:`: the count comes from the file's metadata (width / 64 would give none).
        let vit = try ViTCheckpoint.load(path: path)
        #expect(vit.config.dim == 32 && vit.config.depth == 2 && vit.config.patchSize == 8 && vit.config.heads == 2)
        var rng = PretrainRandom(seed: 5)
        let pixels = MAETrainer.sample(images[0], config: trainer.config, rng: &rng).pixels
        var options = ViTForwardOptions()
        options.finalNormCLS = true
        let ref = try vit.forward(Tensor(shape: [1, 3, 32, 32], data: pixels), options: options)
        let tape = Tape(recording: false)
        let cls = tape.value(trainer.encoder.forward(tape, pixels: pixels, batch: 1, size: 32))
        expectClose(cls, try #require(ref.finalCLS).data, atol: 1e-4, rtol: 1e-4, label: "CLS")
    }

    /// A DINO checkpoint is not an MAE one (and the message names both formats), nor the reverse.
    @Test func resumeRejectsOtherObjectivesCheckpoints() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dino = dir.appendingPathComponent("dino.ckpt.safetensors").path
        try DINOTrainer(config: smallConfig(), imageCount: 16).saveCheckpoint(path: dino)
        #expect(throws: PretrainError.badCheckpoint(path: dino, reason: "format is vlpart-dino-checkpoint-1, expected vlpart-mae-checkpoint-1")) {
            try MAETrainer.resume(path: dino, imageCount: 16)
        }
        let mae = dir.appendingPathComponent("mae.ckpt.safetensors").path
        try MAETrainer(config: smallMAEConfig(), imageCount: 16).saveCheckpoint(path: mae)
        #expect(throws: PretrainError.self) { try DINOTrainer.resume(path: mae, imageCount: 16) }
    }

    /// Samples: the model's size, finite, and exactly `visiblePatches` sorted distinct places.
    @Test func samplesHaveTheConfiguredMask() {
        let config = smallMAEConfig()
        let image = structuredImages(count: 1, size: 40, seed: 4)[0]
        var rng = PretrainRandom(seed: 1)
        let (pixels, visible) = MAETrainer.sample(image, config: config, rng: &rng)
        #expect(pixels.count == 3 * 32 * 32 && pixels.allSatisfy { $0.isFinite })
        #expect(config.visiblePatches == 4 && visible.count == 4)
        #expect(visible == visible.sorted() && Set(visible).count == 4 && visible.allSatisfy { (0..<16).contains($0) })
    }
}
