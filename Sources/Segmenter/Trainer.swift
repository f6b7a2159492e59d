import Foundation
import Tensor

/// One training image: its cached backbone features and patch targets.
public struct TrainingSample: Sendable {
    public let imageID: Int64
    /// `[gridH · gridW, inputDim]`.
    public let features: [Float]
    public let gridH: Int
    public let gridW: Int
    public var targets: PatchTargets

    public init(imageID: Int64, features: [Float], gridH: Int, gridW: Int, targets: PatchTargets) {
        self.imageID = imageID
        self.features = features
        self.gridH = gridH
        self.gridW = gridW
        self.targets = targets
    }
}

/// Hyper-parameters of head training.
public struct TrainerConfig: Codable, Sendable {
    public var epochs = 30
    public var learningRate = 3e-3
    public var weightDecay = 1e-4
    /// Images per optimiser step; their gradients are averaged.
    public var batch = 8
    /// Epochs without a validation improvement before stopping.
    public var patience = 6
    public var seed: UInt64 = 0
    /// Re-weights patches by `(frequency of their part class)^-balancePower` so rare parts
    /// count (class-balanced sampling at the patch level); 0 disables it.
    public var balancePower = 0.5

    public init() {}
}

/// What a training run did, epoch by epoch.
public struct TrainingReport: Codable, Sendable {
    public var losses: [Float] = []
    public var validationMIoU: [Double] = []
    public var bestEpoch = 0
    public var bestValidationMIoU = 0.0
    public var stoppedEarly = false
}

/// Trains a `SegmenterHead` on cached features with AdamW, a cosine learning rate, and early
/// stopping on validation part mIoU; the best epoch's parameters are kept.
public final class SegmenterTrainer {
    public private(set) var head: SegmenterHead
    public let config: TrainerConfig
    let objects: Vocabulary
    let parts: Vocabulary
    let parameters: [Parameter]
    let optimizer: AdamW

    public init(head: SegmenterHead, objects: Vocabulary, parts: Vocabulary, config: TrainerConfig) {
        self.head = head
        self.objects = objects
        self.parts = parts
        self.config = config
        parameters = head.parameterNames.map { name in
            let t = head.parameters[name]!
            // Weight decay on matrices only (DINO's grouping): biases, vectors and the scale are exempt.
            return Parameter(name: name, shape: t.shape, values: t.data, decays: t.rank > 1)
        }
        optimizer = AdamW(parameters: parameters)
    }

    /// Patch weights multiplied by inverse class frequency (`balancePower`), normalised to keep
    /// the mean weight of labelled patches unchanged.
    public static func balanced(_ samples: [TrainingSample], classes: Int, power: Double) -> [TrainingSample] {
        guard power > 0 else { return samples }
        var frequency = [Double](repeating: 0, count: classes)
        for s in samples { for (i, c) in s.targets.part.enumerated() where s.targets.weight[i] > 0 && c >= 0 { frequency[c] += 1 } }
        let factor = frequency.map { $0 > 0 ? pow($0, -power) : 0 }
        // Patches of unknown part (-1) keep their weight: they only carry the object term.
        func f(_ c: Int) -> Double { c >= 0 ? factor[c] : 1 }
        var before = 0.0, after = 0.0
        for s in samples { for (i, c) in s.targets.part.enumerated() {
            before += Double(s.targets.weight[i]); after += Double(s.targets.weight[i]) * f(c)
        } }
        let norm = after > 0 ? before / after : 1
        return samples.map { s in
            var t = s
            for i in 0..<t.targets.weight.count {
                t.targets.weight[i] = Float(Double(t.targets.weight[i]) * f(t.targets.part[i]) * norm)
            }
            return t
        }
    }

    /// Runs training without per-epoch callbacks (see the variant with `onEpoch`).
    @discardableResult
    public func train(training: [TrainingSample], validation: [TrainingSample], resume: TrainerState? = nil,
                      onStep: (Int, Int, Float) -> Void = { _, _, _ in }) -> TrainingReport {
        train(training: training, validation: validation, resume: resume, onStep: onStep, onEpoch: { _, _, _, _ in })
    }

    /// Runs training, optionally continuing from a saved state.
    ///
    /// Each epoch shuffles with its own generator (seeded by `seed` and the epoch), so a run
    /// resumed from the state saved after epoch `e` continues exactly as the uninterrupted one.
    /// - Parameters:
    ///   - training: samples to fit.
    ///   - validation: held-out samples for early stopping; may be empty (then the last epoch is kept).
    ///   - resume: state saved by an earlier call's `onEpoch` (same samples and config).
    ///   - onStep: after every optimiser step: `(step, total steps, batch mean loss)`.
    ///   - onEpoch: after every epoch: `(epoch, mean loss, validation mIoU, state to save)`.
    /// - Throws: whatever `onEpoch` throws (e.g. a checkpoint write error).
    @discardableResult
    public func train(training: [TrainingSample], validation: [TrainingSample], resume: TrainerState? = nil,
                      onStep: (Int, Int, Float) -> Void = { _, _, _ in },
                      onEpoch: (Int, Float, Double, TrainerState) throws -> Void) rethrows -> TrainingReport {
        var report = resume?.report ?? TrainingReport()
        guard !training.isEmpty, config.epochs > 0 else { return report }
        let samples = Self.balanced(training, classes: parts.count + 1, power: config.balancePower)
        let stepsPerEpoch = (samples.count + config.batch - 1) / config.batch
        let totalSteps = stepsPerEpoch * config.epochs
        let schedule = cosineSchedule(base: config.learningRate, final: config.learningRate * 0.01,
                                      totalSteps: totalSteps,
                                      warmupSteps: min(stepsPerEpoch, 20), warmupStart: config.learningRate * 0.1)
        var best = head
        var step = 0, sinceBest = 0, firstEpoch = 0
        if let resume {
            head = resume.head
            best = resume.best
            step = resume.step
            sinceBest = resume.sinceBest
            firstEpoch = resume.epochsDone
            optimizer.stepCount = resume.optimizerSteps
            for (i, p) in parameters.enumerated() {
                let values = head.parameters[p.name]!.data
                for j in 0..<p.count {
                    p.value.pointer[j] = values[j]
                    optimizer.firstMoments[i].pointer[j] = resume.firstMoments[p.name]![j]
                    optimizer.secondMoments[i].pointer[j] = resume.secondMoments[p.name]![j]
                }
            }
            if resume.stopped { head = best; return report }
        }
        for epoch in firstEpoch..<config.epochs {
            var rng = SplitMix64(seed: config.seed &+ UInt64(epoch) &* 0x2545_F491_4F6C_DD1D)
            var order = Array(samples.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            var epochLoss: Float = 0
            for start in stride(from: 0, to: order.count, by: config.batch) {
                let batch = order[start..<min(start + config.batch, order.count)]
                optimizer.zeroGradients()
                var batchLoss: Float = 0
                // Samples are independent: one worker per core, each taking every n-th sample with
                // its loops serial; summing in batch order keeps results identical on any core count.
                let items = Array(batch), current = head, objects = objects, parts = parts
                let results = ConcurrentResults<HeadLoss>(count: items.count)
                let shards = max(1, min(parallelWidth, items.count))
                dataParallel(shards) { shard in
                    for j in stride(from: shard, to: items.count, by: shards) {
                        let s = samples[items[j]]
                        results.set(j, current.lossAndGradients(features: s.features, gridH: s.gridH, gridW: s.gridW,
                                                             targets: s.targets, objects: objects, parts: parts))
                    }
                }
                for result in results.items {
                    batchLoss += result.loss
                    for p in parameters {
                        result.gradients[p.name]!.data.withUnsafeBufferPointer { g in
                            for j in 0..<p.count { p.grad.pointer[j] += g[j] / Float(batch.count) }
                        }
                    }
                }
                clipGradientNorm(parameters, maxNorm: 3)
                optimizer.step(learningRate: schedule[min(step, schedule.count - 1)], weightDecay: Float(config.weightDecay))
                for p in parameters { head.parameters[p.name] = Tensor(shape: p.shape, data: p.value.array) }
                epochLoss += batchLoss
                step += 1
                onStep(step, totalSteps, batchLoss / Float(batch.count))
            }
            let meanLoss = epochLoss / Float(samples.count)
            let miou = validation.isEmpty ? 0 : validationMIoU(validation)
            report.losses.append(meanLoss)
            report.validationMIoU.append(miou)
            if validation.isEmpty || miou > report.bestValidationMIoU || epoch == 0 {
                report.bestValidationMIoU = miou
                report.bestEpoch = epoch
                best = head
                sinceBest = 0
            } else {
                sinceBest += 1
                if sinceBest >= config.patience { report.stoppedEarly = true }
            }
            try onEpoch(epoch, meanLoss, miou, state(epochsDone: epoch + 1, step: step, sinceBest: sinceBest,
                                                      best: best, report: report))
            if report.stoppedEarly { break }
        }
        head = best
        return report
    }

    /// Everything needed to continue training after `epochsDone` epochs.
    func state(epochsDone: Int, step: Int, sinceBest: Int, best: SegmenterHead, report: TrainingReport) -> TrainerState {
        var first: [String: [Float]] = [:], second: [String: [Float]] = [:]
        for (i, p) in parameters.enumerated() {
            first[p.name] = Array(UnsafeBufferPointer(start: optimizer.firstMoments[i].pointer, count: p.count))
            second[p.name] = Array(UnsafeBufferPointer(start: optimizer.secondMoments[i].pointer, count: p.count))
        }
        return TrainerState(epochsDone: epochsDone, step: step, sinceBest: sinceBest, optimizerSteps: optimizer.stepCount,
                            stopped: report.stoppedEarly, head: head, best: best, firstMoments: first,
                            secondMoments: second, report: report)
    }

    /// Part mIoU at patch resolution over validation samples (classes absent everywhere are skipped).
    public func validationMIoU(_ samples: [TrainingSample]) -> Double {
        var cm = ConfusionMatrix(classes: parts.count + 1)
        for s in samples {
            let act = head.forward(features: s.features, gridH: s.gridH, gridW: s.gridW)
            let logits = head.logits(act.part, patches: act.patches, vocabulary: parts, part: true)
            let k = parts.count + 1
            let predicted = (0..<act.patches).map { i in
                var best = 0
                for c in 1..<k where logits[i * k + c] > logits[i * k + best] { best = c }
                return best
            }
            let truth = s.targets.part.enumerated().map { s.targets.weight[$0.offset] > 0 && $0.element >= 0 ? $0.element : 255 }
            cm.add(truth: truth, predicted: predicted)
        }
        return cm.meanIoU(over: Array(1..<(parts.count + 1))) ?? 0
    }
}

/// A training run paused after `epochsDone` epochs: parameters, optimiser moments, schedule
/// position and history (what `vlpart train --resume` reads back).
public struct TrainerState: Sendable {
    public var epochsDone: Int
    public var step: Int
    public var sinceBest: Int
    public var optimizerSteps: Int
    /// Whether early stopping had already ended the run.
    public var stopped: Bool
    public var head: SegmenterHead
    public var best: SegmenterHead
    public var firstMoments: [String: [Float]]
    public var secondMoments: [String: [Float]]
    public var report: TrainingReport
}
