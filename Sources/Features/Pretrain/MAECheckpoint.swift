import Foundation
import Tensor

/// Saving and resuming a masked-autoencoder run, and exporting its encoder.
///
/// A checkpoint is one safetensors file: `encoder.<name>` (timm names), `decoder.<name>`,
/// `optimizer.exp_avg.<name>`, `optimizer.exp_avg_sq.<name>`, and metadata `format`, `step`,
/// `optimizer_steps` and `config` (JSON of ``MAEConfig``). Random streams derive from the seed
/// and the step, so the seed in `config` is the whole RNG state.
extension MAETrainer {
    public static let checkpointFormat = "vlpart-mae-checkpoint-1"

    /// Writes the full training state to `path` (atomically: temporary file, then rename).
    public func saveCheckpoint(path: String) throws {
        var tensors: [String: Tensor] = [:]
        for p in encoder.parameters { tensors["encoder." + p.name] = Tensor(shape: p.shape, data: p.value.array) }
        for p in decoder.parameters { tensors["decoder." + p.name] = Tensor(shape: p.shape, data: p.value.array) }
        tensors.merge(CheckpointTensors.moments(of: optimizer)) { $1 }
        try SafeTensors.write(tensors, path: path, metadata: CheckpointProgress.metadata(
            format: Self.checkpointFormat, config: config, step: step, optimizerSteps: optimizer.stepCount))
    }

    /// A trainer restored from a checkpoint written by ``saveCheckpoint(path:)``.
    /// - Throws: `PretrainError.badCheckpoint` when the file is not one (a DINO checkpoint
    ///   included) or is damaged, `TensorIOError` when it cannot be read.
    public static func resume(path: String, imageCount: Int) throws -> MAETrainer {
        let (tensors, meta) = try SafeTensors.readWithMetadata(path: path)
        guard meta["format"] == checkpointFormat else {
            throw PretrainError.badCheckpoint(path: path, reason: "format is \(meta["format"] ?? "missing"), expected \(checkpointFormat)")
        }
        let progress = try CheckpointProgress<MAEConfig>(metadata: meta, path: path)
        let trainer = MAETrainer(config: progress.config, imageCount: imageCount)
        let file = CheckpointTensors(tensors: tensors, path: path)
        for p in trainer.encoder.parameters { try file.restore("encoder." + p.name, into: p.value, shape: p.shape) }
        for p in trainer.decoder.parameters { try file.restore("decoder." + p.name, into: p.value, shape: p.shape) }
        try file.restoreMoments(of: trainer.optimizer)
        try progress.requireWithin(totalSteps: trainer.totalSteps, imageCount: imageCount, path: path)
        trainer.optimizer.stepCount = progress.optimizerSteps
        trainer.step = progress.step
        return trainer
    }

    /// Writes the encoder in DINO/timm key naming, loadable by `ViTCheckpoint.load(path:heads:)`
    /// like any backbone; metadata records the architecture, objective, step and seed.
    public func saveBackbone(path: String) throws {
        try CheckpointTensors.writeBackbone(encoder.parameters, architecture: config.architecture,
                                            source: "vlpart pretrain (MAE encoder)", step: step, seed: config.seed, path: path)
    }
}
