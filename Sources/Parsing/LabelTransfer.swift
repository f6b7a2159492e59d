/// Part-label votes of target patches, cast by their nearest base patches.
///
/// Classes: `0` is "no part" (a base patch off its object or on object area no part covers);
/// `1...parts` are the borrowed taxonomy's parts in order. Votes are similarity-weighted, so a
/// weak match counts less than a strong one (DESIGN.md, step 4).
public struct PartVotes: Sendable {
    /// Target patches (rows).
    public let patches: Int
    /// Classes per row: `parts + 1`.
    public let classes: Int
    /// `[patches, classes]`, row-major; non-negative.
    public var weights: [Float]
    /// Votes each patch cast (the correspondence's `m`).
    public let votesPerPatch: Int

    /// Accumulates votes from a correspondence.
    ///
    /// - Parameters:
    ///   - correspondence: nearest base patches of every target patch.
    ///   - baseLabels: class of every base patch, in `0...parts`, indexed like the base bank.
    ///   - parts: number of part classes.
    public init(correspondence: Correspondence, baseLabels: [Int32], parts: Int) {
        self.patches = correspondence.targetCount
        self.classes = parts + 1
        self.votesPerPatch = correspondence.m
        var weights = [Float](repeating: 0, count: patches * classes)
        for i in 0..<patches {
            for j in 0..<correspondence.m {
                let b = Int(correspondence.indices[i * correspondence.m + j])
                guard b >= 0 else { continue }
                let label = Int(baseLabels[b])
                precondition(label >= 0 && label < classes, "base label \(label) outside 0...\(parts)")
                weights[i * classes + label] += max(0, correspondence.similarities[i * correspondence.m + j])
            }
        }
        self.weights = weights
    }

    /// The class with the most vote weight for patch `i` (ties: lower class).
    public func winner(_ i: Int) -> Int {
        var best = 0
        for c in 1..<classes where weights[i * classes + c] > weights[i * classes + best] { best = c }
        return best
    }
}

/// The part a k-means cluster of target patches was given, and how sure the vote was.
public struct ClusterLabel: Sendable, Equatable {
    /// Class in `0...parts`; `0` means the cluster is no part.
    public let label: Int
    /// Patches in the cluster.
    public let size: Int
    /// Winning class's share of the cluster's total vote weight, in `[0, 1]`.
    public let voteShare: Float
    /// Fraction of the cluster's patches whose own winner is the cluster's label.
    public let purity: Float
    /// Winning-class weight per vote cast by the cluster's patches, in `[0, 1]`: the mean
    /// similarity of the votes for the winner, discounted by the votes that went elsewhere.
    public let support: Float
}

/// Label transfer by cluster voting and VLPart's per-patch nearest neighbour.
public enum LabelTransfer {
    /// Gives every cluster the class its patches vote for most (DESIGN.md, step 4).
    ///
    /// Clusters that take the same class merge into one part; classes that win no cluster are
    /// absent from the result rather than invented.
    /// - Parameters:
    ///   - assignments: cluster index of every voting patch (`votes.patches` entries).
    ///   - clusters: number of clusters.
    public static func labelClusters(assignments: [Int], clusters: Int, votes: PartVotes) -> [ClusterLabel] {
        precondition(assignments.count == votes.patches,
                     "\(assignments.count) assignments for \(votes.patches) voting patches")
        let k = votes.classes
        var sums = [Float](repeating: 0, count: clusters * k)
        var sizes = [Int](repeating: 0, count: clusters)
        for (i, c) in assignments.enumerated() {
            sizes[c] += 1
            for l in 0..<k { sums[c * k + l] += votes.weights[i * k + l] }
        }
        var result: [ClusterLabel] = []
        for c in 0..<clusters {
            var best = 0
            for l in 1..<k where sums[c * k + l] > sums[c * k + best] { best = l }
            let total = (0..<k).reduce(Float(0)) { $0 + sums[c * k + $1] }
            var agreeing = 0
            for (i, a) in assignments.enumerated() where a == c && votes.winner(i) == best { agreeing += 1 }
            result.append(ClusterLabel(
                label: total > 0 ? best : 0,
                size: sizes[c],
                voteShare: total > 0 ? sums[c * k + best] / total : 0,
                purity: sizes[c] > 0 ? Float(agreeing) / Float(sizes[c]) : 0,
                support: sizes[c] > 0 ? sums[c * k + best] / Float(sizes[c] * votes.votesPerPatch) : 0))
        }
        return result
    }

    /// VLPart's transfer: each target patch takes the class of its single nearest base patch.
    public static func nearestNeighbourLabels(correspondence: Correspondence, baseLabels: [Int32]) -> [Int] {
        (0..<correspondence.targetCount).map { i in
            let b = Int(correspondence.indices[i * correspondence.m])
            return b >= 0 ? Int(baseLabels[b]) : 0
        }
    }
}
