/// The geometric prior as a parser (`vlpart parse --method prior`): no feature correspondence,
/// only the retrieved base objects' part layouts, each turned to face the way the target's
/// silhouette does, stretched onto the target's box and voted per pixel.
extension GeometricPrior {
    /// `layout` with `mirrored` chosen so its object silhouette, stretched to the target box,
    /// overlaps the target's foreground most (a shape cue only; ties keep it unmirrored).
    ///
    /// - Parameter foreground: `[height, width]` 0/1 target mask cropped to its box.
    public static func facing(_ layout: Layout, foreground: [UInt8], width: Int, height: Int) -> Layout {
        precondition(foreground.count == width * height, "foreground \(foreground.count) ≠ \(width)×\(height)")
        guard layout.width > 0, layout.height > 0 else { return layout }
        var straight = (both: 0, either: 0), flipped = (both: 0, either: 0)
        for y in 0..<height {
            let sy = min(layout.height - 1, y * layout.height / height)
            for x in 0..<width {
                let sx = min(layout.width - 1, x * layout.width / width)
                let onTarget = foreground[y * width + x] != 0
                let a = layout.labels[sy * layout.width + sx] >= 0
                let b = layout.labels[sy * layout.width + layout.width - 1 - sx] >= 0
                if a && onTarget { straight.both += 1 }
                if a || onTarget { straight.either += 1 }
                if b && onTarget { flipped.both += 1 }
                if b || onTarget { flipped.either += 1 }
            }
        }
        // Compare IoUs without division: both₁/either₁ > both₀/either₀.
        let mirror = flipped.both * max(1, straight.either) > straight.both * max(1, flipped.either)
        return Layout(labels: layout.labels, width: layout.width, height: layout.height, mirrored: mirror)
    }

    /// Parts of a target from base layouts alone.
    ///
    /// - Parameters:
    ///   - layouts: base objects' part maps (see ``Layout``); each is re-oriented with ``facing``.
    ///   - parts: the borrowed taxonomy's part count (classes `1...parts`).
    ///   - foreground: `[height, width]` 0/1 target mask cropped to its box.
    ///   - minPartFraction: parts covering less of the foreground than this are dropped.
    ///   - orient: turn each layout with ``facing``; `false` keeps the layouts' own `mirrored`
    ///     (decided by the caller, e.g. from features).
    /// - Returns: one part per class that wins some foreground pixels; its score is the mean,
    ///   over its pixels, of the share of covering layouts that voted for it.
    public static func parse(layouts: [Layout], parts: Int, foreground: [UInt8], width: Int, height: Int,
                             minPartFraction: Float = 0.005, orient: Bool = true) -> [ParsedPart] {
        precondition(foreground.count == width * height, "foreground \(foreground.count) ≠ \(width)×\(height)")
        guard parts > 0, !layouts.isEmpty else { return [] }
        let classes = parts + 1
        let oriented = orient ? layouts.map { facing($0, foreground: foreground, width: width, height: height) } : layouts
        let votes = self.votes(layouts: oriented, classes: classes, width: width, height: height)
        var pixels = [Int](repeating: -1, count: width * height)
        var share = [Float](repeating: 0, count: classes), area = [Int](repeating: 0, count: classes)
        for i in 0..<(width * height) where foreground[i] != 0 {
            var best = 0, covering = 0
            for c in 0..<classes {
                covering += votes[i * classes + c]
                if votes[i * classes + c] > votes[i * classes + best] { best = c }
            }
            pixels[i] = best
            area[best] += 1
            if covering > 0 { share[best] += Float(votes[i * classes + best]) / Float(covering) }
        }
        let objectArea = foreground.reduce(0) { $0 + Int($1) }
        var result: [ParsedPart] = []
        for c in 1..<classes where area[c] > 0 && Float(area[c]) >= minPartFraction * Float(objectArea) {
            result.append(ParsedPart(classIndex: c, mask: pixels.map { $0 == c ? 1 : 0 }, score: share[c] / Float(area[c]),
                                     patches: 0))
        }
        return result
    }
}
