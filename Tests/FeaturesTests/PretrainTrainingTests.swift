import Foundation
import Imaging
import Testing
import TestSupport
import Tensor
@testable import Features

/// Small structured images: a coloured disc and a bar on a two-tone background, in memory.
func structuredImages(count: Int, size: Int = 48, seed: UInt64) -> [Image] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        var img = Image(width: size, height: size, channels: 3)
        let bg = (0..<3).map { _ in UInt8.random(in: 0...120, using: &rng) }
        let fg = (0..<3).map { _ in UInt8.random(in: 100...255, using: &rng) }
        let cx = Double.random(in: 12...36, using: &rng), cy = Double.random(in: 12...36, using: &rng)
        let r = Double.random(in: 6...14, using: &rng), bar = Int.random(in: 0..<size, using: &rng)
        for y in 0..<size { for x in 0..<size {
            let inDisc = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy) < r * r
            for c in 0..<3 {
                var v = y < size / 2 ? bg[c] : bg[c] / 2
                if abs(x - bar) < 3 { v = 255 - bg[c] }
                if inDisc { v = fg[c] }
                img.pixels[(y * size + x) * 3 + c] = v
            }
        } }
        return img
    }
}

func smallConfig(seed: UInt64 = 7) -> DINOConfig {
    var c = DINOConfig()
    c.architecture = PretrainArchitecture(patchSize: 8, dim: 32, depth: 2, heads: 2, imageSize: 32)
    c.multiCrop = MultiCrop(globalSize: 32, localSize: 16, localCount: 2)
    c.headHidden = 64
    c.headBottleneck = 16
    c.outputDim = 64
    c.epochs = 10
    c.batchSize = 8
    c.baseLR = 0.02
    c.warmupEpochs = 1
    c.freezeLastLayerEpochs = 0
    c.seed = seed
    return c
}

struct PretrainTrainingTests {
    /// With the teacher and center held fixed (momentum 1), DINO reduces to distilling a fixed
    /// teacher across views, so the loss must fall: over 40 steps on 16 images the mean of the last
    /// 8 losses is below the mean of the first 8. (With a moving teacher the loss first *rises* as
    /// the teacher sharpens, as in DINO's own logs, so it is no test of learning.)
    @Test func lossDecreasesAgainstFixedTeacher() throws {
        let images = structuredImages(count: 16, seed: 1)
        var config = smallConfig()
        config.epochs = 20
        config.momentumTeacher = 1
        config.centerMomentum = 1
        let trainer = DINOTrainer(config: config, imageCount: images.count)
        var losses: [Float] = []
        try trainer.train(images: images) { losses.append($0.loss) }
        #expect(losses.count == 40)
        let first = losses.prefix(8).reduce(0, +) / 8, last = losses.suffix(8).reduce(0, +) / 8
        #expect(last < first - 0.05, "loss did not decrease: first \(first), last \(last), all \(losses)")
        #expect(losses.allSatisfy { $0.isFinite })
    }

    /// Four steps straight == two steps, checkpoint, resume in a new trainer, two more steps (exactly).
    @Test func resumeContinuesIdentically() throws {
        let images = structuredImages(count: 16, seed: 2)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ckpt = dir.appendingPathComponent("run.ckpt.safetensors").path

        let straight = DINOTrainer(config: smallConfig(), imageCount: images.count)
        var straightLosses: [Float] = []
        try straight.train(images: images, stopAfter: 4) { straightLosses.append($0.loss) }

        let first = DINOTrainer(config: smallConfig(), imageCount: images.count)
        try first.train(images: images, checkpointPath: ckpt, checkpointEvery: 100, stopAfter: 2)
        let resumed = try DINOTrainer.resume(path: ckpt, imageCount: images.count)
        #expect(resumed.step == 2)
        var resumedLosses: [Float] = []
        try resumed.train(images: images, stopAfter: 2) { resumedLosses.append($0.loss) }

        expectClose(resumedLosses, Array(straightLosses.suffix(2)), atol: 0, rtol: 0, label: "losses")
        for (a, b) in zip(resumed.studentParameters + resumed.teacherParameters, straight.studentParameters + straight.teacherParameters) {
            expectClose(a.value.array, b.value.array, atol: 0, rtol: 0, label: a.name)
        }
        expectClose(resumed.loss.center, straight.loss.center, atol: 0, rtol: 0, label: "center")
    }

    /// The exported backbone loads strictly into the inference ViT and gives the same CLS token
    /// as the training forward (atol 1e-4, as DESIGN.md's ViT tolerance).
    @Test func exportedBackboneLoadsInInferenceViT() throws {
        let images = structuredImages(count: 8, seed: 3)
        let trainer = DINOTrainer(config: smallConfig(), imageCount: images.count)
        try trainer.train(images: images, stopAfter: 1)
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.safetensors").path
        try trainer.saveBackbone(path: path)
        let vit = try ViTCheckpoint.load(path: path)   // heads from the file's metadata
        #expect(vit.config.dim == 32 && vit.config.depth == 2 && vit.config.patchSize == 8 && vit.config.heads == 2)

        var rng = PretrainRandom(seed: 5)
        for size in [32, 48] {   // native grid, then a resampled position embedding
            let (globals, _) = MultiCrop(globalSize: size, localSize: 16, localCount: 0).crops(of: images[0], rng: &rng)
            let pixels = globals[0] + globals[1]
            var options = ViTForwardOptions()
            options.finalNormCLS = true
            let ref = try vit.forward(Tensor(shape: [2, 3, size, size], data: pixels), options: options)
            let tape = Tape(recording: false)
            let cls = tape.value(trainer.teacher.forward(tape, pixels: pixels, batch: 2, size: size))
            expectClose(cls, try #require(ref.finalCLS).data, atol: 1e-4, rtol: 1e-4, label: "CLS at \(size)px")
        }
    }

    @Test func resumeRejectsOtherFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.safetensors").path
        try SafeTensors.write(["x": Tensor(shape: [1], data: [0])], path: path)
        #expect(throws: PretrainError.badCheckpoint(path: path, reason: "format is missing")) {
            try DINOTrainer.resume(path: path, imageCount: 8)
        }
    }

    /// Crops have the configured sizes, finite values, and differ between the two global views.
    @Test func multiCropShapes() {
        let img = structuredImages(count: 1, seed: 4)[0]
        var rng = PretrainRandom(seed: 9)
        let (g, l) = MultiCrop(globalSize: 32, localSize: 16, localCount: 3).crops(of: img, rng: &rng)
        #expect(g.count == 2 && l.count == 3)
        #expect(g.allSatisfy { $0.count == 3 * 32 * 32 } && l.allSatisfy { $0.count == 3 * 16 * 16 })
        #expect((g + l).allSatisfy { $0.allSatisfy { $0.isFinite && abs($0) < 3 } })
        #expect(g[0] != g[1])
    }

    /// Augmentations: flip twice is the identity; grayscale gives equal channels; blur keeps the
    /// mean of a constant image; solarize inverts only bright values.
    @Test func augmentations() {
        var rng = PretrainRandom(seed: 11)
        let s = 6
        let x = (0..<(3 * s * s)).map { _ in Float(rng.uniform(0, 1)) }
        var y = x
        Augment.flip(&y, size: s); Augment.flip(&y, size: s)
        #expect(y == x)
        Augment.grayscale(&y, size: s)
        #expect(Array(y[0..<(s * s)]) == Array(y[(s * s)..<(2 * s * s)]))
        var c = [Float](repeating: 0.3, count: 3 * s * s)
        Augment.gaussianBlur(&c, size: s, sigma: 1.2)
        expectClose(c, [Float](repeating: 0.3, count: 3 * s * s), atol: 1e-6, label: "blur of constant")
        var z: [Float] = [0.2, 0.9]
        Augment.solarize(&z)
        expectClose(z, [0.2, 0.1], atol: 1e-6, label: "solarize")
        var j = x
        Augment.colorJitter(&j, size: s, rng: &rng)
        #expect(j.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
