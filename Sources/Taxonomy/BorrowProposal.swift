import Foundation

/// A proposal that a target (novel) object category borrow a base category's parts.
public struct BorrowProposal: Sendable, Equatable, Codable {
    /// The target category's name (`dog`).
    public let target: String
    /// The proposed base category (`cat`).
    public let base: String
    /// Combined score in `[0, 1]`: visual vote share mixed with the text prior.
    public let score: Double
    /// The next-best base category and its score, if there is one.
    public let runnerUp: String?
    public let runnerUpScore: Double?
    /// Share of the visual votes the proposed base received, in `[0, 1]`.
    public let visualShare: Double
    /// Number of target objects that voted.
    public let objects: Int
    /// Every base category with its combined score, best first (ties by name).
    public var ranked: [ScoredBase] = []

    /// A base category and its combined score.
    public struct ScoredBase: Sendable, Equatable, Codable {
        public let category: String
        public let score: Double
        public init(category: String, score: Double) { self.category = category; self.score = score }
    }
}

/// Proposes base categories for target categories (issue 7, "Taxonomy borrowing").
///
/// Each target object votes for the categories of its `k` nearest base objects by cosine of
/// CLS tokens, weighted by similarity; a category's visual score is its share of all votes
/// cast by that category's objects. A text prior — the softmax over base categories of the
/// name embeddings' cosine, temperature `textTemperature` — is mixed in with weight
/// `textWeight`, so that a category with few images still gets a sensible proposal.
public struct BorrowProposer: Sendable {
    public var k: Int = 5
    public var textWeight: Double = 0.3
    public var textTemperature: Double = 0.05

    public init(k: Int = 5, textWeight: Double = 0.3, textTemperature: Double = 0.05) {
        self.k = k
        self.textWeight = textWeight
        self.textTemperature = textTemperature
    }

    /// An object with its category and embedding (CLS token), any dimension, not necessarily unit length.
    public struct Object: Sendable {
        public let category: String
        public let embedding: [Float]
        public init(category: String, embedding: [Float]) {
            self.category = category
            self.embedding = embedding
        }
    }

    /// One proposal per target category, sorted by target name.
    ///
    /// - Parameters:
    ///   - textSimilarity: cosine of the two names' text embeddings, or `nil` to use vision only.
    public func propose(targets: [Object], bases: [Object],
                        textSimilarity: ((_ target: String, _ base: String) -> Double)? = nil) -> [BorrowProposal] {
        let baseCategories = Array(Set(bases.map(\.category))).sorted()
        guard !baseCategories.isEmpty else { return [] }
        let unitBases = bases.map { unit($0.embedding) }
        var votes: [String: [String: Double]] = [:]
        var counts: [String: Int] = [:]
        for object in targets {
            counts[object.category, default: 0] += 1
            let q = unit(object.embedding)
            var hits: [(Double, Int)] = []
            for (i, b) in unitBases.enumerated() {
                precondition(b.count == q.count, "embeddings of dimension \(q.count) and \(b.count)")
                var dot = 0.0
                for d in 0..<q.count { dot += Double(q[d]) * Double(b[d]) }
                hits.append((dot, i))
            }
            hits.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            for (sim, i) in hits.prefix(k) {
                votes[object.category, default: [:]][bases[i].category, default: 0] += max(0, sim)
            }
        }
        return counts.keys.sorted().map { target in
            let v = votes[target] ?? [:]
            let total = v.values.reduce(0, +)
            var prior = [String: Double]()
            if let textSimilarity {
                let logits = baseCategories.map { textSimilarity(target, $0) / textTemperature }
                let m = logits.max() ?? 0
                let exps = logits.map { exp($0 - m) }
                let z = exps.reduce(0, +)
                for (c, e) in zip(baseCategories, exps) { prior[c] = e / z }
            }
            let w = textSimilarity == nil ? 0 : textWeight
            let scored = baseCategories.map { c in
                (c, (1 - w) * (total > 0 ? (v[c] ?? 0) / total : 0) + w * (prior[c] ?? 0))
            }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let best = scored[0]
            let second = scored.count > 1 ? scored[1] : nil
            return BorrowProposal(target: target, base: best.0, score: best.1, runnerUp: second?.0,
                                  runnerUpScore: second?.1,
                                  visualShare: total > 0 ? (v[best.0] ?? 0) / total : 0,
                                  objects: counts[target] ?? 0,
                                  ranked: scored.map { BorrowProposal.ScoredBase(category: $0.0, score: $0.1) })
        }
    }

    private func unit(_ v: [Float]) -> [Float] {
        let n = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }
}
