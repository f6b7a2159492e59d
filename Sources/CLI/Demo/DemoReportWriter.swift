import Foundation
import Review

/// Writes `report.json` and a self-contained `report.html` (images referenced relatively, so
/// the directory can be opened from disk or copied elsewhere whole).
enum DemoReportWriter {
    static func write(_ report: DemoReport, to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: directory.appendingPathComponent("report.json"), options: .atomic)
        try Data(html(report).utf8).write(to: directory.appendingPathComponent("report.html"), options: .atomic)
    }

    static func html(_ r: DemoReport) -> String {
        var h = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>vlpart demo report</title>
        <style>
        body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}
        th:first-child,td:first-child{text-align:left}.bad{color:#b00}.good{color:#070}
        figure{display:inline-block;margin:6px;text-align:center;font-size:12px}figure img{image-rendering:pixelated;border:1px solid #ccc}
        code{background:#f4f4f4;padding:1px 4px}
        </style></head><body>
        <h1>vlpart demo</h1>
        <p>Seed \(r.seed)\(r.quick ? " (quick)" : ""), vlpart \(esc(r.version)); backbone <code>\(esc(r.model))</code>\
        \(r.modelPretrainedHere ? " (pretrained by this run)" : " (shipped checkpoint)"). \
        Total \(String(format: "%.0f", r.totalSeconds)) s. Browse every parsed object in the <a href="review/index.html">review site</a>.</p>

        """
        h += "<h2>Borrowed taxonomies</h2>" + table(["target", "borrowed from", "score", "runner-up", "designed sibling"], r.taxonomy.map {
            [esc($0.target), "<span class=\($0.correct ? "good" : "bad")>\(esc($0.base))</span>", String(format: "%.3f", $0.score),
             esc($0.runnerUp ?? "–"), esc($0.expected ?? "–")]
        })
        h += "<h2>Parsed novel parts against ground truth</h2>" + table(["method", "mIoU", "part AP50", "coverage"], r.parse.map {
            [esc($0.method == $0.run ? $0.method : "\($0.run) (\($0.method))"), pct($0.mIoU), pct($0.ap50), pct($0.coverage)]
        })
        h += "<h3>Part score histogram (cluster run)</h3>" + histogram(r.scoreHistogram)
        if !r.segmenters.isEmpty {
            h += "<h2>Segmenter on the held-out test set</h2><p>Base and novel vocabulary together.</p>"
            h += table(["training labels", "novel mIoU", "base mIoU", "novel AP50", "pixel accuracy"], r.segmenters.map {
                [esc($0.name), pct($0.novelMIoU), pct($0.baseMIoU), pct($0.novelAP50), pct($0.pixelAccuracy)]
            })
        }
        h += gallery("Most confident parsed objects", r.best) + gallery("Least confident parsed objects", r.worst)
        if !r.predictions.isEmpty {
            h += "<h2>Segmenter predictions, side by side</h2>"
            let names = r.segmenters.map(\.name)
            for p in r.predictions {
                h += "<div><figure><img src=\"\(esc(p.image))\" width=224><figcaption>input</figcaption></figure>"
                for name in names { if let o = p.overlays[name] {
                    h += "<figure><img src=\"\(esc(o))\" width=300><figcaption>\(esc(name))</figcaption></figure>"
                } }
                h += "</div>"
            }
        }
        h += "<h2>Steps</h2>" + table(["step", "seconds", "peak RSS (MB)"], r.steps.map {
            ["<span title=\"\(esc($0.command))\">\(esc($0.name))</span>", String(format: "%.1f", $0.seconds), String(format: "%.0f", $0.peakRSSMB)]
        })
        return h + "<p>All numbers were computed by this run; <code>report.json</code> has every metric.</p></body></html>\n"
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</table>\n"
    }

    static func histogram(_ bins: [Int]) -> String {
        guard let top = bins.max(), top > 0 else { return "<p>No parsed parts.</p>" }
        let w = 36, height = 120
        var svg = "<svg width=\(bins.count * w + 20) height=\(height + 30) role=img aria-label=\"score histogram\">"
        for (i, n) in bins.enumerated() {
            let bh = Int(Double(n) / Double(top) * Double(height))
            svg += "<rect x=\(10 + i * w) y=\(height - bh) width=\(w - 4) height=\(bh) fill=#4a7><title>\(n) parts with score \(Double(i) / 10)–\(Double(i + 1) / 10)</title></rect>"
            svg += "<text x=\(10 + i * w) y=\(height + 14) font-size=10>\(String(format: "%.1f", Double(i) / 10))</text>"
        }
        return svg + "</svg>\n"
    }

    static func gallery(_ title: String, _ items: [DemoReport.GalleryItem]) -> String {
        guard !items.isEmpty else { return "" }
        return "<h2>\(esc(title))</h2><div>" + items.map { item in
            let caption = "\(esc(item.category)) #\(item.objectID), \(item.parts) parts, score \(String(format: "%.2f", item.score))"
            let img = item.image.map { "<img src=\"\(esc($0))\" height=160>" } ?? "<div>(no crop)</div>"
            return "<figure>\(img)<figcaption>\(caption)</figcaption></figure>"
        }.joined() + "</div>\n"
    }

    /// Text and attribute values are escaped as the review pages escape them.
    static func esc(_ s: String) -> String { HTML.escape(s) }
}
