/// The featureless baseline: base objects' part layouts stretched onto the target's box.
///
/// Answers "how much of the parser's accuracy comes from the features at all?" — every
/// base object's pixel part map is resized (nearest) to the target's box, the maps vote per
/// pixel, and the winner is kept inside the target's mask.
public enum GeometricPrior {
    /// A base object's part map cropped to its box.
    public struct Layout: Sendable {
        /// `[height, width]` class per pixel: `-1` off the object, `0` no part, `1...` parts.
        public let labels: [Int32]
        public let width: Int
        public let height: Int
        /// Whether the object faces the other way (its layout is mirrored before voting).
        public let mirrored: Bool

        public init(labels: [Int32], width: Int, height: Int, mirrored: Bool = false) {
            precondition(labels.count == width * height, "\(labels.count) labels for \(width)×\(height)")
            self.labels = labels
            self.width = width
            self.height = height
            self.mirrored = mirrored
        }
    }

    /// Per-pixel class of the target box from the layouts' votes.
    ///
    /// - Parameters:
    ///   - foreground: `[height, width]` 0/1 target mask cropped to its box.
    ///   - classes: `parts + 1`.
    /// - Returns: `[height, width]`, `-1` outside the foreground, else the most-voted class
    ///   among the layouts that cover the pixel with their object (`0` when none does).
    public static func labels(layouts: [Layout], classes: Int, foreground: [UInt8], width: Int, height: Int) -> [Int] {
        precondition(foreground.count == width * height, "foreground \(foreground.count) ≠ \(width)×\(height)")
        let votes = self.votes(layouts: layouts, classes: classes, width: width, height: height)
        return (0..<(width * height)).map { i in
            guard foreground[i] != 0 else { return -1 }
            var best = 0
            for c in 1..<classes where votes[i * classes + c] > votes[i * classes + best] { best = c }
            return best
        }
    }

    /// `[height, width, classes]` counts: how many layouts, stretched to the box, put each class
    /// on each pixel (pixels off a layout's object get no vote from it).
    static func votes(layouts: [Layout], classes: Int, width: Int, height: Int) -> [Int] {
        var votes = [Int](repeating: 0, count: width * height * classes)
        for layout in layouts where layout.width > 0 && layout.height > 0 {
            for y in 0..<height {
                // PyTorch nearest: source = floor(dst · in / out).
                let sy = min(layout.height - 1, y * layout.height / height)
                for x in 0..<width {
                    var sx = min(layout.width - 1, x * layout.width / width)
                    if layout.mirrored { sx = layout.width - 1 - sx }
                    let l = Int(layout.labels[sy * layout.width + sx])
                    if l >= 0 && l < classes { votes[(y * width + x) * classes + l] += 1 }
                }
            }
        }
        return votes
    }
}
