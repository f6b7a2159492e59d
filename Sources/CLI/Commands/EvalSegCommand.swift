import ArgumentParser
import Features
import Foundation
import Segmenter
import Store

/// `vlpart eval seg`: per-class IoU, base/novel mIoU, pixel accuracy and part AP50 of a segmenter.
struct EvalSeg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg",
        abstract: "Score a trained segmenter against ground-truth part masks.",
        discussion: """
        Every image of the --gt files (found under --images by file name) is segmented with the \
        full vocabulary — all object and part classes of the ground truth (--vocab-from gt) or of \
        the store (--vocab-from store) — so a model must tell a dog's leg from a cat's. Several \
        --gt files are merged per image (e.g. base parts from a held-out source.json and novel \
        parts from its target_gt.json). IoU pools pixels over images; pixels on an object but \
        under no true part are not scored; AP50 scores connected components of each predicted \
        part (score = mean confidence) against true part instances (COCOeval rules, IoU 0.5).
        Parts of --novel objects (default: the object categories of the store's target datasets) \
        form the novel mIoU, the rest the base mIoU. chance_novel_miou is what guessing one of an \
        object's parts at random, inside its true mask, would score.
        --alias dog=puppy embeds every dog class as "puppy …" (unseen wordings for an \
        open-vocabulary check); the classes keep their names for scoring.
        Example:
          vlpart eval seg --model seg.safetensors --gt test/source.json --gt test/target_gt.json --images test/images --novel dog,sparrow,bus,jar
        """
    )

    @Option(help: "Trained segmenter (.safetensors from vlpart train).")
    var model: String
    @Option(help: "Use this ViT checkpoint instead of the one the model names (must have the same hash).")
    var backbone: String?
    @Option(help: "Ground truth COCO/PACO JSON (repeat to merge several).")
    var gt: [String]
    @Option(help: "Folder the ground truth's file names are relative to.")
    var images: String
    @Option(help: "Comma-separated novel object categories (default: the store's target-dataset objects; needs --db).")
    var novel: String?
    @Option(name: .customLong("vocab-from"), help: "Evaluation vocabulary: gt (classes of the --gt files) or store (needs --db).")
    var vocabFrom: String = "gt"
    @Option(help: "object=wording, embedded in place of the object's name (repeat), e.g. dog=puppy.")
    var alias: [String] = []
    @Option(help: "Feature cache folder (default: none, features are recomputed).")
    var cache: String?
    @Option(help: "Score at most N images.")
    var limit: Int?
    @Option(name: .customLong("text-model"), help: "MiniLM model directory (default: $VLPART_TEXT_MODEL or the installed package).")
    var textModel: String?
    @Option(name: .long, help: ArgumentHelp("The store file (for --vocab-from store and the default --novel).", valueName: "path"))
    var db: String?
    @Flag(help: "Print JSON instead of a table.")
    var json = false
    @OptionGroup var arithmetic: PrecisionOption

    func validate() throws {
        guard vocabFrom == "gt" || vocabFrom == "store" else { throw ValidationError("--vocab-from must be gt or store, not '\(vocabFrom)'") }
        if gt.isEmpty { throw ValidationError("give at least one --gt file") }
        if (vocabFrom == "store" || novel == nil) && db == nil {
            throw ValidationError("--vocab-from store and the default --novel read the store: pass --db (or --novel and --vocab-from gt)")
        }
        for a in alias where a.split(separator: "=").count != 2 { throw ValidationError("--alias takes object=wording, got '\(a)'") }
    }

    func run() throws {
        let truth = try GroundTruthImage.read(paths: gt)
        let store = try db.map { try Store(path: $0) }
        var partNames: [String], objectNames: [String]
        if vocabFrom == "store", let store {
            partNames = try store.categoryNames(level: .part)
            objectNames = try store.categoryNames(level: .object)
        } else {
            partNames = Array(Set(truth.flatMap { $0.parts.map(\.name) })).sorted()
            objectNames = Array(Set(truth.flatMap { $0.objects.map(\.name) })).sorted()
        }
        for p in partNames { if let colon = p.lastIndex(of: ":"), !objectNames.contains(String(p[..<colon])) { objectNames.append(String(p[..<colon])) } }
        guard !partNames.isEmpty else { throw ValidationError("\(gt.joined(separator: ", ")): no part categories (named object:part) to score") }
        let novelObjects: Set<String>
        if let novel { novelObjects = Set(try Vocabulary.parseList(novel)) } else { novelObjects = Set(try store!.objectCategoryNames(role: .target)) }
        var aliases: [String: String] = [:]
        for a in alias { let kv = a.split(separator: "=", maxSplits: 1); aliases[String(kv[0])] = String(kv[1]) }

        let runtime = try SegmenterRuntime(modelPath: model, backbonePath: backbone, cacheRoot: cache.map { URL(fileURLWithPath: $0) },
                                           precision: arithmetic.resolved())
        let encoder = try TextEncoder(locating: textModel)
        let parts = try Vocabulary.embedded(names: partNames, encoder: encoder, aliases: aliases)
        let objects = try Vocabulary.embedded(names: objectNames, encoder: encoder, aliases: aliases)
        var evaluator = SegmentationEvaluator(partNames: partNames, novelObjects: novelObjects)
        let chosen = Array(truth.prefix(limit ?? truth.count))
        let bar = ProgressReporter("eval", unit: "img")
        for (n, image) in chosen.enumerated() {
            let path = URL(fileURLWithPath: images).appendingPathComponent(image.fileName).path
            let (segmentation, _) = try runtime.segment(imagePath: path, objects: objects, parts: parts)
            guard segmentation.width == image.width, segmentation.height == image.height else {
                throw ValidationError("\(path): image is \(segmentation.width)×\(segmentation.height), the ground truth says \(image.width)×\(image.height)")
            }
            evaluator.add(segmentation, truth: image)
            bar.update(n + 1, of: chosen.count)
        }
        let scores = evaluator.scores()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(scores), as: UTF8.self))
            return
        }
        let width = max(8, scores.classes.map(\.name.count).max() ?? 8)
        print("part".padding(toLength: width, withPad: " ", startingAt: 0) + "    IoU  novel   pixels")
        for c in scores.classes {
            print(c.name.padding(toLength: width, withPad: " ", startingAt: 0)
                  + String(format: "  %5.1f  %5@  %7d", c.iou, c.novel ? "yes" : "", c.pixels))
        }
        print(String(format: "base mIoU %.1f  novel mIoU %.1f (chance %.1f)  pixel acc %.1f  base AP50 %.1f  novel AP50 %.1f  (%d images)",
                     scores.baseMIoU, scores.novelMIoU, scores.chanceNovelMIoU, scores.pixelAccuracy,
                     scores.baseAP50, scores.novelAP50, scores.images))
    }
}
