/// Do a model's patch descriptors know parts? The probe behind `vlpart probe` (issue 6).
///
/// Two measurements, both k-nearest-neighbour classifiers over L2-normalised descriptors, so
/// nothing is trained and a random-weights model can be probed the same way:
/// - **within category**: base objects of one category are split into a bank and a held-out
///   set; every held-out part patch takes the similarity-weighted majority part of its `k`
///   nearest bank patches;
/// - **cross-category transfer**: a novel object's part patches are labelled from the part
///   patches of its nearest base objects (by CLS cosine, within the borrowed categories),
///   and scored against held-out ground truth (`target_gt.json`).
public enum PartProbe {
    /// Correct and scored patch counts; `accuracy` in percent (0 when nothing was scored).
    public struct Tally: Codable, Sendable, Equatable {
        public var correct = 0, total = 0
        public init(correct: Int = 0, total: Int = 0) { self.correct = correct; self.total = total }
        public var accuracy: Double { total == 0 ? 0 : 100 * Double(correct) / Double(total) }
        public static func += (a: inout Tally, b: Tally) { a.correct += b.correct; a.total += b.total }
    }

    /// The class of every query row by k-NN.
    ///
    /// - Parameters:
    ///   - queries: `[q, dim]` descriptors (normalised here).
    ///   - bank: `[b, dim]` L2-normalised descriptors.
    ///   - bankLabels: `[b]` classes in `0..<classes`.
    ///   - k: neighbours voting per query, weighted by their (non-negative) cosine similarity.
    /// - Returns: `[q]` winning classes (ties: the lower class); all `0` when the bank is empty.
    public static func classify(queries: [Float], bank: [Float], bankLabels: [Int32], dim: Int, k: Int,
                                classes: Int) -> [Int32] {
        precondition(dim > 0 && queries.count % dim == 0 && bank.count == bankLabels.count * dim,
                     "probe: \(queries.count) query and \(bank.count) bank values for \(bankLabels.count) labels, dim \(dim)")
        precondition(classes > 0 && k > 0, "probe: classes \(classes), k \(k)")
        let q = queries.count / dim
        guard q > 0, !bankLabels.isEmpty else { return [Int32](repeating: 0, count: q) }
        let corr = Correspondence(target: queries, base: bank, dim: dim, m: min(k, bankLabels.count), baseIsNormalized: true)
        let votes = PartVotes(correspondence: corr, baseLabels: bankLabels, parts: classes - 1)
        return (0..<q).map { Int32(votes.winner($0)) }
    }

    /// Scores `predicted` against `truth` on the patches whose truth is a part (`≥ 1`); a truth
    /// no class can express (e.g. a novel part the borrowed taxonomy lacks) still counts, as a miss.
    public static func tally(predicted: [Int32], truth: [Int32]) -> Tally {
        precondition(predicted.count == truth.count, "probe: \(predicted.count) predictions for \(truth.count) truths")
        var t = Tally()
        for (p, g) in zip(predicted, truth) where g >= 1 {
            t.total += 1
            if p == g { t.correct += 1 }
        }
        return t
    }

    /// Whether the object at `position` (0-based, in id order within its category) is held out:
    /// every `every`-th object from the `every - 1`-th on, so a category needs `every` objects
    /// before it contributes and the split never depends on a random draw.
    public static func isHeldOut(position: Int, every: Int) -> Bool {
        precondition(every >= 2, "probe: hold out every n-th object with n ≥ 2, got \(every)")
        return position % every == every - 1
    }

    /// The rows of `descriptors` (`[patches, dim]`) whose label is a part (`≥ 1`), with their labels.
    public static func partRows(descriptors: [Float], labels: [Int32], dim: Int) -> (rows: [Float], labels: [Int32]) {
        precondition(descriptors.count == labels.count * dim, "probe: \(descriptors.count) values for \(labels.count) patches")
        var rows: [Float] = [], kept: [Int32] = []
        for (i, l) in labels.enumerated() where l >= 1 {
            rows.append(contentsOf: descriptors[(i * dim)..<((i + 1) * dim)])
            kept.append(l)
        }
        return (rows, kept)
    }
}
