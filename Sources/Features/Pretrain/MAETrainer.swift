import Foundation
import Imaging
import Tensor

/// Every hyper-parameter of a masked-autoencoder run (`vlpart pretrain --objective mae`), saved
/// inside checkpoints so `--resume` continues the same run. Defaults are the ones measured for
/// the nano ViT on synthetic object crops (bench/pretrain/mae_probe.py is the PyTorch twin).
public struct MAEConfig: Sendable, Equatable, Codable {
    public var architecture: PretrainArchitecture = .nano
    public var epochs = 400
    public var batchSize = 64
    public var seed: UInt64 = 0
    /// Peak learning rate per 256 images, reached after `warmupEpochs`; cosine to `minLR`.
    public var baseLR = 0.006, minLR = 1e-6
    public var warmupEpochs = 40
    public var weightDecay = 0.05
    /// AdamW's second-moment decay (MAE: 0.95).
    public var beta2: Float = 0.95
    /// Fraction of the patches hidden from the encoder.
    public var maskRatio = 0.75
    public var decoderDim = 64, decoderDepth = 2, decoderHeads = 4
    /// Training images are resampled to this side, then cropped (random resized crop of
    /// `cropScale` of the area, aspect 3/4–4/3) to the architecture's image size and maybe flipped.
    /// 5/4 of the image size (the CLI sets it so), so a crop of 0.64 of the area or more is never upsampled.
    public var inputSize = 80
    public var cropScale: ClosedRange<Double> = 0.6...1

    public init() {}

    /// Patches the encoder sees per image.
    public var visiblePatches: Int {
        let n = architecture.grid * architecture.grid
        return min(n, max(1, Int((Double(n) * (1 - maskRatio)).rounded())))
    }
}

/// Masked-autoencoder pretraining (He et al. 2022): the ViT encodes a random quarter of each
/// image's patches, a small decoder predicts the pixels of the rest (each patch normalised by its
/// own mean and variance), and the loss is the mean squared error on the hidden patches.
///
/// Why it is here beside DINO: on small object-centric sets such as the synthetic benchmark,
/// DINO's crop and colour invariances cost the features the cues random weights keep, and teach
/// nothing in their place (issue 6's notes). Filling in hidden patches needs to know where in
/// the object a patch lies and what surrounds it, which is what a part probe asks of features.
public final class MAETrainer {
    public let config: MAEConfig
    public let encoder: TrainableViT
    public let decoder: MAEDecoder
    public let optimizer: AdamW
    /// Iterations completed.
    public internal(set) var step = 0
    public let stepsPerEpoch: Int
    let learningRates: [Float]

    public var totalSteps: Int { config.epochs * stepsPerEpoch }
    var parameters: [Parameter] { encoder.parameters + decoder.parameters }

    /// A fresh run initialised from `config.seed`; `imageCount` fixes the steps per epoch.
    public init(config: MAEConfig, imageCount: Int) {
        self.config = config
        var rng = PretrainRandom(seed: config.seed, purpose: 1, index: 0)
        let a = config.architecture
        encoder = TrainableViT(architecture: a, rng: &rng)
        decoder = MAEDecoder(encoderDim: a.dim, dim: config.decoderDim, depth: config.decoderDepth,
                             heads: config.decoderHeads, grid: a.grid, patchSize: a.patchSize, rng: &rng)
        optimizer = AdamW(parameters: encoder.parameters + decoder.parameters, beta2: config.beta2)
        stepsPerEpoch = max(1, imageCount / config.batchSize)
        let total = config.epochs * stepsPerEpoch
        learningRates = cosineSchedule(base: config.baseLR * Double(config.batchSize) / 256, final: config.minLR,
                                       totalSteps: total, warmupSteps: config.warmupEpochs * stepsPerEpoch)
    }

    /// Each patch's pixels (`[3, p, p]` flattened, as the decoder predicts them) normalised by
    /// that patch's own mean and variance (MAE's `norm_pix_loss`): `[batch·g², 3·p²]`.
    public static func patchTargets(_ pixels: [Float], batch: Int, size: Int, patch p: Int) -> [Float] {
        let g = size / p, values = 3 * p * p
        var out = [Float](repeating: 0, count: batch * g * g * values)
        for b in 0..<batch { for gy in 0..<g { for gx in 0..<g {
            let row = ((b * g + gy) * g + gx) * values
            var k = 0
            for c in 0..<3 { for y in 0..<p { for x in 0..<p {
                out[row + k] = pixels[((b * 3 + c) * size + gy * p + y) * size + gx * p + x]
                k += 1
            } } }
            var mean: Float = 0, variance: Float = 0
            for j in 0..<values { mean += out[row + j] }
            mean /= Float(values)
            for j in 0..<values { let d = out[row + j] - mean; variance += d * d }
            variance /= Float(values - 1)                       // torch.var: unbiased
            let inv = 1 / (variance + 1e-6).squareRoot()
            for j in 0..<values { out[row + j] = (out[row + j] - mean) * inv }
        } } }
        return out
    }

    /// One iteration on prepared crops with an explicit learning rate.
    ///
    /// - Parameters:
    ///   - pixels: `[batch, 3, S, S]` normalised planes, `S` the architecture's image size.
    ///   - visible: per image, the sorted grid indices its encoder sees (`config.visiblePatches` each).
    /// - Returns: the loss before the update.
    @discardableResult
    public func step(pixels: [Float], visible: [[Int]], learningRate: Float) -> Float {
        let s = config.architecture.imageSize, batch = visible.count
        let shards = DataShards(batch: batch)
        let encoder = encoder, decoder = decoder
        // One whole pass per shard; every image hides the same number of patches, so each shard's
        // mean scaled by its share of the images sums to the batch mean.
        let gradients = (0..<shards.count).map { _ in ShardGradients() }
        let losses = ConcurrentResults<Float>(count: shards.count)
        dataParallel(shards.count) { shard in
            let r = shards.ranges[shard]
            let tape = Tape(gradients: gradients[shard])
            let mean = Self.loss(tape, encoder: encoder, decoder: decoder, pixels: shards.pixels([pixels], shard: shard, side: s),
                                 visible: Array(visible[r]))
            let share = tape.scale(mean, by: Float(r.count) / Float(batch))
            tape.backward(share)
            losses.set(shard, tape.scalar(share))
        }
        optimizer.zeroGradients()
        for shard in gradients { shard.addAll(into: parameters) }
        optimizer.step(learningRate: learningRate, weightDecay: Float(config.weightDecay))
        return losses.items.reduce(0, +)
    }

    /// The mean squared error of the decoder's predictions on the hidden patches of `pixels`
    /// (`[batch, 3, S, S]`, `batch` = `visible.count`), recorded on `tape`.
    static func loss(_ tape: Tape, encoder: TrainableViT, decoder: MAEDecoder, pixels: [Float], visible: [[Int]]) -> Var {
        let a = encoder.architecture, s = a.imageSize, n = a.grid * a.grid, batch = visible.count
        let tokens = encoder.embed(tape, pixels: pixels, batch: batch, size: s)                    // [B·(1+n), D]
        var keptRows: [Int] = []
        for (b, places) in visible.enumerated() {
            let first = b * (1 + n)
            keptRows.append(first)
            for t in places { keptRows.append(first + 1 + t) }
        }
        let kept = tape.gatherRows(tokens, rows: keptRows)
        let encoded = encoder.finalNorm(tape, encoder.blocks(tape, kept, batch: batch))
        let predicted = decoder.forward(tape, encoded: encoded, visible: visible)                  // [B·n, values]
        let targets = patchTargets(pixels, batch: batch, size: s, patch: a.patchSize)
        var hiddenRows: [Int] = [], hiddenTargets: [Float] = []
        let values = decoder.patchValues
        for (b, places) in visible.enumerated() {
            let seen = Set(places)
            for t in 0..<n where !seen.contains(t) {
                hiddenRows.append(b * n + t)
                hiddenTargets += targets[((b * n + t) * values)..<((b * n + t + 1) * values)]
            }
        }
        return tape.meanSquaredError(tape.gatherRows(predicted, rows: hiddenRows), target: hiddenTargets)
    }

    /// The crop and patch mask of one image at one step: a random resized crop of the
    /// `inputSize`-pixel image to the model's size, a coin-flip mirror, ImageNet normalisation,
    /// and `visiblePatches` grid places drawn without replacement (sorted).
    public static func sample(_ image: Image, config: MAEConfig, rng: inout PretrainRandom) -> (pixels: [Float], visible: [Int]) {
        let size = config.architecture.imageSize, n = config.architecture.grid * config.architecture.grid
        var x = MultiCrop.randomResizedCrop(image, size: size, scale: config.cropScale, rng: &rng)
        if rng.chance(0.5) { Augment.flip(&x, size: size) }
        Augment.normalize(&x, size: size)
        var places = Array(0..<n)
        places.shuffle(using: &rng)
        return (x, places.prefix(config.visiblePatches).sorted())
    }

    /// Builds iteration `step`'s batch from `images` (streams keyed by seed, step and slot, so a
    /// resumed run draws the same crops and masks) and runs it.
    @discardableResult
    public func trainStep(images: [Image]) -> Float {
        let b = images.count, config = config, it = step
        let slots = ConcurrentResults<(pixels: [Float], visible: [Int])>(count: b)
        DispatchQueue.concurrentPerform(iterations: b) { i in
            var rng = PretrainRandom(seed: config.seed, purpose: 4, index: it * 4096 + i)
            slots.set(i, Self.sample(images[i], config: config, rng: &rng))
        }
        let value = step(pixels: slots.items.flatMap(\.pixels), visible: slots.items.map(\.visible),
                         learningRate: learningRates[it])
        step += 1
        return value
    }

    /// Training images resampled (bicubic, antialiased) to `config.inputSize` square, once, so
    /// each step crops small images; pass these to `train` (``PretrainingRun``).
    public func prepare(_ images: [Image]) -> [Image] {
        let side = config.inputSize
        return images.map { $0.width == side && $0.height == side ? $0 : $0.resized(width: side, height: side, filter: .bicubic, antialias: true) }
    }
}

extension MAETrainer: PretrainingRun {
    public var batchSize: Int { config.batchSize }
    public var seed: UInt64 { config.seed }
    public func learningRate(at step: Int) -> Float { learningRates[step] }
}
