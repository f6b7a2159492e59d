import Foundation
import Tensor

/// Problems with pretraining inputs and checkpoints; each description is one line naming the file.
public enum PretrainError: Error, CustomStringConvertible, Equatable {
    case noImages(directory: String)
    case tooFewImages(directory: String, found: Int, batch: Int)
    case badCheckpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case let .noImages(dir): "\(dir): no .png or .jpg images found"
        case let .tooFewImages(dir, found, batch): "\(dir): \(found) images, fewer than one batch of \(batch)"
        case let .badCheckpoint(path, reason): "\(path): not a vlpart pretraining checkpoint: \(reason)"
        }
    }
}

/// Saving and resuming a run, and exporting the backbone.
///
/// A checkpoint is one safetensors file: `student.<name>`, `teacher.<name>` (backbone and head,
/// DINO names), `optimizer.exp_avg.<name>`, `optimizer.exp_avg_sq.<name>`, `dino_loss.center`,
/// and metadata `format`, `step`, `optimizer_steps` and `config` (JSON of ``DINOConfig``). Random
/// streams are derived from the seed and the step, so the seed in `config` is the whole RNG state.
extension DINOTrainer {
    static let checkpointFormat = "vlpart-dino-checkpoint-1"

    /// Writes the full training state to `path` (atomically: temporary file, then rename).
    public func saveCheckpoint(path: String) throws {
        var tensors: [String: Tensor] = [:]
        for p in studentParameters { tensors["student." + p.name] = Tensor(shape: p.shape, data: p.value.array) }
        for p in teacherParameters { tensors["teacher." + p.name] = Tensor(shape: p.shape, data: p.value.array) }
        tensors.merge(CheckpointTensors.moments(of: optimizer)) { $1 }
        tensors["dino_loss.center"] = Tensor(shape: [1, config.outputDim], data: loss.center)
        try SafeTensors.write(tensors, path: path, metadata: CheckpointProgress.metadata(
            format: Self.checkpointFormat, config: config, step: step, optimizerSteps: optimizer.stepCount))
    }

    /// A trainer restored from a checkpoint written by ``saveCheckpoint(path:)``.
    /// - Throws: `PretrainError.badCheckpoint` when the file is not one (or is damaged),
    ///   `TensorIOError` when it cannot be read.
    public static func resume(path: String, imageCount: Int) throws -> DINOTrainer {
        let (tensors, meta) = try SafeTensors.readWithMetadata(path: path)
        guard meta["format"] == checkpointFormat else {
            throw PretrainError.badCheckpoint(path: path, reason: "format is \(meta["format"] ?? "missing")")
        }
        let progress = try CheckpointProgress<DINOConfig>(metadata: meta, path: path)
        let config = progress.config
        let trainer = DINOTrainer(config: config, imageCount: imageCount)
        let file = CheckpointTensors(tensors: tensors, path: path)
        for p in trainer.studentParameters { try file.restore("student." + p.name, into: p.value, shape: p.shape) }
        for p in trainer.teacherParameters { try file.restore("teacher." + p.name, into: p.value, shape: p.shape) }
        try file.restoreMoments(of: trainer.optimizer)
        let center = Buffer(zeros: config.outputDim)
        try file.restore("dino_loss.center", into: center, shape: [1, config.outputDim])
        trainer.loss.center = center.array
        try progress.requireWithin(totalSteps: trainer.totalSteps, imageCount: imageCount, path: path)
        trainer.optimizer.stepCount = progress.optimizerSteps
        trainer.step = progress.step
        return trainer
    }

    /// Writes the teacher backbone (DINO evaluates the teacher) in DINO/timm key naming
    /// (`cls_token`, `pos_embed`, `patch_embed.proj.weight`, `blocks.N.…`, `norm.*`), loadable by
    /// `ViTCheckpoint.load(path:heads:)`; metadata records the architecture and step.
    public func saveBackbone(path: String) throws {
        try CheckpointTensors.writeBackbone(teacher.parameters, architecture: config.architecture,
                                            source: "vlpart pretrain (DINO teacher backbone)", step: step, seed: config.seed,
                                            path: path)
    }
}

/// What every pretraining checkpoint's metadata holds beside its `format` (which each objective
/// checks itself): the run's config as JSON, its step and the optimiser's step count.
struct CheckpointProgress<Config: Codable> {
    let config: Config
    let step: Int
    let optimizerSteps: Int

    /// The metadata of a checkpoint in `format` at `step`.
    static func metadata(format: String, config: Config, step: Int, optimizerSteps: Int) throws -> [String: String] {
        ["format": format, "step": String(step), "optimizer_steps": String(optimizerSteps),
         "config": String(decoding: try JSONEncoder().encode(config), as: UTF8.self)]
    }

    /// Reads the progress of the checkpoint at `path`. Throws `PretrainError.badCheckpoint` when
    /// the config, step or optimiser step count is missing or unreadable.
    init(metadata meta: [String: String], path: String) throws {
        guard let configText = meta["config"], let step = meta["step"].flatMap(Int.init),
              let optimizerSteps = meta["optimizer_steps"].flatMap(Int.init),
              let config = try? JSONDecoder().decode(Config.self, from: Data(configText.utf8)) else {
            throw PretrainError.badCheckpoint(path: path, reason: "metadata lacks a readable config, step or optimizer_steps")
        }
        (self.config, self.step, self.optimizerSteps) = (config, step, optimizerSteps)
    }

    /// Throws `PretrainError.badCheckpoint` when the step lies past a schedule of `totalSteps`
    /// (the run is being resumed on fewer images than it was started on).
    func requireWithin(totalSteps: Int, imageCount: Int, path: String) throws {
        if step > totalSteps {
            throw PretrainError.badCheckpoint(path: path, reason: "step \(step) is past the \(totalSteps)-step schedule for \(imageCount) images")
        }
    }
}

/// The tensors of a pretraining checkpoint being restored, named by the file's path in errors;
/// shared by the DINO and MAE checkpoints, as is the layout of the optimiser's moments.
struct CheckpointTensors {
    let tensors: [String: Tensor]
    let path: String

    /// Copies `key` into `buffer`. Throws `PretrainError.badCheckpoint` when it is missing or
    /// its shape is not `shape`.
    func restore(_ key: String, into buffer: Buffer, shape: [Int]) throws {
        guard let t = tensors[key] else { throw PretrainError.badCheckpoint(path: path, reason: "missing \(key)") }
        guard t.shape == shape else {
            throw PretrainError.badCheckpoint(path: path, reason: "\(key) has shape \(t.shape), expected \(shape)")
        }
        buffer.assign(t.data)
    }

    /// Restores AdamW's moments saved by ``moments(of:)``.
    func restoreMoments(of optimizer: AdamW) throws {
        for (i, p) in optimizer.parameters.enumerated() {
            try restore("optimizer.exp_avg." + p.name, into: optimizer.firstMoments[i], shape: p.shape)
            try restore("optimizer.exp_avg_sq." + p.name, into: optimizer.secondMoments[i], shape: p.shape)
        }
    }

    /// Writes `parameters` under their own (timm/DINO) names to `path` as a backbone that
    /// `ViTCheckpoint.load(path:heads:)` loads; metadata records where it came from, the
    /// architecture and its head count, the step and the seed.
    static func writeBackbone(_ parameters: [Parameter], architecture: PretrainArchitecture, source: String, step: Int,
                              seed: UInt64, path: String) throws {
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = Tensor(shape: p.shape, data: p.value.array) }
        let arch = String(decoding: try JSONEncoder().encode(architecture), as: UTF8.self)
        try SafeTensors.write(tensors, path: path, metadata: [
            "source": source, "architecture": arch, "heads": String(architecture.heads), "step": String(step),
            "seed": String(seed),
        ])
    }

    /// AdamW's moments as `optimizer.exp_avg.<name>` and `optimizer.exp_avg_sq.<name>`.
    static func moments(of optimizer: AdamW) -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for (i, p) in optimizer.parameters.enumerated() {
            tensors["optimizer.exp_avg." + p.name] = Tensor(shape: p.shape, data: optimizer.firstMoments[i].array)
            tensors["optimizer.exp_avg_sq." + p.name] = Tensor(shape: p.shape, data: optimizer.secondMoments[i].array)
        }
        return tensors
    }
}
