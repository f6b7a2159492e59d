import Foundation

/// Counts of scores in equal-width bins over `[0, 1]`, drawn as an inline SVG bar chart.
///
/// ```swift
/// let h = ScoreHistogram(counts: [3, 0, 5, 1])          // bins [0, .25), [.25, .5), …
/// let svg = h.svg(caption: "part label scores")
/// ```
public struct ScoreHistogram: Sendable, Equatable {
    /// Labels per bin; bin `i` covers `[i / n, (i + 1) / n)`, the last one includes 1.
    public var counts: [Int]
    /// Scores not counted because they are missing (NULL) or non-finite.
    public var unscored: Int

    public init(counts: [Int], unscored: Int = 0) {
        precondition(!counts.isEmpty, "ScoreHistogram needs at least one bin")
        self.counts = counts
        self.unscored = unscored
    }

    /// Bins `scores` (values outside `[0, 1]` go to the end bins; NaN counts as unscored).
    public init(scores: [Double?], bins: Int = 20) {
        precondition(bins > 0, "ScoreHistogram needs at least one bin, got \(bins)")
        var counts = [Int](repeating: 0, count: bins)
        var unscored = 0
        for score in scores {
            guard let score, score.isFinite else { unscored += 1; continue }
            counts[Self.bin(of: score, bins: bins)] += 1
        }
        self.init(counts: counts, unscored: unscored)
    }

    /// The bin of a finite score: `⌊score · bins⌋` clamped to `0 ..< bins`, as the store's SQL does.
    public static func bin(of score: Double, bins: Int) -> Int {
        min(max(Int((score * Double(bins)).rounded(.towardZero)), 0), bins - 1)
    }

    /// Number of scored labels.
    public var total: Int { counts.reduce(0, +) }

    /// An SVG bar chart, `width × height` pixels, bars scaled to the largest bin, each with a
    /// tooltip (`<title>`) giving its range and count; axis ticks at 0, 0.5 and 1.
    public func svg(caption: String, width: Int = 420, height: Int = 140) -> String {
        let left = 36, bottom = 20, top = 16, right = 8
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = max(counts.max() ?? 0, 1)
        let barW = Double(plotW) / Double(counts.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hist\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(caption))\">"
        svg += "<text x=\"\(left)\" y=\"11\">\(HTML.escape(caption)) (\(total) scored\(unscored > 0 ? ", \(unscored) without score" : ""))</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#888\"/>"
        svg += "<text x=\"\(left - 4)\" y=\"\(top + 8)\" text-anchor=\"end\">\(peak)</text>"
        svg += "<text x=\"\(left - 4)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>"
        for (i, count) in counts.enumerated() {
            let h = Double(plotH) * Double(count) / Double(peak)
            let x = Double(left) + Double(i) * barW
            let lo = Double(i) / Double(counts.count), hi = Double(i + 1) / Double(counts.count)
            svg += String(format: "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a78c2\">",
                          x + 0.5, Double(top + plotH) - h, max(barW - 1, 0.5), h)
            svg += String(format: "<title>%.2f–%.2f: %ld</title></rect>", lo, hi, count)
        }
        for tick in [0.0, 0.5, 1.0] {
            let x = Double(left) + tick * Double(plotW)
            svg += String(format: "<text x=\"%.1f\" y=\"%ld\" text-anchor=\"middle\">%g</text>", x, height - 5, tick)
        }
        return svg + "</svg>"
    }
}
