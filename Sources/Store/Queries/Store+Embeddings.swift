import Foundation
import GRDB

extension Store {
    /// Ids of the owners that have an embedding of this kind.
    ///
    /// ```swift
    /// let done = try store.embeddingOwners(owner: "annotation", facet: "cls", modelSHA: sha, layer: 11)
    /// ```
    public func embeddingOwners(owner: String, facet: String, modelSHA: String, layer: Int) throws -> Set<Int64> {
        try read { db in
            Set(try Int64.fetchAll(db, sql: """
                SELECT owner_id FROM embedding WHERE owner = ? AND facet = ? AND model_sha = ? AND layer = ?
                """, arguments: [owner, facet, modelSHA, layer]))
        }
    }

    /// Embeddings of one kind by owner id (all of them when `ids` is `nil`).
    public func embeddings(owner: String, facet: String, modelSHA: String, layer: Int,
                           ids: [Int64]? = nil) throws -> [Int64: [Float]] {
        try read { db in
            var request = Embedding.filter(Column("owner") == owner && Column("facet") == facet
                                           && Column("model_sha") == modelSHA && Column("layer") == layer)
            if let ids { request = request.filter(ids.contains(Column("owner_id"))) }
            var result: [Int64: [Float]] = [:]
            for e in try request.fetchAll(db) { result[e.ownerID] = e.vector }
            return result
        }
    }

    /// Inserts embeddings in one transaction.
    public func insert(embeddings: [Embedding]) throws {
        guard !embeddings.isEmpty else { return }
        try write { db in for var e in embeddings { try e.insert(db) } }
    }
}
