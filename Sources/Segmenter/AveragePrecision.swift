/// A predicted instance: its image, class, score and pixel mask.
public struct ScoredInstance: Sendable {
    public let image: Int
    public let category: Int
    public let score: Float
    /// `[height, width]` 0/1 mask in its image's resolution.
    public let mask: [UInt8]

    public init(image: Int, category: Int, score: Float, mask: [UInt8]) {
        self.image = image
        self.category = category
        self.score = score
        self.mask = mask
    }
}

/// Mask average precision at one IoU threshold, computed as pycocotools' `COCOeval` does for
/// `iouType="segm"`, area range "all" and `maxDets=100`: greedy score-ordered matching per
/// image and class, then 101-point interpolated precision over recall.
public enum AveragePrecision {
    /// AP per category present in the ground truth; categories without ground truth are absent
    /// (pycocotools reports them as -1 and leaves them out of the mean).
    ///
    /// - Parameters:
    ///   - predictions: detections of every image.
    ///   - groundTruth: true instances (their `score` is ignored).
    ///   - iouThreshold: 0.5 for AP50.
    ///   - maxDetections: per image and category, highest scores first.
    public static func perCategory(predictions: [ScoredInstance], groundTruth: [ScoredInstance],
                                   iouThreshold: Double = 0.5, maxDetections: Int = 100) -> [Int: Double] {
        let categories = Set(groundTruth.map(\.category))
        var result: [Int: Double] = [:]
        for category in categories.sorted() {
            let gts = groundTruth.filter { $0.category == category }
            let dts = predictions.filter { $0.category == category }
            var scored: [(score: Float, order: Int, tp: Bool)] = []
            var order = 0
            for image in Set(gts.map(\.image)).union(dts.map(\.image)).sorted() {
                let g = gts.filter { $0.image == image }
                // Stable sort by descending score, like np.argsort(-scores, kind='mergesort').
                let d = dts.enumerated().filter { $0.element.image == image }
                    .sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
                    .prefix(maxDetections).map(\.element)
                var matched = [Bool](repeating: false, count: g.count)
                for det in d {
                    var best = -1
                    var bestIoU = min(iouThreshold, 1 - 1e-10)
                    for (j, gt) in g.enumerated() where !matched[j] {
                        let value = iou(det.mask, gt.mask)
                        if value < bestIoU { continue }
                        bestIoU = value
                        best = j
                    }
                    if best >= 0 { matched[best] = true }
                    scored.append((det.score, order, best >= 0))
                    order += 1
                }
            }
            result[category] = interpolatedAP(scored, positives: gts.count)
        }
        return result
    }

    /// IoU of two same-sized 0/1 masks; 0 when both are empty.
    public static func iou(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count, "masks of \(a.count) and \(b.count) pixels")
        var inter = 0, union = 0
        for i in 0..<a.count {
            let x = a[i] != 0, y = b[i] != 0
            if x && y { inter += 1 }
            if x || y { union += 1 }
        }
        return union == 0 ? 0 : Double(inter) / Double(union)
    }

    /// 101-point interpolated precision (COCOeval.accumulate) over detections pooled across images.
    static func interpolatedAP(_ detections: [(score: Float, order: Int, tp: Bool)], positives: Int) -> Double {
        guard positives > 0 else { return 0 }
        let sorted = detections.sorted { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }
        var recall: [Double] = [], precision: [Double] = []
        var tp = 0.0, fp = 0.0
        for d in sorted {
            if d.tp { tp += 1 } else { fp += 1 }
            recall.append(tp / Double(positives))
            precision.append(tp / (tp + fp + Double.ulpOfOne))
        }
        if precision.count > 1 {
            for i in stride(from: precision.count - 1, to: 0, by: -1) where precision[i] > precision[i - 1] {
                precision[i - 1] = precision[i]
            }
        }
        var total = 0.0
        for step in 0...100 {
            let threshold = Double(step) / 100
            // searchsorted(recall, threshold, side='left')
            var lo = 0, hi = recall.count
            while lo < hi { let mid = (lo + hi) / 2; if recall[mid] < threshold { lo = mid + 1 } else { hi = mid } }
            if lo < precision.count { total += precision[lo] }
        }
        return total / 101
    }
}
