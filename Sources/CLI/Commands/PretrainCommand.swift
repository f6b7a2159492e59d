import ArgumentParser
import Features
import Foundation
import Imaging
import Store

/// `vlpart pretrain`: trains a ViT self-supervised (DINO or a masked autoencoder) and writes its backbone.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Train a ViT feature extractor self-supervised (DINO or MAE) on unlabelled images.",
        discussion: """
        --objective dino (default): a student ViT learns to match an EMA teacher across multi-crop \
        views (2 global + several local crops, flips, colour jitter, grayscale, blur, \
        solarisation); the teacher backbone is written. --objective mae: a masked autoencoder; the \
        encoder sees a random quarter of the patches (--mask-ratio) and a small decoder predicts \
        the pixels of the rest; the encoder is written. Either way --out is safetensors in \
        DINO/timm key naming, so `vlpart features --model OUT` loads it like an official checkpoint.

        --objects trains on object crops (the boxes of every object in the store, or in the \
        --dataset ones) instead of whole images: the crops the parser and the probe describe. On \
        the synthetic benchmark, MAE on object crops is what makes features beat random weights \
        (models/README.md has the figures); DINO there learns invariances that cost more than \
        they teach.

        A checkpoint (student, teacher, head, optimiser state, center, step) is written atomically \
        every --checkpoint-every steps; after a kill, rerun the same command with --resume to \
        continue exactly where it stopped.

        --dataset NAME trains on the images of a dataset imported into the store (--db), read from \
        the root recorded at import. --epochs 0 trains nothing and writes the randomly initialised \
        backbone of the same architecture and seed: the "random weights" baseline that `vlpart \
        probe` and `vlpart parse` compare a pretrained checkpoint against.

        Examples (on 2 cores DINO trains tiny at about 26 images/s and nano at about 100; MAE on nano \
        object crops at about 800):
          vlpart synth data/synth
          vlpart pretrain --images data/synth/images --epochs 20 --seed 0 --out models/dino-tiny.safetensors
          vlpart pretrain --dataset synth-source --arch nano --epochs 60 --out nano.safetensors --db s.sqlite
          vlpart pretrain --objective mae --objects --arch nano --epochs 500 --out mae.safetensors --db s.sqlite
          vlpart pretrain --arch nano --epochs 0 --out nano-random.safetensors
        """
    )

    @Option(help: "Directory of training images (.png/.jpg, searched recursively).")
    var images: String?

    @Option(help: "Train on the images of this store dataset instead of --images (see --db); repeat for several.")
    var dataset: [String] = []
    @Flag(help: "Train on object crops (tight boxes) from the store: every object of the --dataset ones, or of all datasets.")
    var objects = false
    @OptionGroup var store: StoreOptions

    @Option(help: "Self-supervised objective: dino (self-distillation) or mae (masked autoencoder).")
    var objective = "dino"

    @Option(help: "Architecture preset: nano, tiny (patch 8, width 192, depth 6), small (ViT-S/8), base (ViT-B/16).")
    var arch: String = "tiny"

    @Option(help: "Override the preset's patch size in pixels.")
    var patch: Int?
    @Option(help: "Override the preset's width (embedding dimension).")
    var dim: Int?
    @Option(help: "Override the preset's number of blocks.")
    var depth: Int?
    @Option(help: "Override the preset's number of attention heads (must divide --dim).")
    var heads: Int?

    @Option(help: "Side of the two global crops in pixels (DINO: 224; tiny: 64).")
    var globalSize: Int?
    @Option(help: "Side of the local crops in pixels (DINO: 96; tiny: 32).")
    var localSize: Int?
    @Option(help: "Number of local crops per image (DINO: 8).")
    var localCrops: Int = 6
    @Option(help: "Number of prototypes in the DINO head (DINO: 65536).")
    var outDim: Int = 2048
    @Option(help: "MAE: fraction of patches hidden from the encoder.")
    var maskRatio = 0.75
    @Option(help: "MAE: decoder width (its heads: width / 16).")
    var decoderDim = 64
    @Option(help: "MAE: decoder blocks.")
    var decoderDepth = 2

    @Option(help: "Passes over the images; 0 writes the random initialisation without reading any image.")
    var epochs: Int = 20
    @Option(help: "Images per step (default: dino 32, mae 64).")
    var batch: Int?
    @Option(help: "Peak learning rate per 256 images, scaled by batch/256 (default: dino 0.0005, mae 0.006).")
    var lr: Double?
    @Option(help: "Seed for initialisation, image order, crops and augmentations.")
    var seed: UInt64 = 0
    @Option(name: .customLong("teacher-momentum"), help: "Starting EMA momentum of the teacher (DINO: 0.996; rises to 1 by the end). Short schedules need less, e.g. 0.99.")
    var teacherMomentum = 0.996
    @Option(name: .customLong("teacher-temp"), help: "Teacher temperature after warm-up (DINO: 0.04 to 0.07).")
    var teacherTemp: Float = 0.04
    @Option(name: .customLong("warmup-teacher-temp"), help: "Teacher temperature at the start (DINO: 0.04).")
    var warmupTeacherTemp: Float = 0.04
    @Option(help: "Teacher centering: mean (DINO's running-mean center) or sinkhorn (DINOv2's Sinkhorn-Knopp, 3 iterations; resists collapse on small data).")
    var centering = "mean"

    @Option(help: "Output backbone, .safetensors.")
    var out: String
    @Option(help: "Checkpoint path (default: OUT with .ckpt.safetensors).")
    var checkpoint: String?
    @Option(help: "Steps between checkpoints.")
    var checkpointEvery: Int = 50
    @Flag(help: "Continue from the checkpoint (its settings win over the flags above).")
    var resume = false
    @Option(help: "Stop after this many steps (checkpointing first); for benchmarks.")
    var maxSteps: Int?

    func validate() throws {
        guard ["dino", "mae"].contains(objective) else { throw ValidationError("--objective must be dino or mae") }
        guard epochs == 0 || objects || (images == nil) != dataset.isEmpty else {
            throw ValidationError("give one of --images DIR, --dataset NAME or --objects")
        }
        guard !(objects && images != nil) else { throw ValidationError("--objects reads boxes from the store; drop --images") }
        guard maskRatio > 0 && maskRatio < 1, decoderDim > 0, decoderDim % 16 == 0, decoderDepth > 0 else {
            throw ValidationError("--mask-ratio must be in (0, 1), --decoder-dim a positive multiple of 16, --decoder-depth positive")
        }
        guard PretrainArchitecture.named(arch) != nil else { throw ValidationError("unknown --arch \(arch) (nano, tiny, small, base)") }
        guard ["mean", "sinkhorn"].contains(centering) else { throw ValidationError("--centering must be mean or sinkhorn") }
        guard (0..<1).contains(teacherMomentum) else { throw ValidationError("--teacher-momentum must be in [0, 1)") }
        guard epochs >= 0, (batch ?? 1) > 0, localCrops >= 0, outDim > 0, checkpointEvery > 0 else {
            throw ValidationError("--batch, --out-dim and --checkpoint-every must be positive, --epochs not negative")
        }
        let a = architecture
        guard a.dim % a.heads == 0 else { throw ValidationError("--heads \(a.heads) does not divide --dim \(a.dim)") }
        guard a.imageSize % a.patchSize == 0, (localSize ?? a.imageSize / 2) % a.patchSize == 0 else {
            throw ValidationError("crop sizes must be multiples of the patch size \(a.patchSize)")
        }
    }

    var architecture: PretrainArchitecture {
        var a = PretrainArchitecture.named(arch) ?? .tiny
        if let patch { a.patchSize = patch }
        if let dim { a.dim = dim }
        if let depth { a.depth = depth }
        if let heads { a.heads = heads }
        if let globalSize { a.imageSize = globalSize }
        return a
    }

    func run() throws {
        if objective == "mae" { try runMAE() } else { try runDINO() }
    }

    func runDINO() throws {
        var config = DINOConfig()
        config.architecture = architecture
        config.multiCrop = MultiCrop(globalSize: config.architecture.imageSize,
                                     localSize: localSize ?? config.architecture.imageSize / 2, localCount: localCrops)
        config.outputDim = outDim
        config.epochs = epochs
        config.batchSize = batch ?? 32
        config.baseLR = lr ?? 0.0005
        config.seed = seed
        config.momentumTeacher = teacherMomentum
        config.teacherTemperature = teacherTemp
        config.warmupTeacherTemperature = warmupTeacherTemp
        config.sinkhornIterations = centering == "sinkhorn" ? 3 : nil

        if epochs == 0 && !resume {
            // The student and teacher start identical, so the written teacher is the initialisation.
            try writeRandom { try DINOTrainer(config: config, imageCount: 0).saveBackbone(path: $0) }
            return
        }
        try train(resuming: DINOTrainer.resume, fresh: { DINOTrainer(config: config, imageCount: $0) })
    }

    func runMAE() throws {
        var config = MAEConfig()
        config.architecture = architecture
        config.epochs = epochs
        config.batchSize = batch ?? 64
        config.baseLR = lr ?? 0.006
        config.seed = seed
        config.maskRatio = maskRatio
        config.decoderDim = decoderDim
        config.decoderDepth = decoderDepth
        config.decoderHeads = decoderDim / 16
        config.warmupEpochs = max(1, epochs / 10)
        config.inputSize = config.architecture.imageSize * 5 / 4   // crops resample down, never up

        if epochs == 0 && !resume {
            try writeRandom { try MAETrainer(config: config, imageCount: 0).saveBackbone(path: $0) }
            return
        }
        try train(resuming: MAETrainer.resume, fresh: { MAETrainer(config: config, imageCount: $0) },
                  prepare: { $0.prepare($1) })
    }

    /// Loads the training images, resumes the checkpoint (with --resume, when it exists) or starts
    /// afresh, trains with a progress bar and writes the backbone; `prepare` turns the loaded
    /// images into what the trainer steps on.
    func train<Trainer: PretrainingRun>(resuming: (String, Int) throws -> Trainer, fresh: (Int) -> Trainer,
                                         prepare: (Trainer, [Image]) -> [Image] = { $1 }) throws {
        let (directory, loaded) = try trainingImages()
        let checkpointPath = self.checkpointPath
        let trainer: Trainer
        if resume && FileManager.default.fileExists(atPath: checkpointPath) {
            trainer = try resuming(checkpointPath, loaded.count)
            FileHandle.standardError.write(Data("resuming \(checkpointPath) at step \(trainer.step)\n".utf8))
        } else {
            trainer = fresh(loaded.count)
        }
        guard loaded.count >= trainer.batchSize else {
            throw PretrainError.tooFewImages(directory: directory, found: loaded.count, batch: trainer.batchSize)
        }
        for path in [out, checkpointPath] {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        }
        let pictures = prepare(trainer, loaded)
        let start = Date(), firstStep = trainer.step
        let bar = ProgressBar()
        try trainer.train(images: pictures, checkpointPath: checkpointPath, checkpointEvery: checkpointEvery,
                          stopAfter: maxSteps) { bar.update($0) }
        bar.finish()
        try trainer.saveBackbone(path: out)
        let steps = trainer.step - firstStep
        let rate = Double(steps * trainer.batchSize) / max(Date().timeIntervalSince(start), 1e-9)
        print("wrote \(out): step \(trainer.step)/\(trainer.totalSteps), \(steps) steps this run, " + String(format: "%.2f images/s", rate))
    }

    var checkpointPath: String {
        checkpoint ?? (out.hasSuffix(".safetensors") ? String(out.dropLast(12)) : out) + ".ckpt.safetensors"
    }

    func writeRandom(_ save: (String) throws -> Void) throws {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try save(out)
        print("wrote \(out): random initialisation of \(arch) (seed \(seed)), no training")
    }

    /// The training images and a name for them in messages: object crops, a dataset's images or a folder's.
    func trainingImages() throws -> (String, [Image]) {
        if objects {
            let name = dataset.isEmpty ? "objects of every dataset" : "objects of " + dataset.joined(separator: ", ")
            let db = try store.open()
            let refs = try dataset.isEmpty ? db.objects() : dataset.flatMap { try db.objects(dataset: $0) }
            return (name, try ObjectCrops.load(refs))
        }
        if !dataset.isEmpty {
            let name = "dataset " + dataset.joined(separator: ", ")
            let db = try store.open()
            return (name, try ImageFolder.load(paths: try dataset.flatMap { try db.imagePaths(dataset: $0) }, name: name))
        }
        let directory = images ?? ""
        return (directory, try ImageFolder.load(directory: directory))
    }
}

/// A one-line progress bar on stderr: bar, step, epoch, loss and smoothed images/s.
final class ProgressBar {
    private var smoothedRate = 0.0

    func update(_ r: DINOStepReport) {
        smoothedRate = smoothedRate == 0 ? r.imagesPerSecond : 0.8 * smoothedRate + 0.2 * r.imagesPerSecond
        let width = 24, done = r.totalSteps > 0 ? (r.step * width) / r.totalSteps : width
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        let line = "\r[\(bar)] step \(r.step)/\(r.totalSteps) epoch \(r.epoch + 1) "
            + String(format: "loss %.4f lr %.2e %.1f img/s ", r.loss, r.learningRate, smoothedRate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
