import Foundation
import Imaging

/// Per-pixel classes and per-class instances predicted for one image.
public struct Segmentation: Sendable {
    public let width: Int
    public let height: Int
    /// `[height, width]`: `0` background, `c` = object vocabulary index + 1. Empty without an object vocabulary.
    public let objectLabels: [Int32]
    /// `[height, width]`: `0` no part, `c` = part vocabulary index + 1.
    public let partLabels: [Int32]
    /// Winning probability per pixel for `partLabels`.
    public let partConfidence: [Float]
    /// Winning probability per pixel for `objectLabels` (empty without an object vocabulary).
    public var objectConfidence: [Float] = []

    public init(width: Int, height: Int, objectLabels: [Int32], partLabels: [Int32], partConfidence: [Float],
                objectConfidence: [Float] = []) {
        self.width = width
        self.height = height
        self.objectLabels = objectLabels
        self.partLabels = partLabels
        self.partConfidence = partConfidence
        self.objectConfidence = objectConfidence
    }

    /// The mask of part class `c` (1-based, as in `partLabels`).
    public func partMask(_ c: Int) -> Mask {
        Mask(width: width, height: height, pixels: partLabels.map { Int($0) == c ? 1 : 0 })
    }

    /// Connected components of every part class as scored instances (score = mean confidence),
    /// the predictions that part AP50 is computed from.
    public func partInstances(image: Int, minimumPixels: Int = 1) -> [ScoredInstance] {
        var result: [ScoredInstance] = []
        for c in Set(partLabels.map(Int.init)).sorted() where c > 0 {
            let components = partMask(c).components(connectivity: .eight)
            // Component labels are 1...count; `sizes[label - 1]` is the size of `label`.
            for label in 1...max(1, components.count) where label <= components.count && components.sizes[label - 1] >= minimumPixels {
                let mask = components.mask(of: label)
                var total: Float = 0
                for i in 0..<mask.pixels.count where mask.pixels[i] != 0 { total += partConfidence[i] }
                result.append(ScoredInstance(image: image, category: c, score: total / Float(components.sizes[label - 1]),
                                             mask: mask.pixels))
            }
        }
        return result
    }
}

extension SegmenterHead {
    /// Segments one image from its frozen backbone features, with any vocabularies.
    ///
    /// Logits are computed per patch, upsampled bilinearly (`align_corners=False`) to the
    /// image size, and the softmax winner is taken per pixel. With an object vocabulary, a
    /// pixel's part is only kept where it lies on some object (background wins over parts).
    /// - Parameters:
    ///   - features: `[gridH · gridW, inputDim]`.
    ///   - objects: object vocabulary, or `nil` to predict parts alone.
    public func segment(features: [Float], gridH: Int, gridW: Int, objects: Vocabulary?, parts: Vocabulary,
                        width: Int, height: Int) -> Segmentation {
        let act = forward(features: features, gridH: gridH, gridW: gridW)
        let n = act.patches
        func pixelArgmax(_ logits: [Float], classes: Int) -> (labels: [Int32], confidence: [Float]) {
            // [patches, classes] → planes [classes, gridH, gridW] → pixels.
            var planes = [Float](repeating: 0, count: classes * n)
            for i in 0..<n { for c in 0..<classes { planes[c * n + i] = logits[i * classes + c] } }
            let up = resizePlanes(planes, channels: classes, height: gridH, width: gridW,
                                  toHeight: height, toWidth: width, filter: .bilinear)
            let plane = width * height
            var labels = [Int32](repeating: 0, count: plane), confidence = [Float](repeating: 0, count: plane)
            for p in 0..<plane {
                var best = 0, maxLogit = -Float.infinity
                for c in 0..<classes where up[c * plane + p] > maxLogit { maxLogit = up[c * plane + p]; best = c }
                var sum: Float = 0
                for c in 0..<classes { sum += exp(up[c * plane + p] - maxLogit) }
                labels[p] = Int32(best)
                confidence[p] = 1 / sum
            }
            return (labels, confidence)
        }
        let part = pixelArgmax(logits(act.part, patches: n, vocabulary: parts, part: true), classes: parts.count + 1)
        var partLabels = part.labels
        var objectLabels: [Int32] = [], objectConfidence: [Float] = []
        if let objects {
            (objectLabels, objectConfidence) = pixelArgmax(logits(act.object, patches: n, vocabulary: objects, part: false),
                                                           classes: objects.count + 1)
            for p in 0..<partLabels.count where objectLabels[p] == 0 { partLabels[p] = 0 }
        }
        return Segmentation(width: width, height: height, objectLabels: objectLabels, partLabels: partLabels,
                            partConfidence: part.confidence, objectConfidence: objectConfidence)
    }
}
