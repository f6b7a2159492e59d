import ArgumentParser
import Foundation
import Store

/// `vlpart demo`: the whole data-engine loop on the built-in synthetic benchmark.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop on the built-in synthetic benchmark and write a report.",
        discussion: """
        Synthesises the benchmark (and a held-out test set), imports it, computes features with \
        the shipped self-pretrained checkpoint (models/vlpart-mae-nano-synth.safetensors, or \
        --pretrain to train one here), proposes and approves borrowed taxonomies, parses the novel \
        objects with three methods (geometric prior, VLPart's nearest neighbour, vlpart's cluster \
        parser), scores them against the held-out part ground truth, trains the segmenter on \
        base labels only and on base + parsed labels, scores both, and writes OUT/report.html, \
        OUT/report.json and a review site (OUT/review/index.html). Every step is an ordinary \
        vlpart command; OUT/logs holds each one's output, and report.json its wall time and peak memory.

        Examples:
          vlpart demo                       # the benchmark, about 7 min on 2 cores
          vlpart demo --quick --out /tmp/d  # smoke test, under a minute
          vlpart demo --pretrain            # retrain the backbone (MAE, about 6 min) first
        """
    )

    @Option(help: "Output directory (created; an earlier demo's output there is replaced).")
    var out = "vlpart-demo"
    @Flag(help: "A small, fast version: fewer images and epochs.")
    var quick = false
    @Flag(help: "Pretrain the backbone here (masked autoencoder on the object crops, about 6 min) instead of using the shipped checkpoint.")
    var pretrain = false
    @Option(help: "Use this ViT checkpoint instead of the shipped one.")
    var model: String?
    @Option(help: "Seed of the synthetic benchmark (the test set uses seed + 1000).")
    var seed: UInt64 = 0
    @Flag(help: "Show each step's command line and its progress output.")
    var verbose = false

    func validate() throws {
        if pretrain && model != nil { throw ValidationError("--pretrain and --model exclude each other") }
        if let model, !FileManager.default.fileExists(atPath: model) {
            throw ValidationError("--model \(model): no such file")
        }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out).standardizedFileURL
        try DemoDirectory.prepare(directory)
        let plan = DemoPlan(quick: quick, seed: seed)
        let runner = try DemoRunner(directory: directory, verbose: verbose)
        var modelPath = model.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if modelPath == nil && !pretrain {
            modelPath = DemoPlan.locateShippedModel(executable: runner.executable)
            if modelPath == nil { note("note: shipped checkpoint \(DemoPlan.shippedModel) not found; pretraining one") }
        }
        let started = Date()
        var pipeline = DemoPipeline(plan: plan, runner: runner, directory: directory, modelPath: modelPath)
        var report = try pipeline.run()
        report.totalSeconds = Date().timeIntervalSince(started)
        try DemoReportWriter.write(report, to: directory)
        print(report.summary)
        print("report: \(directory.appendingPathComponent("report.html").path)")
    }
}

/// The demo's output directory: created if missing, emptied if it holds an earlier demo, and
/// refused if it holds anything else (the demo never deletes files it did not write).
enum DemoDirectory {
    static let marker = ".vlpart-demo"

    static func prepare(_ directory: URL) throws {
        let fm = FileManager.default
        let markerURL = directory.appendingPathComponent(marker)
        if fm.fileExists(atPath: directory.path) {
            let contents = try fm.contentsOfDirectory(atPath: directory.path)
            if !contents.isEmpty {
                guard fm.fileExists(atPath: markerURL.path) else {
                    throw DemoError.directory(directory.path, "exists and was not written by vlpart demo; choose another --out")
                }
                for item in contents { try fm.removeItem(at: directory.appendingPathComponent(item)) }
            }
        }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("written by vlpart demo; the next demo run replaces everything here\n".utf8).write(to: markerURL)
    }
}
