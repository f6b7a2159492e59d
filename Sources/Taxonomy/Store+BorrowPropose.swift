import Foundation
import GRDB
import Store

/// Settings of ``Store/proposeBorrows(_:textSimilarity:)``.
public struct BorrowProposeOptions: Sendable {
    /// Only this dataset's object categories are targets; `nil`: every target-role dataset.
    public var dataset: String?
    /// Nearest base objects each target object votes with.
    public var k: Int
    /// Weight of the text prior (ignored without a text similarity).
    public var textWeight: Double
    /// The model whose CLS tokens to use (a unique prefix is enough); required when several
    /// models' embeddings are stored.
    public var modelSHA: String?
    /// Synonym tables used to rename base parts for the target (`paw` → `foot`).
    public var taxonomy: Taxonomy?

    public init(dataset: String? = nil, k: Int = 5, textWeight: Double = 0.3, modelSHA: String? = nil,
                taxonomy: Taxonomy? = nil) {
        precondition(k >= 1, "k must be at least 1")
        self.dataset = dataset; self.k = k; self.textWeight = textWeight; self.modelSHA = modelSHA
        self.taxonomy = taxonomy
    }
}

/// One line of a propose run: the stored entry and whether this run wrote it.
public struct BorrowProposeResult: Sendable, Equatable {
    /// `proposed` (new), `refreshed` (a pending proposal rewritten) or `kept` (decided: untouched).
    public enum Action: String, Sendable, Codable { case proposed, refreshed, kept }
    public var entry: BorrowEntry
    public var action: Action
    /// The fresh computation, also for kept entries (what would have been proposed).
    public var proposal: BorrowProposal
}

/// What a propose run did overall.
public struct BorrowProposeOutcome: Sendable {
    public var results: [BorrowProposeResult]
    /// The model whose CLS tokens were used, and the transformer layer.
    public var modelSHA: String
    public var layer: Int
    /// Target object categories without any CLS embedding (not proposed for).
    public var skippedCategories: [String]
}

extension Store {
    /// Proposes, for each target object category, the base category whose parts it should
    /// borrow, and stores the proposals in `borrow` (issue 7, "Taxonomy borrowing").
    ///
    /// Targets are the object categories of object annotations in target-role datasets (or in
    /// `options.dataset`); bases are source-role objects whose category has part categories.
    /// Each target object votes over its `k` nearest base objects by cosine of CLS tokens (the
    /// `embedding` rows with owner `annotation`, facet `cls`); ``BorrowProposer`` mixes in
    /// `textSimilarity` of the category names as a prior. Decided proposals (approved, edited,
    /// rejected) are never changed; pending ones are refreshed; everything in one transaction.
    ///
    /// - Throws: ``BorrowError`` when no embeddings are stored (run `vlpart features cache`),
    ///   several models are stored and `modelSHA` is not set, or there are no targets or bases.
    public func proposeBorrows(_ options: BorrowProposeOptions,
                               textSimilarity: ((_ target: String, _ base: String) -> Double)? = nil) throws -> BorrowProposeOutcome {
        try write { db in
            let (sha, layer) = try clsModel(db, requested: options.modelSHA)
            if let name = options.dataset, try Dataset.filter(Column("name") == name).fetchOne(db) == nil {
                throw StoreError.unknownDataset(name: name)
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.owner_id AS id, e.dim AS dim, e.data AS data, a.category_id AS category,
                       c.name AS name, d.role AS role, d.name AS dataset
                FROM embedding e JOIN annotation a ON a.id = e.owner_id AND a.level = 'object'
                JOIN category c ON c.id = a.category_id
                JOIN image i ON i.id = a.image_id JOIN dataset d ON d.id = i.dataset_id
                WHERE e.owner = 'annotation' AND e.facet = 'cls' AND e.model_sha = ? AND e.layer = ?
                ORDER BY e.owner_id
                """, arguments: [sha, layer])
            let withParts = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT object_category_id FROM category WHERE level = 'part'"))
            let targetCategories = try String.fetchAll(db, sql: """
                SELECT DISTINCT c.name FROM annotation a JOIN category c ON c.id = a.category_id
                JOIN image i ON i.id = a.image_id JOIN dataset d ON d.id = i.dataset_id
                WHERE a.level = 'object' AND \(options.dataset == nil ? "d.role = 'target'" : "d.name = ?")
                ORDER BY c.name
                """, arguments: options.dataset.map { [$0] } ?? [])
            let targetSet = Set(targetCategories)
            var targets: [BorrowProposer.Object] = [], bases: [BorrowProposer.Object] = []
            var ids: [String: Int64] = [:]
            var dim: Int?
            for row in rows {
                let id: Int64 = row["id"], n: Int = row["dim"], data: Data = row["data"]
                let vector = Embedding.decode(data, dim: n)
                if dim == nil { dim = vector.count }
                guard vector.count == dim, vector.count > 0 else {
                    throw BorrowError.dimensionMismatch(store: path, annotationID: id, expected: dim ?? n, found: vector.count)
                }
                let name: String = row["name"], category: Int64 = row["category"], role: String = row["role"]
                ids[name] = category
                let isTarget = options.dataset.map { $0 == (row["dataset"] as String) } ?? (role == DatasetRole.target.rawValue)
                if isTarget {
                    targets.append(.init(category: name, embedding: vector))
                } else if role == DatasetRole.source.rawValue && withParts.contains(category)
                            && !targetSet.contains(name) {
                    bases.append(.init(category: name, embedding: vector))
                }
            }
            if targetCategories.isEmpty {
                throw BorrowError.noTargets(store: path, detail: options.dataset.map { "dataset '\($0)' has no object annotations" }
                                            ?? "no dataset has role target (import one with --role target)")
            }
            guard !bases.isEmpty else { throw BorrowError.noBases(store: path) }
            let proposer = BorrowProposer(k: options.k, textWeight: options.textWeight)
            let proposals = proposer.propose(targets: targets, bases: bases, textSimilarity: textSimilarity)
            let existing = Dictionary(try borrowEntries(db).map { ($0.targetCategoryID, $0) }, uniquingKeysWith: { $1 })
            var results: [BorrowProposeResult] = []
            for proposal in proposals {
                guard let targetID = ids[proposal.target], let baseID = ids[proposal.base] else { continue }
                if let old = existing[targetID], old.isDecided {
                    results.append(.init(entry: old, action: .kept, proposal: proposal))
                    continue
                }
                let parts = try borrowedParts(db, baseCategoryID: baseID, baseName: proposal.base, taxonomy: options.taxonomy)
                let runners = proposal.ranked.dropFirst().prefix(3).compactMap { scored in
                    ids[scored.category].map { BorrowCandidate(category: scored.category, categoryID: $0, score: scored.score) }
                }
                var row = Borrow(id: existing[targetID]?.id, targetCategoryID: targetID, baseCategoryID: baseID,
                                 score: proposal.score, runnerUp: try BorrowEntry.encode(Array(runners)),
                                 status: .proposed, parts: try BorrowEntry.encode(parts), decidedAt: nil)
                if row.id == nil { try row.insert(db) } else { try row.update(db) }
                let entry = BorrowEntry.from(row, target: proposal.target, base: proposal.base)
                results.append(.init(entry: entry, action: existing[targetID] == nil ? .proposed : .refreshed,
                                     proposal: proposal))
            }
            let proposed = Set(proposals.map(\.target))
            return BorrowProposeOutcome(results: results, modelSHA: sha, layer: layer,
                                        skippedCategories: targetCategories.filter { !proposed.contains($0) })
        }
    }

    /// The model (and its deepest layer) whose object CLS tokens to use.
    private func clsModel(_ db: Database, requested: String?) throws -> (String, Int) {
        let models = try String.fetchAll(db, sql: """
            SELECT DISTINCT model_sha FROM embedding WHERE owner = 'annotation' AND facet = 'cls' ORDER BY model_sha
            """)
        guard !models.isEmpty else { throw BorrowError.noEmbeddings(store: path) }
        let sha: String
        if let requested {
            let matches = models.filter { $0.hasPrefix(requested) }
            guard matches.count == 1 else { throw BorrowError.unknownModel(store: path, sha: requested, models: models) }
            sha = matches[0]
        } else {
            guard models.count == 1 else { throw BorrowError.ambiguousModel(store: path, models: models) }
            sha = models[0]
        }
        let layer = try Int.fetchOne(db, sql: """
            SELECT MAX(layer) FROM embedding WHERE owner = 'annotation' AND facet = 'cls' AND model_sha = ?
            """, arguments: [sha]) ?? 0
        return (sha, layer)
    }
}

extension Embedding {
    /// Little-endian Float32 × `dim` from a stored blob; empty when the sizes disagree.
    static func decode(_ data: Data, dim: Int) -> [Float] {
        guard dim > 0, data.count == dim * 4 else { return [] }
        return data.withUnsafeBytes { raw in
            (0..<dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
