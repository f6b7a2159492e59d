import Foundation
import Testing
import TestSupport

/// `vlpart demo --quick` end to end: every step runs, the report holds every metric with sane
/// values, and the HTML pages it links exist. The thresholds are loose on purpose: they catch a
/// broken stage (a parser that labels nothing, a segmenter that never learned), not noise.
@Test func quickDemoWritesASaneReport() throws {
    let dir = try makeTemporaryDirectory("vlpart-demo")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("demo")
    let r = try runVLPart(["demo", "--quick", "--out", out.path])
    try #require(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("parsing novel parts") && r.stdout.contains("segmenter on the held-out test set"), "\(r.stdout)")

    let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
    let taxonomy = try #require(report["taxonomy"] as? [[String: Any]])
    #expect(taxonomy.count == 4, "one proposal per novel category")

    let parse = try #require(report["parse"] as? [[String: Any]])
    #expect(parse.map { $0["method"] as? String } == ["prior", "nn", "cluster"])
    for run in parse {
        let miou = try #require(run["miou"] as? Double), coverage = try #require(run["coverage"] as? Double)
        #expect((0...100).contains(miou) && miou > 1, "\(run)")
        #expect(coverage > 50, "\(run)")
    }

    let segmenters = try #require(report["segmenters"] as? [[String: Any]])
    #expect(segmenters.count == 2)
    for s in segmenters {
        let novel = try #require(s["novel_miou"] as? Double), base = try #require(s["base_miou"] as? Double)
        #expect((0...100).contains(novel) && (0...100).contains(base), "\(s)")
        // The quick segmenter trains 5 epochs on 60 images: it must have learned something
        // (some base part overlaps; most pixels right), not much.
        #expect(base > 0.1, "a segmenter trained on base gold must find some base parts: \(s)")
        #expect(try #require(s["pixel_accuracy"] as? Double) > 50, "\(s)")
    }

    let steps = try #require(report["steps"] as? [[String: Any]])
    #expect(steps.count >= 15)
    #expect(steps.allSatisfy { ($0["seconds"] as? Double ?? -1) >= 0 && ($0["peak_rss_mb"] as? Double ?? 0) > 0 })
    let histogram = try #require(report["score_histogram"] as? [Int])
    #expect(histogram.count == 10 && histogram.reduce(0, +) > 0)

    for page in ["report.html", "review/index.html"] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(page).path), "\(page)")
    }
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("review/index.html"))

    // A second run into the same directory replaces the first; a foreign directory is refused.
    let foreign = dir.appendingPathComponent("foreign")
    try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
    try Data("keep me".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
    let refused = try runVLPart(["demo", "--quick", "--out", foreign.path])
    #expect(refused.status != 0 && refused.stderr.contains("not written by vlpart demo"), "\(refused.stderr)")
    #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("notes.txt").path))
}
