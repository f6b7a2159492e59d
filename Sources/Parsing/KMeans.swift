import Tensor

/// Lloyd's k-means on row vectors, seeded with k-means++ from a deterministic generator.
///
/// The parser clusters one object's L2-normalised foreground descriptors into part candidates
/// (DESIGN.md, "The parsing algorithm", step 3); objects have at most a few thousand patches,
/// so a plain O(n·k·d) loop per iteration is cheap next to the ViT.
public struct KMeans: Sendable {
    /// Cluster centres, `[k][dim]` flattened row-major.
    public private(set) var centroids: [Float]
    /// Cluster index of every input row.
    public private(set) var assignments: [Int]
    /// Sum of squared distances from each row to its centre.
    public private(set) var inertia: Float
    /// Lloyd iterations run before convergence or the limit.
    public private(set) var iterations: Int
    public let k: Int
    public let dim: Int

    /// Clusters `rows` (`count × dim`, row-major) into at most `k` clusters.
    ///
    /// - Parameters:
    ///   - rows: `[count, dim]` flattened, row-major.
    ///   - k: requested clusters; clamped to the number of rows.
    ///   - seed: seeds k-means++ so that a parse is reproducible.
    ///   - maxIterations: Lloyd iterations at most; stops earlier when no assignment changes.
    public init(rows: [Float], dim: Int, k: Int, seed: UInt64 = 0, maxIterations: Int = 50) {
        precondition(dim > 0 && rows.count % dim == 0, "rows (\(rows.count)) are not a multiple of dim \(dim)")
        let n = rows.count / dim
        self.dim = dim
        self.k = max(0, min(k, n))
        self.assignments = [Int](repeating: 0, count: n)
        self.centroids = []
        self.inertia = 0
        self.iterations = 0
        guard self.k > 0 else { return }
        var rng = SplitMix64(seed: seed)
        centroids = Self.plusPlusSeeds(rows: rows, n: n, dim: dim, k: self.k, rng: &rng)
        var changed = true
        while changed && iterations < maxIterations {
            iterations += 1
            changed = assign(rows: rows, n: n)
            updateCentroids(rows: rows, n: n)
        }
        _ = assign(rows: rows, n: n)
    }

    /// Squared Euclidean distance between row `i` of `a` and row `j` of `b`.
    @inline(__always)
    static func distance2(_ a: [Float], _ i: Int, _ b: [Float], _ j: Int, dim: Int) -> Float {
        var s: Float = 0
        for d in 0..<dim { let t = a[i * dim + d] - b[j * dim + d]; s += t * t }
        return s
    }

    private static func plusPlusSeeds(rows: [Float], n: Int, dim: Int, k: Int,
                                      rng: inout SplitMix64) -> [Float] {
        var centres = [Float](); centres.reserveCapacity(k * dim)
        let first = Int(rng.next() % UInt64(n))
        centres.append(contentsOf: rows[(first * dim)..<((first + 1) * dim)])
        var nearest = (0..<n).map { distance2(rows, $0, centres, 0, dim: dim) }
        for c in 1..<k {
            let total = nearest.reduce(0, +)
            var pick = n - 1
            if total > 0 {
                var target = Float(Double(rng.next() >> 11) / Double(1 << 53)) * total
                for i in 0..<n { target -= nearest[i]; if target <= 0 { pick = i; break } }
            } else {
                pick = c % n
            }
            centres.append(contentsOf: rows[(pick * dim)..<((pick + 1) * dim)])
            for i in 0..<n { nearest[i] = min(nearest[i], distance2(rows, i, centres, c, dim: dim)) }
        }
        return centres
    }

    /// Assigns each row to its nearest centre; returns whether any assignment changed.
    private mutating func assign(rows: [Float], n: Int) -> Bool {
        var changed = false
        var total: Float = 0
        for i in 0..<n {
            var best = 0, bestD = Float.infinity
            for c in 0..<k {
                let d = Self.distance2(rows, i, centroids, c, dim: dim)
                if d < bestD { bestD = d; best = c }
            }
            if assignments[i] != best { assignments[i] = best; changed = true }
            total += bestD
        }
        inertia = total
        return changed
    }

    /// Moves every non-empty cluster's centre to its members' mean; empty clusters keep theirs.
    private mutating func updateCentroids(rows: [Float], n: Int) {
        var sums = [Float](repeating: 0, count: k * dim)
        var counts = [Int](repeating: 0, count: k)
        for i in 0..<n {
            let c = assignments[i]
            counts[c] += 1
            for d in 0..<dim { sums[c * dim + d] += rows[i * dim + d] }
        }
        for c in 0..<k where counts[c] > 0 {
            for d in 0..<dim { centroids[c * dim + d] = sums[c * dim + d] / Float(counts[c]) }
        }
    }
}
