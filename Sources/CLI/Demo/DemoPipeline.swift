import Foundation
import Store

/// The demo's steps in order, each a `vlpart` command run by `DemoRunner`, and the assembly of
/// their outputs into a `DemoReport`.
struct DemoPipeline {
    let plan: DemoPlan
    let runner: DemoRunner
    let directory: URL
    var modelPath: String?

    private var db: String { directory.appendingPathComponent("vlpart.sqlite").path }
    private func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    /// Parse methods compared, in the order the tables show them.
    static let parseMethods = ["prior", "nn", "cluster"]

    mutating func run() throws -> DemoReport {
        let data = path("data"), test = path("test"), seed = String(plan.seed)
        try runner.step("synthesise the benchmark", ["synth", data, "--seed", seed, "--images", String(plan.scenes),
                                                    "--folder-images", String(plan.folderImages)])
        try runner.step("synthesise the held-out test set", ["synth", test, "--seed", String(plan.seed + 1000),
                                                            "--images", String(plan.testScenes), "--folder-images", "1"])
        try runner.step("create the store", ["init", "--db", db])
        try runner.step("import source (base objects with parts)", ["import", "paco", data + "/source.json", "--images", data + "/images",
                                                                   "--dataset", "synth-source", "--role", "source", "--db", db])
        try runner.step("import target (novel objects, no parts)", ["import", "coco", data + "/target.json", "--images", data + "/images",
                                                                   "--dataset", "synth-target", "--role", "target", "--db", db])
        try runner.step("import class folders (saliency path)", ["import", "folder", data + "/folder",
                                                                "--dataset", "synth-folder", "--role", "target", "--db", db])

        let pretrainedHere = modelPath == nil
        if modelPath == nil {
            let out = path("mae-nano.safetensors")
            try runner.step("pretrain a nano ViT (masked autoencoder on object crops)",
                            ["pretrain", "--objective", "mae", "--objects", "--dataset", "synth-source", "--dataset", "synth-target",
                             "--arch", "nano", "--epochs", String(plan.pretrainEpochs), "--seed", seed, "--out", out, "--db", db])
            modelPath = out
        }
        let model = modelPath!
        let features = ["--model", model, "--size", String(plan.parseSize)] + (plan.parseStride.map { ["--stride", String($0)] } ?? [])
        try runner.step("cache object features", ["features", "cache"] + features + ["--db", db])

        let proposals = try runner.jsonStep("propose borrowed taxonomies", ["taxonomy", "propose", "--json", "--db", db])
        try runner.step("approve the proposals", ["taxonomy", "review", "--approve-all", "--min-score", "0", "--db", db])

        for method in Self.parseMethods {
            try runner.step("parse (\(method))", ["parse", "--method", method, "--run", method] + features + ["--db", db])
        }
        let runs = Self.parseMethods.flatMap { ["--run", $0] }
        let parseEval = try runner.jsonStep("evaluate the parsed labels",
                                            ["eval", "parse", "--gt", data + "/target_gt.json", "--json", "--db", db] + runs)
        try runner.step("write the review site", ["review", "--out", path("review"), "--run", "cluster", "--db", db])

        var report = DemoReport(version: VLPart.version, seed: plan.seed, quick: plan.quick, model: model,
                                modelPretrainedHere: pretrainedHere)
        report.dataset = (try? JSONValue.parse(try runner.step("count the store", ["stats", "--json", "--db", db]), name: "stats")) ?? .null
        let categories = try Self.splitCategories(data + "/split.json")
        report.taxonomy = Self.borrows(proposals, categories: categories)
        report.parseEvaluation = parseEval
        report.parse = parseEval["runs"].map { $0.array.map(Self.parseResult) } ?? []
        try collectGallery(into: &report)

        try trainSegmenters(into: &report, model: model, test: test, categories: categories)
        report.steps = runner.steps
        return report
    }

    // MARK: - Segmenter

    private func trainSegmenters(into report: inout DemoReport, model: String, test: String, categories: [JSONValue]) throws {
        let variants: [(name: String, slug: String, args: [String])] = [
            ("(a) base gold only", "base-only", ["--include", "gold"]),
            ("(b) + parsed novel", "with-parsed", ["--include", "gold,parsed", "--run", "cluster",
                                                   "--parsed-weight", String(plan.parsedWeight)]),
        ] + (plan.quick ? [] : [
            ("(c) + parsed ≥ \(plan.acceptScore)", "parsed-above", ["--include", "gold,parsed", "--run", "cluster",
                                                                    "--min-score", String(plan.acceptScore),
                                                                    "--parsed-weight", String(plan.parsedWeight)]),
        ])
        let gallery = try Self.galleryImages(testGT: test + "/target_gt.json", count: plan.galleryImages)
        let vocabulary = Self.vocabulary(categories)
        var overlays: [String: [String: String]] = [:]
        for v in variants {
            let seg = path("segmenter-\(v.slug).safetensors")
            let training = try runner.jsonStep("train segmenter \(v.name)", ["train", "--out", seg, "--model", model,
                "--size", String(plan.segmentSize), "--epochs", String(plan.segmenterEpochs), "--seed", String(plan.seed),
                "--json", "--db", db] + (plan.segmentStride.map { ["--stride", String($0)] } ?? []) + v.args)
            let evaluation = try runner.jsonStep("evaluate segmenter \(v.name)", ["eval", "seg", "--model", seg,
                "--gt", test + "/source.json", "--gt", test + "/target_gt.json", "--images", test + "/images", "--json", "--db", db])
            report.segmenters.append(DemoReport.SegmenterResult(
                name: v.name, labels: v.args.joined(separator: " "),
                novelMIoU: evaluation["novel_miou"]?.double ?? .nan, baseMIoU: evaluation["base_miou"]?.double ?? .nan,
                novelAP50: evaluation["novel_ap50"]?.double ?? .nan, pixelAccuracy: evaluation["pixel_accuracy"]?.double ?? .nan,
                training: training, evaluation: evaluation))
            if !gallery.isEmpty {
                let outDir = "predictions/\(v.slug)"
                try runner.step("segment test images \(v.name)", ["segment"] + gallery.map { test + "/images/" + $0 }
                    + ["--vocab", vocabulary.parts, "--objects", vocabulary.objects, "--model", seg, "--out", path(outDir)])
                for image in gallery {
                    let stem = URL(fileURLWithPath: image).deletingPathExtension().lastPathComponent
                    overlays[image, default: [:]][v.name] = "\(outDir)/\(stem).overlay.png"
                }
            }
        }
        report.predictions = gallery.map { DemoReport.Prediction(image: "test/images/" + $0, overlays: overlays[$0] ?? [:]) }
    }

    // MARK: - Reading outputs

    static func parseResult(_ run: JSONValue) -> DemoReport.ParseResult {
        DemoReport.ParseResult(run: run["run"]?.string ?? "?", method: run["method"]?.string ?? "?",
                               mIoU: run["miou"]?.double ?? .nan, ap50: run["ap50"]?.double ?? .nan,
                               coverage: run["coverage"]?.double ?? .nan)
    }

    /// Borrow proposals with the sibling each novel category was designed around.
    static func borrows(_ proposals: JSONValue, categories: [JSONValue]) -> [DemoReport.Borrow] {
        let siblings = categories.reduce(into: [String: String]()) { map, c in
            if let name = c["name"]?.string, let sibling = c["sibling"]?.string { map[name] = sibling }
        }
        return (proposals["proposals"]?.array ?? []).map { p in
            let target = p["target"]?.string ?? "?"
            return DemoReport.Borrow(target: target, base: p["base"]?.string ?? "?", score: p["score"]?.double ?? .nan,
                                     runnerUp: p["runner_up"]?.array.first?["category"]?.string, expected: siblings[target])
        }
    }

    static func splitCategories(_ split: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: split, encoding: .utf8)
        return try JSONValue.parse(text, name: "split.json")["categories"]?.array ?? []
    }

    /// Every part and object name of the benchmark ("dog head, dog leg, …"), base and novel together.
    static func vocabulary(_ categories: [JSONValue]) -> (parts: String, objects: String) {
        let objects = categories.compactMap { $0["name"]?.string }
        let parts = categories.flatMap { c in (c["parts"]?.array ?? []).compactMap { p in p.string.map { "\(c["name"]?.string ?? "") \($0)" } } }
        return (parts.joined(separator: ", "), objects.joined(separator: ", "))
    }

    /// The first `count` test images holding novel objects.
    static func galleryImages(testGT: String, count: Int) throws -> [String] {
        let text = try String(contentsOfFile: testGT, encoding: .utf8)
        let images = try JSONValue.parse(text, name: "target_gt.json")["images"]?.array ?? []
        return images.prefix(count).compactMap { $0["file_name"]?.string }
    }

    /// Best and worst parsed objects of the cluster run by mean part score, with their review crops,
    /// and the histogram of part scores.
    private func collectGallery(into report: inout DemoReport) throws {
        let store = try Store(path: db)
        let run = try store.run("cluster", kind: "parse")
        let labels = try store.labels(matching: LabelFilter(runID: run.id, sources: [.parsed]))
        var histogram = [Int](repeating: 0, count: 10)
        var byObject: [Int64: (category: String, scores: [Double])] = [:]
        for row in labels {
            let score = row.annotation.score ?? 0
            histogram[min(9, max(0, Int(score * 10)))] += 1
            guard let parent = row.annotation.parentID else { continue }
            let object = row.category.split(separator: ":").first.map(String.init) ?? row.category
            byObject[parent, default: (object, [])].scores.append(score)
        }
        report.scoreHistogram = histogram
        let items = byObject.map { id, v in
            let crop = "review/img/obj-\(id).png"
            return DemoReport.GalleryItem(objectID: id, category: v.category, score: v.scores.reduce(0, +) / Double(v.scores.count),
                                          parts: v.scores.count,
                                          image: FileManager.default.fileExists(atPath: path(crop)) ? crop : nil)
        }.sorted { ($0.score, $0.objectID) > ($1.score, $1.objectID) }
        let n = plan.quick ? 4 : 8
        report.best = Array(items.prefix(n))
        report.worst = Array(items.suffix(n).reversed())
    }
}
