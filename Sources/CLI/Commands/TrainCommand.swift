import ArgumentParser
import Features
import Foundation
import Segmenter
import Store

/// `vlpart train`: fit the open-vocabulary segmenter's head on stored labels.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the open-vocabulary segmenter on stored scene, object and part labels.",
        discussion: """
        The ViT (--model) stays frozen: each image's patch features are computed once and cached \
        in <store>.segfeatures/ (keyed by model hash, settings and image hash), so later runs only \
        train the head. The head maps features into the MiniLM text space; logits are the scaled \
        cosine to the text embeddings of the class names, so any vocabulary can be used later.
        Labels: gold = imported ground truth; pending parsed labels are weak (--parsed-weight, \
        VLPart uses 0.1), accepted ones count as gold, rejected ones are never used. An image \
        trains when at least one of its part labels is selected. Part classes are balanced by \
        inverse frequency; a seeded --val-fraction of the images drives early stopping.
        After every epoch the best model so far is written to --out and the training state to \
        <out>.state.safetensors; rerun with --resume to continue an interrupted run.
        Examples:
          vlpart train --model dino.safetensors --out seg.safetensors --include gold
          vlpart train --model dino.safetensors --out seg-b.safetensors --run demo --parsed-weight 0.1
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Where to write the segmenter (.safetensors).")
    var out: String
    @Option(help: "Frozen ViT checkpoint: .safetensors, .pth, or a directory with model.safetensors.")
    var model: String
    @Option(help: "Attention heads, when the checkpoint does not say.")
    var heads: Int?
    @Option(help: "Short side images are resized to before the ViT, pixels.")
    var size: Int = 224
    @Option(help: "Patch-embedding stride (default: the patch size); smaller gives finer masks.")
    var stride: Int?
    @Option(help: "Block to read features from, 0-based (default: the last).")
    var layer: Int?
    @Option(help: "Feature facet: token, key, query or value.")
    var facet: String = "token"
    @Option(help: "Comma-separated label kinds: gold, parsed (pending), accepted, manual.")
    var include: String = "gold,parsed,accepted,manual"
    @Option(name: .customLong("parsed-weight"), help: "Loss weight of pending parsed parts relative to gold.")
    var parsedWeight: Float = 0.1
    @Option(name: .customLong("run"), help: "Only parsed labels of this parse run (name or id).")
    var runName: String?
    @Option(name: .customLong("min-score"), help: "Drop pending parsed labels scoring below this.")
    var minScore: Double?
    @Option(help: "Only this dataset's images (repeat for several).")
    var dataset: [String] = []
    @Option(help: "Training epochs (at most; early stopping may end sooner).")
    var epochs: Int = 30
    @Option(help: "Images per optimiser step (each image gives hundreds of patches; small batches mean more steps).")
    var batch: Int = 2
    @Option(help: "Peak learning rate (AdamW, cosine schedule).")
    var lr: Double = 3e-3
    @Option(help: "Epochs without validation improvement before stopping.")
    var patience: Int = 6
    @Option(help: "Hidden channels of the head.")
    var hidden: Int = 256
    @Option(help: "Spatial blocks of the head: dilated 3×3 depthwise convolutions (reach 3, 7, 15, … patches).")
    var blocks: Int = 3
    @Option(name: .customLong("val-fraction"), help: "Share of images held out for validation.")
    var valFraction: Double = 0.1
    @Option(help: "Seed of the head's initialisation, the split and the shuffles.")
    var seed: UInt64 = 0
    @Option(name: .customLong("text-model"), help: "MiniLM model directory (default: $VLPART_TEXT_MODEL or the installed package).")
    var textModel: String?
    @Option(help: "Feature cache folder (default: <store>.segfeatures).")
    var cache: String?
    @Flag(help: "Continue from <out>.state.safetensors when it exists.")
    var resume = false
    @Flag(help: "Print a JSON summary on stdout.")
    var json = false
    @OptionGroup var arithmetic: PrecisionOption

    func validate() throws {
        guard epochs > 0, batch > 0, lr > 0, hidden > 0, size > 0, blocks > 0 else {
            throw ValidationError("--epochs, --batch, --lr, --hidden, --blocks and --size must be positive")
        }
        guard (0..<1).contains(valFraction) else { throw ValidationError("--val-fraction must be in [0, 1)") }
        guard parsedWeight >= 0 else { throw ValidationError("--parsed-weight must not be negative") }
        let kinds: [LabelKind] = try parseList(include, "--include")
        if kinds.isEmpty { throw ValidationError("--include names no label kind") }
    }

    func run() throws {
        let store = try self.store.open()
        let kinds: Set<LabelKind> = Set(try parseList(include, "--include"))
        var options = TrainingOptions()
        options.selection.gold = kinds.contains(.gold)
        options.selection.parsed = kinds.contains(.parsed)
        options.selection.accepted = kinds.contains(.accepted)
        options.selection.manual = kinds.contains(.manual)
        options.selection.parsedWeight = parsedWeight
        options.selection.minScore = minScore
        options.selection.runID = try runName.map { try store.run($0, kind: "parse").id }
        options.datasets = dataset.isEmpty ? nil : dataset
        options.hiddenDim = hidden
        options.blocks = blocks
        options.trainer.epochs = epochs
        options.trainer.batch = batch
        options.trainer.learningRate = lr
        options.trainer.patience = patience
        options.trainer.seed = seed
        options.validationFraction = valFraction
        options.resume = resume
        let backbone = try Backbone(path: model, settings: BackboneSettings(size: size, stride: stride, layer: layer, facet: facet,
                                                                               heads: heads, precision: arithmetic.resolved()))
        let encoder = try TextEncoder(locating: textModel)
        let featureBar = ProgressReporter("features", unit: "img")
        let trainBar = ProgressReporter("train", unit: "step")
        var lastMIoU: Double?
        var progress = TrainingProgress()
        progress.features = { featureBar.update($0, of: $1) }
        progress.step = { step, total, loss in
            trainBar.update(step, of: total, extra: String(format: "loss %.4f", loss)
                            + (lastMIoU.map { String(format: "  val mIoU %.1f", 100 * $0) } ?? ""))
        }
        progress.epoch = { epoch, loss, miou in
            lastMIoU = miou
            if isatty(STDERR_FILENO) == 0 {
                FileHandle.standardError.write(Data(String(format: "epoch %d  loss %.4f  val mIoU %.1f\n", epoch + 1, loss, 100 * miou).utf8))
            }
        }
        let summary = try SegmenterTraining.run(store: store, backbone: backbone, encoder: encoder, options: options, out: out,
                                                cacheRoot: cache.map { URL(fileURLWithPath: $0) }, progress: progress)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(String(format: "trained %d epochs on %d images (%d validation), %d classes; best epoch %d, val mIoU %.1f; %.0f s; features: %d computed, %d cached",
                         summary.epochsRun, summary.trainImages, summary.validationImages, summary.classes, summary.bestEpoch + 1,
                         summary.bestValidationMIoU, summary.seconds, summary.featuresComputed, summary.featuresCached))
            print("wrote \(out)")
        }
    }
}

/// The label kinds `--include` names.
enum LabelKind: String, CaseIterable {
    case gold, parsed, accepted, manual
}
