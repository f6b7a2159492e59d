/// Pixel counts of (ground-truth class, predicted class) pairs, the basis of IoU and accuracy.
///
/// Class 0 is background by convention; `ignore` labels (e.g. 255) are skipped.
public struct ConfusionMatrix: Sendable, Equatable {
    /// Number of classes, background included.
    public let classes: Int
    /// `counts[truth * classes + predicted]`.
    public private(set) var counts: [Int]

    public init(classes: Int) {
        precondition(classes > 0, "a confusion matrix needs at least one class")
        self.classes = classes
        self.counts = [Int](repeating: 0, count: classes * classes)
    }

    /// Adds every pixel of one image.
    ///
    /// - Parameters:
    ///   - truth: ground-truth class per pixel.
    ///   - predicted: predicted class per pixel, same length.
    ///   - ignore: truth label that is not scored.
    public mutating func add(truth: [Int], predicted: [Int], ignore: Int = 255) {
        precondition(truth.count == predicted.count, "truth has \(truth.count) pixels, prediction \(predicted.count)")
        for (t, p) in zip(truth, predicted) where t != ignore {
            precondition(t >= 0 && t < classes && p >= 0 && p < classes, "label (\(t), \(p)) outside 0..<\(classes)")
            counts[t * classes + p] += 1
        }
    }

    /// Intersection over union of class `c`; `nil` when the class is in neither truth nor prediction.
    public func iou(_ c: Int) -> Double? {
        let tp = counts[c * classes + c]
        var truthTotal = 0, predTotal = 0
        for j in 0..<classes { truthTotal += counts[c * classes + j]; predTotal += counts[j * classes + c] }
        let union = truthTotal + predTotal - tp
        return union == 0 ? nil : Double(tp) / Double(union)
    }

    /// Mean IoU over `subset` (default: every class), skipping classes absent from both sides.
    public func meanIoU(over subset: [Int]? = nil) -> Double? {
        let values = (subset ?? Array(0..<classes)).compactMap(iou)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Fraction of scored pixels whose prediction equals the truth.
    public var pixelAccuracy: Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        return Double((0..<classes).reduce(0) { $0 + counts[$1 * classes + $1] }) / Double(total)
    }
}
