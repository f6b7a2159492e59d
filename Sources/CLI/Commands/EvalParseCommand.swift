import ArgumentParser
import Foundation
import Imaging
import Segmenter
import Store

/// `vlpart eval parse`: per-part IoU, mIoU, AP50 and coverage of parse runs, side by side.
struct EvalParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Score parse runs' part labels against a ground-truth COCO/PACO file, one column group per run.",
        discussion: """
        Images are matched by file name. Per part category: IoU pools pixels over images \
        (per image, the union of that part's instances on each side), AP50 follows COCOeval \
        (segm, IoU 0.5). mIoU and AP50 average over the ground truth's part categories (the \
        novel parts, for target_gt.json). Coverage is the share of target objects on those \
        images with at least one part from the run. Runs coexist in the store, so baselines \
        and models compare in one table. Example, on the synthetic benchmark:
          vlpart eval parse --gt data/target_gt.json --run prior --run nn --run cluster
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Ground truth: COCO/PACO JSON whose part categories are named object:part.")
    var gt: String
    @Option(name: .customLong("run"), help: "A parse run to score (name or id); repeat to compare runs. Default: every parse run in the store.")
    var runNames: [String] = []
    @Option(help: "Only labels on this dataset's images.")
    var dataset: String?
    @Flag(help: "Print JSON instead of a table: {\"runs\": [{\"run\", \"method\", \"miou\", \"ap50\", \"coverage\", \"objects\", \"categories\": [{\"name\", \"iou\", \"ap50\"}]}]} in percent.")
    var json = false

    struct CategoryReport: Encodable { let name: String; let iou, ap50: Double; let gt, pred: Int }
    struct RunReport: Encodable {
        let run: String, method: String
        let miou, ap50, coverage: Double
        let objects: Int
        let categories: [CategoryReport]
    }

    func run() throws {
        let store = try self.store.open()
        let (truth, sizes) = try groundTruth()
        let runs = runNames.isEmpty ? try store.runs(kind: "parse") : try runNames.map { try store.run($0, kind: "parse") }
        guard !runs.isEmpty else { throw ValidationError("the store has no parse run: run `vlpart parse` first") }
        let objects = try store.objects(dataset: dataset, role: .target).filter { sizes[$0.image.fileName] != nil }
        var reports: [RunReport] = []
        for run in runs {
            let labels = try store.labels(matching: LabelFilter(dataset: dataset, runID: run.id, sources: [.parsed]))
            var predicted: [PartInstance] = []
            var parsedObjects = Set<Int64>()
            for l in labels {  // the parser's output as it was, whatever a person decided since
                guard let (w, h) = sizes[l.fileName] else { continue }
                let mask = try RLE(compressed: l.annotation.rle, width: w, height: h).decode()
                predicted.append(PartInstance(image: l.fileName, category: l.category, mask: mask, score: Float(l.annotation.score ?? 0)))
                if let parent = l.annotation.parentID { parsedObjects.insert(parent) }
            }
            let scores = PartEvaluation.evaluate(predictions: predicted, groundTruth: truth)
            let covered = objects.filter { parsedObjects.contains($0.annotation.id ?? -1) }.count
            func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : 100 * v.reduce(0, +) / Double(v.count) }
            let params = (run.params?.data(using: .utf8)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            reports.append(RunReport(
                run: run.name ?? "\(run.id)", method: params?["method"] as? String ?? "?",
                miou: mean(scores.map(\.iou)), ap50: mean(scores.map(\.ap50)),
                coverage: objects.isEmpty ? 0 : 100 * Double(covered) / Double(objects.count), objects: objects.count,
                categories: scores.map { CategoryReport(name: $0.category, iou: 100 * $0.iou, ap50: 100 * $0.ap50,
                                                        gt: $0.groundTruth, pred: $0.predictions) }))
        }
        if json {
            struct Output: Encodable { let runs: [RunReport] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Output(runs: reports)), as: UTF8.self))
        } else {
            print(table(reports))
        }
    }

    /// Ground-truth part instances (categories named `object:part`) and image sizes by file name.
    func groundTruth() throws -> ([PartInstance], [String: (Int, Int)]) {
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
        return (truth, sizes)
    }

    /// Rows: part categories, objects, coverage, then mIoU / AP50; a column group (IoU, AP50) per run.
    func table(_ reports: [RunReport]) -> String {
        let names = reports.first?.categories.map(\.name) ?? []
        let width = max(10, names.map(\.count).max() ?? 10)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        func left(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        let groups = reports.map { "\($0.run) (\($0.method))" }
        let groupWidth = max(13, groups.map(\.count).max() ?? 13)
        var lines = [left("") + groups.map { "  " + pad($0, groupWidth) }.joined()]
        lines.append(left("part") + reports.map { _ in "  " + pad("IoU   AP50", groupWidth) }.joined())
        for (i, name) in names.enumerated() {
            lines.append(left(name) + reports.map { r in
                "  " + pad(String(format: "%5.1f  %5.1f", r.categories[i].iou, r.categories[i].ap50), groupWidth)
            }.joined())
        }
        lines.append(left("objects") + reports.map { "  " + pad("\($0.objects)", groupWidth) }.joined())
        lines.append(left("coverage %") + reports.map { "  " + pad(String(format: "%5.1f", $0.coverage), groupWidth) }.joined())
        // The summary last, so `| tail -1` (scripts/demo.sh) shows it.
        lines.append(left("mIoU / AP50") + reports.map { "  " + pad(String(format: "%5.1f  %5.1f", $0.miou, $0.ap50), groupWidth) }.joined())
        return lines.joined(separator: "\n")
    }
}
