import Foundation
import Imaging

/// A self-supervised trainer as `vlpart pretrain` drives it, whatever its objective (``DINOTrainer``,
/// ``MAETrainer``): one step at a time on a batch of images, resumable checkpoints, a backbone to
/// export. The epoch order and the training loop are shared (``train(images:checkpointPath:checkpointEvery:stopAfter:progress:)``).
public protocol PretrainingRun: AnyObject {
    /// Iterations completed.
    var step: Int { get }
    var stepsPerEpoch: Int { get }
    var totalSteps: Int { get }
    var batchSize: Int { get }
    var seed: UInt64 { get }
    /// The scheduled learning rate of iteration `step`.
    func learningRate(at step: Int) -> Float
    /// Runs iteration `step` on `images` (one batch) and returns its loss.
    @discardableResult func trainStep(images: [Image]) -> Float
    func saveCheckpoint(path: String) throws
    func saveBackbone(path: String) throws
}

extension PretrainingRun {
    /// The image order of `epoch`: a permutation drawn from the seed and the epoch.
    func order(epoch: Int, count: Int) -> [Int] {
        var rng = PretrainRandom(seed: seed, purpose: 3, index: epoch)
        var idx = Array(0..<count)
        idx.shuffle(using: &rng)
        return idx
    }

    /// Trains from the current step to the end of the schedule, saving a checkpoint every
    /// `checkpointEvery` steps and at the end (atomically) when `checkpointPath` is given.
    ///
    /// - Parameters:
    ///   - stopAfter: stop after this many more steps (for benchmarks and tests), checkpointing first.
    /// - Throws: `TensorIOError` when a checkpoint cannot be written.
    public func train(images: [Image], checkpointPath: String? = nil, checkpointEvery: Int = 50, stopAfter: Int? = nil,
                      progress: (DINOStepReport) -> Void = { _ in }) throws {
        precondition(images.count >= batchSize, "train: \(images.count) images for batch \(batchSize)")
        let end = min(totalSteps, stopAfter.map { step + $0 } ?? totalSteps)
        var cachedEpoch = -1, perm: [Int] = []
        while step < end {
            let epoch = step / stepsPerEpoch
            if epoch != cachedEpoch { perm = order(epoch: epoch, count: images.count); cachedEpoch = epoch }
            let start = (step % stepsPerEpoch) * batchSize
            let t0 = Date(), lr = learningRate(at: step)
            let value = trainStep(images: perm[start..<(start + batchSize)].map { images[$0] })
            let rate = Double(batchSize) / max(Date().timeIntervalSince(t0), 1e-9)
            progress(DINOStepReport(step: step, totalSteps: totalSteps, epoch: epoch, loss: value,
                                    learningRate: lr, imagesPerSecond: rate))
            if let checkpointPath, checkpointEvery > 0, step % checkpointEvery == 0 || step == end {
                try saveCheckpoint(path: checkpointPath)
            }
        }
    }
}
