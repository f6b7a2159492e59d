import Tensor

/// Dense correspondence: for every target patch, its `m` most similar base patches.
///
/// Stored flat (`[targetPatches, m]`) so that a 3025-patch object matched against three
/// base objects costs one GEMM and one pass, with no per-patch allocations.
public struct Correspondence: Sendable {
    /// Number of target patches (rows).
    public let targetCount: Int
    /// Neighbours kept per target patch.
    public let m: Int
    /// Base patch index of neighbour `j` of target patch `i` at `i * m + j`; `-1` when the base
    /// bank had fewer than `m` patches.
    public let indices: [Int32]
    /// Cosine similarity of the same pairs, best first within a row.
    public let similarities: [Float]

    /// Matches `target` (`[t, dim]`) against `base` (`[b, dim]`) by cosine similarity.
    ///
    /// - Parameters:
    ///   - baseIsNormalized: pass `true` when `base` rows are already unit length (the cached
    ///     base bank), so it is not normalised again per target object.
    /// - Complexity: one `t × b × dim` GEMM plus `O(t · b)` selection; memory `t · b` floats,
    ///   computed in row blocks so that it stays under `blockRows · b` at a time.
    public init(target: [Float], base: [Float], dim: Int, m: Int, baseIsNormalized: Bool = false,
                blockRows: Int = 1024) {
        precondition(m > 0, "correspondence needs m ≥ 1")
        let t = target.count / dim
        let normalizedBase = baseIsNormalized ? base : Retrieval.normalizedRows(base, dim: dim)
        let normalizedTarget = Retrieval.normalizedRows(target, dim: dim)
        var indices = [Int32](repeating: -1, count: t * m)
        var sims = [Float](repeating: -.infinity, count: t * m)
        let b = Tensor(shape: [base.count / dim, dim], data: normalizedBase)
        var start = 0
        while start < t {
            let rows = min(blockRows, t - start)
            let q = Tensor(shape: [rows, dim], data: Array(normalizedTarget[(start * dim)..<((start + rows) * dim)]))
            let s = q.matmul(b, transposeB: true)
            let cols = b.shape[0]
            for r in 0..<rows {
                let row = Array(s.data[(r * cols)..<((r + 1) * cols)])
                for (j, hit) in Retrieval.topK(row, k: m).enumerated() {
                    indices[(start + r) * m + j] = Int32(hit.index)
                    sims[(start + r) * m + j] = hit.similarity
                }
            }
            start += rows
        }
        self.targetCount = t
        self.m = m
        self.indices = indices
        self.similarities = sims
    }
}
