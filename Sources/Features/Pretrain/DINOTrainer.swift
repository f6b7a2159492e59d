import Foundation
import Imaging
import Tensor

/// Every hyper-parameter of a DINO run, named as `main_dino.py`'s flags (scaled to tiny models
/// and short runs where noted). Saved inside checkpoints so `--resume` continues the same run.
public struct DINOConfig: Sendable, Equatable, Codable {
    public var architecture: PretrainArchitecture = .tiny
    public var multiCrop = MultiCrop()
    /// Head widths (DINO: 2048 hidden, 256 bottleneck, 65536 prototypes for ImageNet).
    public var headHidden = 512, headBottleneck = 128, outputDim = 2048
    public var epochs = 20
    public var batchSize = 32
    public var seed: UInt64 = 0
    /// Peak learning rate per 256 images (`lr`), reached after `warmupEpochs`; cosine to `minLR`.
    public var baseLR = 0.0005, minLR = 1e-6
    public var warmupEpochs = 2
    /// Weight decay, cosine from `weightDecay` to `weightDecayEnd`.
    public var weightDecay = 0.04, weightDecayEnd = 0.4
    /// Per-parameter gradient-norm clip (`clip_grad`; 0 disables).
    public var clipGrad: Float = 3.0
    /// Teacher EMA momentum, cosine from this to 1.
    public var momentumTeacher = 0.996
    /// Epochs during which the prototype layer is frozen (`freeze_last_layer`).
    public var freezeLastLayerEpochs = 1
    public var warmupTeacherTemperature: Float = 0.04, teacherTemperature: Float = 0.04
    public var teacherTemperatureWarmupEpochs = 5
    public var studentTemperature: Float = 0.1
    public var centerMomentum: Float = 0.9
    /// Sinkhorn-Knopp iterations for the teacher's targets (DINOv2: 3); `nil` or 0 keeps DINO's
    /// mean centering. Optional so checkpoints written before it existed still load.
    public var sinkhornIterations: Int?

    public init() {}
}

/// One step's figures, passed to the progress callback.
public struct DINOStepReport: Sendable {
    public var step: Int, totalSteps: Int, epoch: Int
    public var loss: Float
    public var learningRate: Float
    public var imagesPerSecond: Double
}

/// DINO self-distillation (`main_dino.py`): a student ViT + head trained with AdamW to match an
/// EMA teacher's centred, sharpened outputs across multi-crop views.
///
/// ```swift
/// let trainer = DINOTrainer(config: config, imageCount: images.count)
/// try trainer.train(images: images, checkpointPath: "run.ckpt.safetensors") { print($0.loss) }
/// try trainer.saveBackbone(path: "model.safetensors")
/// ```
public final class DINOTrainer {
    public let config: DINOConfig
    public let student: TrainableViT, studentHead: DINOHead
    public let teacher: TrainableViT, teacherHead: DINOHead
    public let optimizer: AdamW
    public var loss: DINOLoss
    /// Iterations completed.
    public internal(set) var step = 0
    public let stepsPerEpoch: Int
    let learningRates: [Float], weightDecays: [Float], momenta: [Float]

    public var totalSteps: Int { config.epochs * stepsPerEpoch }
    var studentParameters: [Parameter] { student.parameters + studentHead.parameters }
    var teacherParameters: [Parameter] { teacher.parameters + teacherHead.parameters }

    /// A fresh run: student initialised from `config.seed`, teacher a copy of it, center zero.
    /// `imageCount` fixes the steps per epoch (`imageCount / batchSize`, dropping the remainder).
    public init(config: DINOConfig, imageCount: Int) {
        self.config = config
        var rng = PretrainRandom(seed: config.seed, purpose: 1, index: 0)
        let a = config.architecture
        student = TrainableViT(architecture: a, rng: &rng)
        studentHead = DINOHead(inputDim: a.dim, hiddenDim: config.headHidden, bottleneckDim: config.headBottleneck,
                               outputDim: config.outputDim, rng: &rng)
        teacher = TrainableViT(architecture: a, rng: &rng)
        teacherHead = DINOHead(inputDim: a.dim, hiddenDim: config.headHidden, bottleneckDim: config.headBottleneck,
                               outputDim: config.outputDim, rng: &rng)
        for (t, s) in zip(teacher.parameters + teacherHead.parameters, student.parameters + studentHead.parameters) {
            t.value.pointer.update(from: s.value.pointer, count: s.count)
        }
        optimizer = AdamW(parameters: student.parameters + studentHead.parameters)
        loss = DINOLoss(outputDim: config.outputDim, epochs: config.epochs,
                        warmupTeacherTemperature: config.warmupTeacherTemperature,
                        teacherTemperature: config.teacherTemperature,
                        warmupEpochs: config.teacherTemperatureWarmupEpochs,
                        studentTemperature: config.studentTemperature, centerMomentum: config.centerMomentum)
        loss.sinkhornIterations = config.sinkhornIterations ?? 0
        stepsPerEpoch = max(1, imageCount / config.batchSize)
        let total = config.epochs * stepsPerEpoch
        let peak = config.baseLR * Double(config.batchSize) / 256   // DINO's linear scaling rule
        learningRates = cosineSchedule(base: peak, final: config.minLR, totalSteps: total,
                                       warmupSteps: config.warmupEpochs * stepsPerEpoch)
        weightDecays = cosineSchedule(base: config.weightDecay, final: config.weightDecayEnd, totalSteps: total)
        momenta = cosineSchedule(base: config.momentumTeacher, final: 1, totalSteps: total)
    }

    /// One DINO iteration on prepared crops, with explicit schedule values (the deterministic core
    /// that the PyTorch fixture checks).
    ///
    /// - Parameters:
    ///   - globals: the two global crops, each `[batch, 3, G, G]` normalised planes.
    ///   - locals: the local crops, each `[batch, 3, L, L]` (may be empty).
    /// - Returns: the loss before the update.
    @discardableResult
    public func step(globals: [[Float]], locals: [[Float]], batch: Int, learningRate: Float, weightDecay: Float,
                     momentum: Float, epoch: Int) -> Float {
        precondition(globals.count == 2, "DINO needs two global crops, got \(globals.count)")
        let g = config.multiCrop.globalSize, l = config.multiCrop.localSize, k = config.outputDim
        let shards = DataShards(batch: batch)
        let student = student, studentHead = studentHead, teacher = teacher, teacherHead = teacherHead
        // Each shard's global crops, cut once for its teacher and student passes.
        let shardGlobals = (0..<shards.count).map { shards.pixels(globals, shard: $0, side: g) }

        // Teacher: global crops only, no tape; each shard's rows are crop-major within the shard.
        let teacherSlots = ConcurrentResults<[Float]>(count: shards.count)
        dataParallel(shards.count) { s in
            let tt = Tape(recording: false), n = shards.ranges[s].count
            let cls = teacher.forward(tt, pixels: shardGlobals[s], batch: 2 * n, size: g)
            teacherSlots.set(s, tt.value(teacherHead.forward(tt, cls)))
        }
        // The whole batch's teacher rows, crop-major, as DINOLoss and the center expect.
        var teacherOut = [Float](repeating: 0, count: 2 * batch * k)
        for (s, rows) in teacherSlots.items.enumerated() {
            let r = shards.ranges[s]
            for c in 0..<2 {
                let src = rows[(c * r.count * k)..<((c + 1) * r.count * k)]
                teacherOut.replaceSubrange(((c * batch + r.lowerBound) * k)..<((c * batch + r.upperBound) * k), with: src)
            }
        }
        let targets = loss.teacherTargets(teacherOut, epoch: epoch)   // Sinkhorn needs the whole batch

        // Student: every crop; globals and locals run as two batches (different token counts).
        // Each shard's loss is its images' mean scaled by its share, so the shards sum to the batch mean.
        let lossFunction = loss
        let gradients = (0..<shards.count).map { _ in ShardGradients() }
        let losses = ConcurrentResults<Float>(count: shards.count)
        dataParallel(shards.count) { s in
            let tape = Tape(gradients: gradients[s]), r = shards.ranges[s], n = r.count
            var cls = student.forward(tape, pixels: shardGlobals[s], batch: 2 * n, size: g)
            if !locals.isEmpty {
                let localPixels = shards.pixels(locals, shard: s, side: l)
                cls = tape.concatRows(cls, student.forward(tape, pixels: localPixels, batch: locals.count * n, size: l))
            }
            let studentOut = studentHead.forward(tape, cls)                                  // [crops·n, K]
            let shardTargets = (0..<2).flatMap { c in targets[((c * batch + r.lowerBound) * k)..<((c * batch + r.upperBound) * k)] }
            let mean = lossFunction(tape, studentOutput: studentOut, targets: shardTargets, batch: n)
            let share = tape.scale(mean, by: Float(n) / Float(batch))
            tape.backward(share)
            losses.set(s, tape.scalar(share))
        }
        optimizer.zeroGradients()
        for shard in gradients { shard.addAll(into: studentParameters) }
        loss.updateCenter(teacherOutput: teacherOut)

        if config.clipGrad > 0 { for p in studentParameters { clipGradientNorm([p], maxNorm: config.clipGrad) } }
        if epoch < config.freezeLastLayerEpochs { studentHead.lastLayer.grad.zero() }
        optimizer.step(learningRate: learningRate, weightDecay: weightDecay)

        // EMA teacher: t ← m·t + (1 − m)·s.
        for (t, s) in zip(teacherParameters, studentParameters) {
            let tp = t.value.pointer, sp = s.value.pointer
            for j in 0..<t.count { tp[j] = momentum * tp[j] + (1 - momentum) * sp[j] }
        }
        return losses.items.reduce(0, +)
    }

    /// Builds the multi-crop batch for `images` at iteration `step` (random streams keyed by the
    /// seed, the step and the image's slot, so a resumed run draws the same crops) and runs it.
    @discardableResult
    public func trainStep(images: [Image]) -> Float {
        let mc = config.multiCrop, b = images.count, seed = config.seed, it = step
        let slots = ConcurrentResults<(globals: [[Float]], locals: [[Float]])>(count: b)
        DispatchQueue.concurrentPerform(iterations: b) { i in
            var rng = PretrainRandom(seed: seed, purpose: 2, index: it * 4096 + i)
            slots.set(i, mc.crops(of: images[i], rng: &rng))
        }
        let perImage = slots.items
        let globals = (0..<2).map { c in perImage.flatMap { $0.globals[c] } }
        let locals = (0..<mc.localCount).map { c in perImage.flatMap { $0.locals[c] } }
        let epoch = it / stepsPerEpoch
        let value = step(globals: globals, locals: locals, batch: b, learningRate: learningRates[it],
                         weightDecay: weightDecays[it], momentum: momenta[it], epoch: epoch)
        step += 1
        return value
    }
}

extension DINOTrainer: PretrainingRun {
    public var batchSize: Int { config.batchSize }
    public var seed: UInt64 { config.seed }
    public func learningRate(at step: Int) -> Float { learningRates[step] }
}
