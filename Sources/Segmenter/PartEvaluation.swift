import Imaging

/// A part instance to score: predicted (with a score) or ground truth.
public struct PartInstance: Sendable {
    /// Identifies the image across the two sides (e.g. its file name).
    public let image: String
    /// `object:part`.
    public let category: String
    public let mask: Mask
    public let score: Float

    public init(image: String, category: String, mask: Mask, score: Float = 1) {
        self.image = image
        self.category = category
        self.mask = mask
        self.score = score
    }
}

/// Scores of one part category.
public struct PartCategoryScore: Codable, Sendable, Equatable {
    public var category: String
    /// Σ intersection / Σ union over images of the per-image unions of instances.
    public var iou: Double
    /// Mask AP at IoU 0.5 over instances (COCOeval rules).
    public var ap50: Double
    public var groundTruth: Int
    public var predictions: Int
}

/// Part-level evaluation of generated labels against ground truth (issue 7's `eval parse`).
public enum PartEvaluation {
    /// Per-category IoU and AP50 for every category with ground truth, sorted by name.
    ///
    /// IoU pools pixels: per image, the union of a category's instances on each side, then
    /// intersections and unions summed over images — so a part split into several instances
    /// is not penalised. Predictions on images without ground truth are ignored.
    public static func evaluate(predictions: [PartInstance], groundTruth: [PartInstance]) -> [PartCategoryScore] {
        let images = Set(groundTruth.map(\.image))
        let kept = predictions.filter { images.contains($0.image) }
        let categories = Set(groundTruth.map(\.category)).sorted()
        let imageIndex = Dictionary(uniqueKeysWithValues: images.sorted().enumerated().map { ($1, $0) })
        let categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        func scored(_ list: [PartInstance]) -> [ScoredInstance] {
            list.compactMap { p in
                guard let c = categoryIndex[p.category], let i = imageIndex[p.image] else { return nil }
                return ScoredInstance(image: i, category: c, score: p.score, mask: p.mask.pixels)
            }
        }
        let ap = AveragePrecision.perCategory(predictions: scored(kept), groundTruth: scored(groundTruth))
        return categories.enumerated().map { c, name in
            let truth = groundTruth.filter { $0.category == name }
            let predicted = kept.filter { $0.category == name }
            var inter = 0, union = 0
            for image in Set(truth.map(\.image)).union(predicted.map(\.image)) {
                let t = truth.filter { $0.image == image }.map(\.mask)
                let p = predicted.filter { $0.image == image }.map(\.mask)
                guard let template = (t.first ?? p.first) else { continue }
                let empty = Mask(width: template.width, height: template.height)
                let tm = t.reduce(empty) { $0.union($1) }, pm = p.reduce(empty) { $0.union($1) }
                inter += tm.intersection(pm).area
                union += tm.union(pm).area
            }
            return PartCategoryScore(category: name, iou: union > 0 ? Double(inter) / Double(union) : 0,
                                     ap50: ap[c] ?? 0, groundTruth: truth.count, predictions: predicted.count)
        }
    }
}
