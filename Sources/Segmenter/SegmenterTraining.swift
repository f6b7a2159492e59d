import Features
import Foundation
import Store
import Tensor

/// Everything `vlpart train` decides: which labels, which features, which head, how long.
public struct TrainingOptions: Sendable {
    public var selection = LabelSelection()
    /// Only these datasets (all when `nil`).
    public var datasets: [String]?
    public var hiddenDim = 256
    /// Spatial blocks of the head (`HeadConfig.blocks`). Three (a 15×15-patch reach) lifted
    /// held-out base-part mIoU from 9.0 to 16.2 over one on the synthetic benchmark; four did
    /// not help (bench/segmenter/README.md).
    public var blocks = 3
    public var trainer = TrainerConfig()
    public var validationFraction = 0.1
    /// Initial logit scale (the cosine's temperature⁻¹; learned from there). Class names of
    /// one vocabulary embed close together (cosines of 0.6–0.9), so a larger start than the
    /// head's default 10 separates them sooner (CLIP starts at 14, LSeg uses 1/0.07).
    public var initialScale: Float = 30
    /// Continue from `<out>.state.safetensors` when it exists.
    public var resume = false

    public init() {}
}

/// What a training run did (`vlpart train --json`).
public struct TrainingSummary: Codable, Sendable {
    public var epochsRun: Int
    public var bestEpoch: Int
    /// Percent, 0–100, at patch resolution on the validation images.
    public var bestValidationMIoU: Double
    public var trainImages: Int
    public var validationImages: Int
    /// Object plus part classes.
    public var classes: Int
    public var seconds: Double
    public var featuresComputed: Int
    public var featuresCached: Int
    public var losses: [Float]

    enum CodingKeys: String, CodingKey {
        case epochsRun = "epochs_run", bestEpoch = "best_epoch", bestValidationMIoU = "best_val_miou"
        case trainImages = "train_images", validationImages = "val_images", classes, seconds
        case featuresComputed = "features_computed", featuresCached = "features_cached", losses
    }
}

/// Callbacks of a training run, for progress bars.
public struct TrainingProgress {
    public var features: (Int, Int) -> Void = { _, _ in }
    public var step: (Int, Int, Float) -> Void = { _, _, _ in }
    public var epoch: (Int, Float, Double) -> Void = { _, _, _ in }
    public init() {}
}

/// Trains a segmenter head on stored labels and writes it (the library side of `vlpart train`).
public enum SegmenterTraining {
    /// Builds the training set, computes (or reads cached) backbone features, trains with
    /// checkpoints after every epoch (`<out>.state.safetensors`, for `resume`), and writes the
    /// best epoch's model to `out`.
    ///
    /// - Parameters:
    ///   - cacheRoot: feature cache root (default: `<store>.segfeatures`).
    /// - Throws: store, feature, image and checkpoint errors, each naming its file.
    public static func run(store: Store, backbone: Backbone, encoder: TextEncoder, options: TrainingOptions,
                           out: String, cacheRoot: URL? = nil, progress: TrainingProgress = TrainingProgress()) throws -> TrainingSummary {
        let start = Date()
        let set = try TrainingSet.build(store: store, selection: options.selection, datasets: options.datasets)
        let (trainImages, validationImages) = set.split(validationFraction: options.validationFraction, seed: options.trainer.seed)
        let cache = ImageFeatureCache(root: cacheRoot ?? ImageFeatureCache.root(besideStore: store.path), backbone: backbone)
        var computed = 0, cached = 0, done = 0
        let total = set.images.count
        func samples(_ images: [LabelledTrainingImage]) throws -> [TrainingSample] {
            try images.map { image in
                let (grid, hit) = try cache.features(imagePath: image.imagePath, backbone: backbone)
                if hit { cached += 1 } else { computed += 1 }
                done += 1
                progress.features(done, total)
                return TrainingSample(imageID: image.imageID, features: grid.features, gridH: grid.gridH, gridW: grid.gridW,
                                      targets: try image.patchTargets(gridH: grid.gridH, gridW: grid.gridW))
            }
        }
        let training = try samples(trainImages), validation = try samples(validationImages)
        let objects = try Vocabulary.embedded(names: set.objectNames, encoder: encoder)
        let parts = try Vocabulary.embedded(names: set.partNames, encoder: encoder)
        let config = HeadConfig(inputDim: backbone.dim, hiddenDim: options.hiddenDim, embedDim: encoder.dimension,
                                blocks: options.blocks)
        var initial = SegmenterHead(config: config, seed: options.trainer.seed)
        initial.parameters["logScale"] = Tensor(shape: [1], data: [log(options.initialScale)])
        let trainer = SegmenterTrainer(head: initial,
                                       objects: objects, parts: parts, config: options.trainer)
        let statePath = out + ".state.safetensors"
        let fingerprint = try jsonString([
            backbone.sha256, backbone.settings.key, try jsonString(options.trainer), try jsonString(config),
            "\(options.selection)", set.objectNames.joined(separator: ","), set.partNames.joined(separator: ","),
            trainImages.map { String($0.imageID) }.joined(separator: ","),
        ])
        var resume: TrainerState?
        if options.resume, FileManager.default.fileExists(atPath: statePath) {
            resume = try TrainerState.load(path: statePath, fingerprint: fingerprint)
        }
        func model(_ head: SegmenterHead, _ report: TrainingReport) -> SegmenterModel {
            SegmenterModel(head: head, backbonePath: backbone.path, backboneSHA256: backbone.sha256, settings: backbone.settings,
                           objectNames: set.objectNames, partNames: set.partNames, report: report)
        }
        let report = try trainer.train(training: training, validation: validation, resume: resume, onStep: progress.step) {
            epoch, loss, miou, state in
            try state.save(path: statePath, fingerprint: fingerprint)
            try model(state.best, state.report).save(path: out)
            progress.epoch(epoch, loss, miou)
        }
        try model(trainer.head, report).save(path: out)
        return TrainingSummary(epochsRun: report.losses.count, bestEpoch: report.bestEpoch,
                               bestValidationMIoU: 100 * report.bestValidationMIoU, trainImages: training.count,
                               validationImages: validation.count, classes: set.objectNames.count + set.partNames.count,
                               seconds: Date().timeIntervalSince(start), featuresComputed: computed, featuresCached: cached,
                               losses: report.losses)
    }
}
