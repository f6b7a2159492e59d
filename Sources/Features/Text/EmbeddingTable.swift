import Foundation
import Tensor

/// Category embeddings from elsewhere — e.g. CLIP text embeddings made with other tools — so any
/// text space can stand in for MiniLM: an `[n, dim]` `.npy` table plus a names file with one
/// category per line, row `i` belonging to name `i`.
///
/// ```swift
/// let table = try EmbeddingTable.load(embeddings: "clip.npy", names: "names.txt", expectedDimension: 512)
/// table.nearest(to: table.vector(named: "dog:head")!, k: 3)
/// ```
///
/// Rows are L2-normalised on load, so dot products are cosines. Lines of the names file are
/// trimmed and blank lines skipped.
public struct EmbeddingTable: Sendable {
    /// Category names, in row order, unique.
    public let names: [String]
    /// `[names.count, dimension]`, each row of unit length (an all-zero row stays zero).
    public let vectors: Tensor
    private let rowOfName: [String: Int]

    /// Embedding width.
    public var dimension: Int { vectors.shape[1] }

    /// Wraps `vectors` (normalising its rows) with `names`; the counts must agree and the names be
    /// unique (programmer errors here; `load` reports them as data errors).
    public init(names: [String], vectors: Tensor) {
        precondition(vectors.rank == 2 && vectors.shape[0] == names.count,
                     "table \(vectors.shape) does not have one row per name (\(names.count))")
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            precondition(index[name] == nil, "duplicate category name \(name)")
            index[name] = i
        }
        self.names = names
        self.rowOfName = index
        self.vectors = Self.normalizedRows(vectors)
    }

    /// Reads a table and its names.
    ///
    /// - Parameters:
    ///   - embeddings: `.npy`, float32/float64/float16, shape `[n, dim]`.
    ///   - names: text file, one category name per line.
    ///   - expectedDimension: when given, the width the caller's space needs (384 for MiniLM, the
    ///     segmenter's text width); a different width is an error, not a silent mismatch.
    /// - Throws: `TextEncoderError.tableMismatch` (wrong rank, row/name count mismatch, duplicate
    ///   names, non-finite values), `.dimensionMismatch`, or the `.npy` reader's error.
    public static func load(embeddings: String, names namesPath: String, expectedDimension: Int? = nil) throws -> EmbeddingTable {
        let table = try Npy.read(path: embeddings)
        guard table.rank == 2 else {
            throw TextEncoderError.tableMismatch(path: embeddings, reason: "shape \(table.shape) is not [names, dimension]")
        }
        let names = try CategoryNameList.readLines(path: namesPath)
        guard names.count == table.shape[0] else {
            throw TextEncoderError.tableMismatch(
                path: embeddings, reason: "\(table.shape[0]) rows but \(namesPath) has \(names.count) names")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw TextEncoderError.tableMismatch(path: namesPath, reason: "name \"\(name)\" appears twice")
        }
        if let expectedDimension, expectedDimension != table.shape[1] {
            throw TextEncoderError.dimensionMismatch(what: embeddings, expected: expectedDimension, found: table.shape[1])
        }
        if let bad = table.data.firstIndex(where: { !$0.isFinite }) {
            let r = bad / max(table.shape[1], 1)
            throw TextEncoderError.tableMismatch(path: embeddings, reason: "row \(r) (\(names[r])) has a non-finite value")
        }
        return EmbeddingTable(names: names, vectors: table)
    }

    /// The row of `name`, or `nil` when the table has no such category.
    public func vector(named name: String) -> [Float]? {
        guard let r = rowOfName[name] else { return nil }
        return Array(vectors.data[(r * dimension)..<((r + 1) * dimension)])
    }

    /// Rows for `names`, in that order: `[names.count, dimension]`.
    /// - Throws: `TextEncoderError.tableMismatch` naming the first name the table lacks.
    public func rows(for names: [String], source: String = "embedding table") throws -> Tensor {
        var data: [Float] = []
        data.reserveCapacity(names.count * dimension)
        for name in names {
            guard let v = vector(named: name) else {
                throw TextEncoderError.tableMismatch(path: source, reason: "no embedding for \"\(name)\"")
            }
            data += v
        }
        return Tensor(shape: [names.count, dimension], data: data)
    }

    /// The `k` names whose rows have the highest cosine with `query`, best first (ties by row).
    /// - Precondition: `query.count == dimension`.
    public func nearest(to query: [Float], k: Int) -> [(name: String, cosine: Float)] {
        precondition(query.count == dimension, "query of width \(query.count) against a table of width \(dimension)")
        let norm = max(query.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        var scored: [(Int, Float)] = []
        scored.reserveCapacity(names.count)
        for r in 0..<names.count {
            var dot: Float = 0
            for c in 0..<dimension { dot += vectors.data[r * dimension + c] * query[c] }
            scored.append((r, dot / norm))
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return scored.prefix(max(k, 0)).map { (names[$0.0], $0.1) }
    }

    static func normalizedRows(_ t: Tensor) -> Tensor {
        let d = t.shape[1]
        var data = t.data
        for r in 0..<t.shape[0] {
            var squares: Float = 0
            for c in 0..<d { squares += data[r * d + c] * data[r * d + c] }
            guard squares > 0 else { continue }
            let scale = 1 / squares.squareRoot()
            for c in 0..<d { data[r * d + c] *= scale }
        }
        return Tensor(shape: t.shape, data: data)
    }
}
