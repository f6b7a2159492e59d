import Tensor

/// One retrieved row of a bank and its cosine similarity to the query.
public struct RetrievalHit: Sendable, Equatable {
    /// Row index in the bank.
    public let index: Int
    /// Cosine similarity in `[-1, 1]`.
    public let similarity: Float

    public init(index: Int, similarity: Float) {
        self.index = index
        self.similarity = similarity
    }
}

/// Nearest-neighbour search by cosine similarity over a bank of row vectors.
///
/// Used twice by the parser: CLS tokens of base objects (which base objects does this target
/// resemble, DESIGN.md step 1) and patch descriptors of those base objects (dense
/// correspondence, step 4). Both go through one GEMM against L2-normalised rows.
public enum Retrieval {
    /// Returns `rows` (`[count, dim]`, row-major) with every row scaled to unit L2 norm;
    /// all-zero rows stay zero.
    public static func normalizedRows(_ rows: [Float], dim: Int) -> [Float] {
        precondition(dim > 0 && rows.count % dim == 0, "rows (\(rows.count)) are not a multiple of dim \(dim)")
        var out = rows
        let n = rows.count / dim
        out.withUnsafeMutableBufferPointer { buf in
            for r in 0..<n {
                var s: Float = 0
                for d in 0..<dim { s += buf[r * dim + d] * buf[r * dim + d] }
                guard s > 0 else { continue }
                let inv = 1 / s.squareRoot()
                for d in 0..<dim { buf[r * dim + d] *= inv }
            }
        }
        return out
    }

    /// Cosine similarities of every query row to every bank row: `[queries, bankRows]`.
    ///
    /// - Parameters:
    ///   - queries: `[q, dim]` row-major; normalised here.
    ///   - bank: `[n, dim]` row-major; pass `bankIsNormalized` when it already is, so a bank
    ///     reused across many queries is normalised once.
    public static func similarities(queries: [Float], bank: [Float], dim: Int,
                                    bankIsNormalized: Bool = false) -> Tensor {
        let q = Tensor(shape: [queries.count / dim, dim], data: normalizedRows(queries, dim: dim))
        let b = Tensor(shape: [bank.count / dim, dim], data: bankIsNormalized ? bank : normalizedRows(bank, dim: dim))
        return q.matmul(b, transposeB: true)
    }

    /// The `k` bank rows most similar to `query`, best first; ties keep the lower index first.
    ///
    /// - Parameters:
    ///   - allowed: when given, only these bank rows are eligible (retrieval restricted to the
    ///     base categories of an approved taxonomy).
    public static func topK(query: [Float], bank: [Float], dim: Int, k: Int,
                            allowed: Set<Int>? = nil) -> [RetrievalHit] {
        let sims = similarities(queries: query, bank: bank, dim: dim).data
        return topK(sims, k: k, allowed: allowed)
    }

    /// The `k` largest entries of `scores`, best first, optionally among `allowed` indices only.
    public static func topK(_ scores: [Float], k: Int, allowed: Set<Int>? = nil) -> [RetrievalHit] {
        var hits: [RetrievalHit] = []
        hits.reserveCapacity(k + 1)
        guard k > 0 else { return hits }
        for (i, s) in scores.enumerated() where allowed?.contains(i) ?? true {
            if hits.count == k, let last = hits.last, !(s > last.similarity) { continue }
            // Insertion into a short sorted list: k is small (3–10), so this beats a heap.
            var pos = hits.count
            while pos > 0 && hits[pos - 1].similarity < s { pos -= 1 }
            hits.insert(RetrievalHit(index: i, similarity: s), at: pos)
            if hits.count > k { hits.removeLast() }
        }
        return hits
    }
}
