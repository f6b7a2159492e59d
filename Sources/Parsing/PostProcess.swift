import Imaging

/// Post-processing of a patch-grid part labelling (DESIGN.md, step 5): small fragments are
/// absorbed by their surroundings, soft per-part scores are upsampled to pixels, and pixels
/// outside the object are cleared.
public enum PostProcess {
    /// Relabels 4-connected fragments smaller than `minPatches` with the label most common
    /// on their border; `-1` marks patches outside the object, which are never changed and
    /// never absorb anything.
    ///
    /// - Parameters:
    ///   - labels: `[rows, cols]`, row-major class per patch, `-1` outside the object.
    /// - Returns: the cleaned grid; a fragment with no labelled neighbour keeps its label.
    public static func absorbSmallFragments(_ labels: [Int], rows: Int, cols: Int, minPatches: Int) -> [Int] {
        precondition(labels.count == rows * cols, "grid has \(labels.count) labels for \(rows)×\(cols)")
        var out = labels
        var seen = [Bool](repeating: false, count: labels.count)
        var stack: [Int] = []
        var component: [Int] = []
        for start in 0..<labels.count where !seen[start] && labels[start] >= 0 {
            let label = labels[start]
            component.removeAll(keepingCapacity: true)
            var border: [Int: Int] = [:]
            stack.append(start)
            seen[start] = true
            while let p = stack.popLast() {
                component.append(p)
                let r = p / cols, c = p % cols
                for (nr, nc) in [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]
                where nr >= 0 && nr < rows && nc >= 0 && nc < cols {
                    let q = nr * cols + nc
                    if labels[q] == label {
                        if !seen[q] { seen[q] = true; stack.append(q) }
                    } else if labels[q] >= 0 {
                        border[labels[q], default: 0] += 1
                    }
                }
            }
            guard component.count < minPatches,
                  let replacement = border.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            else { continue }
            for p in component { out[p] = replacement.key }
        }
        return out
    }

    /// Per-pixel class from upsampled one-hot scores of a grid labelling, confined to `foreground`.
    ///
    /// Soft upsampling gives smooth part boundaries instead of patch-sized staircases.
    /// - Parameters:
    ///   - gridLabels: `[gridH, gridW]` class per patch in `0..<classes`, `-1` outside the object.
    ///   - foreground: `[height, width]` 0/1 object mask at pixel resolution.
    /// - Returns: `[height, width]` class per pixel; `-1` outside the foreground.
    public static func pixelLabels(gridLabels: [Int], gridH: Int, gridW: Int, classes: Int,
                                   foreground: [UInt8], height: Int, width: Int) -> [Int] {
        var planes = [Float](repeating: 0, count: classes * gridH * gridW)
        for (i, l) in gridLabels.enumerated() where l >= 0 { planes[l * gridH * gridW + i] = 1 }
        let up = resizePlanes(planes, channels: classes, height: gridH, width: gridW,
                              toHeight: height, toWidth: width, filter: .bilinear)
        let plane = height * width
        var out = [Int](repeating: -1, count: plane)
        for i in 0..<plane where foreground[i] != 0 {
            var best = 0, bestScore: Float = -1
            for c in 0..<classes where up[c * plane + i] > bestScore { bestScore = up[c * plane + i]; best = c }
            out[i] = best
        }
        return out
    }

    /// Keeps, for every label, only its largest 8-connected region (VLPart's cleanup);
    /// other patches of that label become `0` (no part). `-1` (outside the object) is kept.
    public static func largestComponentPerLabel(_ labels: [Int], rows: Int, cols: Int) -> [Int] {
        precondition(labels.count == rows * cols, "grid has \(labels.count) labels for \(rows)×\(cols)")
        var componentOf = [Int](repeating: -1, count: labels.count)
        var sizes: [Int] = []
        var best: [Int: Int] = [:]   // label → its largest component
        var stack: [Int] = []
        for start in 0..<labels.count where componentOf[start] < 0 && labels[start] > 0 {
            let id = sizes.count, label = labels[start]
            var size = 0
            componentOf[start] = id
            stack.append(start)
            while let p = stack.popLast() {
                size += 1
                let r = p / cols, c = p % cols
                for dr in -1...1 { for dc in -1...1 where dr != 0 || dc != 0 {
                    let nr = r + dr, nc = c + dc
                    guard nr >= 0, nr < rows, nc >= 0, nc < cols else { continue }
                    let q = nr * cols + nc
                    if labels[q] == label && componentOf[q] < 0 { componentOf[q] = id; stack.append(q) }
                } }
            }
            sizes.append(size)
            if let current = best[label], sizes[current] >= size { continue }
            best[label] = id
        }
        return labels.indices.map { i in
            labels[i] > 0 && best[labels[i]] != componentOf[i] ? 0 : labels[i]
        }
    }
}
