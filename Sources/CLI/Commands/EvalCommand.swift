import ArgumentParser
import Foundation
import Imaging
import Segmenter
import Store

/// `vlpart eval`: measure generated labels and models against ground truth.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure parsed labels and trained segmenters against ground-truth part masks.",
        subcommands: [EvalParse.self, EvalSeg.self]
    )
}

/// `vlpart eval parse`: per-part IoU, mIoU, AP50 and coverage of a parse run.
struct EvalParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Score parsed part labels against a ground-truth COCO/PACO file.",
        discussion: """
        Images are matched by file name. Per part category: IoU pools pixels over images \
        (per image, the union of that part's instances on each side), AP50 follows COCOeval \
        (segm, IoU 0.5). Coverage is the share of target objects on those images with at \
        least one parsed part. Example, on the synthetic benchmark: \
        vlpart eval parse --gt vlpart-demo/data/target_gt.json --run demo
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Ground truth: COCO/PACO JSON whose part categories are named object:part.")
    var gt: String
    @Option(name: .customLong("run"), help: "Only labels of this parse run (name or id); default: every parsed label.")
    var runName: String?
    @Option(help: "Only labels on this dataset's images.")
    var dataset: String?
    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let store = try self.store.open()
        let document = try COCODocument.read(path: gt)
        let images = Dictionary(document.images.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let categories = Dictionary(document.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var truth: [PartInstance] = []
        for a in document.annotations {
            guard let name = categories[a.categoryID], name.contains(":"), let image = images[a.imageID] else { continue }
            let mask: Mask
            switch a.segmentation {
            case let .rle(rle): mask = rle.decode()
            case let .polygons(p): mask = RLE.fromPolygons(p, width: image.width, height: image.height).decode()
            case let .compressedRLE(counts, w, h): mask = try RLE(compressed: counts, width: w, height: h, source: gt).decode()
            }
            truth.append(PartInstance(image: image.fileName, category: name, mask: mask))
        }
        let sizes = Dictionary(document.images.map { ($0.fileName, ($0.width, $0.height)) }, uniquingKeysWith: { a, _ in a })
        let runID = try runName.map { try store.run($0, kind: "parse").id }
        let labels = try store.labels(matching: LabelFilter(dataset: dataset, runID: runID, sources: [.parsed]))
        var predicted: [PartInstance] = []
        var parsedObjects = Set<Int64>()
        for l in labels {
            guard let (w, h) = sizes[l.fileName] else { continue }
            let mask = try RLE(compressed: l.annotation.rle, width: w, height: h).decode()
            predicted.append(PartInstance(image: l.fileName, category: l.category, mask: mask, score: Float(l.annotation.score ?? 0)))
            if let parent = l.annotation.parentID { parsedObjects.insert(parent) }
        }
        let objects = try store.objects(dataset: dataset, role: .target).filter { sizes[$0.image.fileName] != nil }
        let covered = objects.filter { parsedObjects.contains($0.annotation.id ?? -1) }.count
        let scores = PartEvaluation.evaluate(predictions: predicted, groundTruth: truth)
        let mIoU = scores.isEmpty ? 0 : scores.map(\.iou).reduce(0, +) / Double(scores.count)
        let mAP = scores.isEmpty ? 0 : scores.map(\.ap50).reduce(0, +) / Double(scores.count)
        let coverage = objects.isEmpty ? 0 : Double(covered) / Double(objects.count)
        if json {
            struct Report: Encodable { let categories: [PartCategoryScore]; let mIoU, mAP50, coverage: Double; let objects: Int }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Report(categories: scores, mIoU: mIoU, mAP50: mAP,
                                                             coverage: coverage, objects: objects.count)), as: UTF8.self))
            return
        }
        let width = max(8, scores.map(\.category.count).max() ?? 8)
        print("part".padding(toLength: width, withPad: " ", startingAt: 0) + "    IoU   AP50     gt   pred")
        for s in scores {
            print(s.category.padding(toLength: width, withPad: " ", startingAt: 0)
                  + String(format: "  %5.1f  %5.1f  %5d  %5d", 100 * s.iou, 100 * s.ap50, s.groundTruth, s.predictions))
        }
        print(String(format: "mIoU %.1f  AP50 %.1f  coverage %.1f%% of %d objects  (%d part categories)",
                     100 * mIoU, 100 * mAP, 100 * coverage, objects.count, scores.count))
    }
}
