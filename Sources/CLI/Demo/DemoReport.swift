import Foundation

/// Everything `vlpart demo` measured, written as `report.json` and rendered as `report.html`.
struct DemoReport: Encodable, Sendable {
    struct Borrow: Encodable, Sendable {
        var target: String
        var base: String
        var score: Double
        var runnerUp: String?
        /// The sibling the synthetic benchmark was built around (`split.json`).
        var expected: String?
        var correct: Bool { expected == nil || expected == base }
        enum CodingKeys: String, CodingKey { case target, base, score, runnerUp = "runner_up", expected, correct }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(target, forKey: .target); try c.encode(base, forKey: .base); try c.encode(score, forKey: .score)
            try c.encodeIfPresent(runnerUp, forKey: .runnerUp); try c.encodeIfPresent(expected, forKey: .expected)
            try c.encode(correct, forKey: .correct)
        }
    }

    struct ParseResult: Encodable, Sendable {
        var run: String
        var method: String
        var mIoU: Double
        var ap50: Double
        var coverage: Double
        enum CodingKeys: String, CodingKey { case run, method, mIoU = "miou", ap50, coverage }
    }

    struct SegmenterResult: Encodable, Sendable {
        var name: String
        var labels: String
        var novelMIoU: Double
        var baseMIoU: Double
        var novelAP50: Double
        var pixelAccuracy: Double
        var training: JSONValue
        var evaluation: JSONValue
        enum CodingKeys: String, CodingKey {
            case name, labels, novelMIoU = "novel_miou", baseMIoU = "base_miou", novelAP50 = "novel_ap50"
            case pixelAccuracy = "pixel_accuracy", training, evaluation
        }
    }

    struct GalleryItem: Encodable, Sendable {
        var objectID: Int64
        var category: String
        var score: Double
        var parts: Int
        var image: String?
        enum CodingKeys: String, CodingKey { case objectID = "object_id", category, score, parts, image }
    }

    struct Prediction: Encodable, Sendable {
        var image: String
        /// Overlay per segmenter name, paths relative to the report.
        var overlays: [String: String]
    }

    var version: String
    var seed: UInt64
    var quick: Bool
    var model: String
    var modelPretrainedHere: Bool
    var dataset: JSONValue = .null
    var taxonomy: [Borrow] = []
    var parse: [ParseResult] = []
    var parseEvaluation: JSONValue = .null
    var scoreHistogram: [Int] = []
    var segmenters: [SegmenterResult] = []
    var best: [GalleryItem] = []
    var worst: [GalleryItem] = []
    var predictions: [Prediction] = []
    var steps: [StepRecord] = []
    var totalSeconds = 0.0

    enum CodingKeys: String, CodingKey {
        case version, seed, quick, model, modelPretrainedHere = "model_pretrained_here", dataset, taxonomy, parse
        case parseEvaluation = "parse_evaluation", scoreHistogram = "score_histogram", segmenters, best, worst
        case predictions, steps, totalSeconds = "total_seconds"
    }

    /// The table printed at the end of the demo (and shown in the README).
    var summary: String {
        var lines: [String] = []
        let right = taxonomy.filter(\.correct).count
        lines.append("taxonomy borrowing: \(right)/\(taxonomy.count) novel categories borrowed from their designed sibling ("
                     + taxonomy.map { "\($0.target)←\($0.base)" }.joined(separator: ", ") + ")")
        lines.append("")
        lines.append("parsing novel parts (vs target_gt.json)")
        lines.append(alignedTable(["method", "mIoU", "AP50", "coverage"], parse.map {
            [$0.method == $0.run ? $0.method : "\($0.run) (\($0.method))", pct($0.mIoU), pct($0.ap50), pct($0.coverage)]
        }).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        if !segmenters.isEmpty {
            lines.append("")
            lines.append("segmenter on the held-out test set (base and novel vocabulary together)")
            lines.append(alignedTable(["training labels", "novel mIoU", "base mIoU", "novel AP50", "pixel acc"], segmenters.map {
                [$0.name, pct($0.novelMIoU), pct($0.baseMIoU), pct($0.novelAP50), pct($0.pixelAccuracy)]
            }).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        let peak = steps.map(\.peakRSSMB).max() ?? 0
        lines.append("")
        lines.append(String(format: "%d steps in %.0f s; largest peak RSS %.0f MB", steps.count, totalSeconds, peak))
        return lines.joined(separator: "\n")
    }
}

/// A percentage with one decimal.
func pct(_ x: Double) -> String { String(format: "%.1f", x) }
