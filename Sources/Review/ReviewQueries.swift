import Foundation
import GRDB
import Store

/// The part labels under review: those one parse run wrote (parsed, or relabelled by a person
/// since), optionally only some review states. Every query here is bound, never spliced.
struct PartSelection: Sendable {
    let runID: Int64
    let statuses: [LabelStatus]?

    /// The condition over the part annotation `a`, with its arguments.
    var condition: (sql: String, arguments: StatementArguments) {
        var sql = "a.level = 'part' AND a.parent_id IS NOT NULL AND a.run_id = ?"
        var arguments: StatementArguments = [runID]
        if let statuses {
            sql += " AND a.status IN (SELECT value FROM json_each(?))"
            arguments += ["[" + statuses.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"]
        }
        return (sql, arguments)
    }
}

/// Counts of one object or part category on the index page.
struct CategoryCount: Sendable, Equatable {
    var name: String
    var objects: Int
    var parts: Int
    var pending: Int, accepted: Int, rejected: Int
    var meanScore: Double?
}

/// Everything the index page counts, computed in SQL (no per-object rows in memory).
struct ReviewCounts: Sendable {
    var objects = 0
    var parts = 0
    var byStatus: [LabelStatus: Int] = [:]
    /// By object category, in name order (the order `--sort category` pages use).
    var objectCategories: [CategoryCount] = []
    /// By part category (`dog:head`), in name order.
    var partCategories: [CategoryCount] = []
    var objectScores = ScoreHistogram(counts: [0])
    var partScores = ScoreHistogram(counts: [0])
}

/// One reviewed object in page order: its id, score (mean of its selected part scores) and
/// object category name.
struct ObjectKey: Sendable, Equatable {
    var id: Int64
    var score: Double?
    var category: String
}

/// A part label with its names, as pages and pictures show it.
struct ReviewPart: Sendable {
    var annotation: Annotation
    /// The part alone (`head`).
    var name: String
    /// The part category (`dog:head`).
    var category: String
}

/// Where a parsed object's parts came from (the `provenance` JSON `vlpart parse` writes).
struct PartProvenance: Sendable, Equatable {
    var method: String?
    /// Base object annotation ids, best match first.
    var bases: [Int64] = []
    var similarities: [Double] = []

    init(json: String?) {
        guard let json, let data = json.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
        method = object["method"] as? String
        bases = (object["bases"] as? [Any])?.compactMap { ($0 as? NSNumber)?.int64Value } ?? []
        similarities = (object["similarities"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
    }
}

/// An object (reviewed, or a base object shown beside one) with its image and parts.
struct ReviewObject: Sendable {
    var key: ObjectKey
    var annotation: Annotation
    var image: ImageRecord
    var imagePath: String
    var dataset: String
    var parts: [ReviewPart]
    var provenance: PartProvenance
}

extension PartSelection {
    /// The index page's counts and histograms (`bins` bins over `[0, 1]`).
    func counts(_ db: Database, bins: Int = 20) throws -> ReviewCounts {
        let (cond, args) = condition
        var counts = ReviewCounts()
        for row in try Row.fetchAll(db, sql: "SELECT a.status AS status, COUNT(*) AS n FROM annotation a WHERE \(cond) GROUP BY a.status",
                                    arguments: args) {
            if let status = LabelStatus(rawValue: row["status"]) { counts.byStatus[status] = row["n"] }
        }
        counts.parts = counts.byStatus.values.reduce(0, +)
        counts.objects = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT a.parent_id) FROM annotation a WHERE \(cond)",
                                          arguments: args) ?? 0
        let tallies = """
            COUNT(DISTINCT a.parent_id) AS objects, COUNT(*) AS parts, SUM(a.status = 'pending') AS pending,
            SUM(a.status = 'accepted') AS accepted, SUM(a.status = 'rejected') AS rejected, AVG(a.score) AS mean
            """
        counts.objectCategories = try Row.fetchAll(db, sql: """
            SELECT oc.name AS name, \(tallies) FROM annotation a JOIN annotation o ON o.id = a.parent_id
            JOIN category oc ON oc.id = o.category_id WHERE \(cond) GROUP BY oc.name ORDER BY oc.name
            """, arguments: args).map(Self.categoryCount)
        counts.partCategories = try Row.fetchAll(db, sql: """
            SELECT pc.name AS name, \(tallies) FROM annotation a JOIN category pc ON pc.id = a.category_id
            WHERE \(cond) GROUP BY pc.name ORDER BY pc.name
            """, arguments: args).map(Self.categoryCount)
        counts.partScores = try histogram(db, scores: "SELECT a.score AS s FROM annotation a WHERE \(cond)", arguments: args, bins: bins)
        counts.objectScores = try histogram(db, scores: "SELECT AVG(a.score) AS s FROM annotation a WHERE \(cond) GROUP BY a.parent_id",
                                            arguments: args, bins: bins)
        return counts
    }

    private static func categoryCount(_ row: Row) -> CategoryCount {
        CategoryCount(name: row["name"], objects: row["objects"], parts: row["parts"], pending: row["pending"] ?? 0,
                      accepted: row["accepted"] ?? 0, rejected: row["rejected"] ?? 0, meanScore: row["mean"])
    }

    /// Bins the scores `scores` (a query with one column `s`) as ``ScoreHistogram/bin(of:bins:)`` does.
    private func histogram(_ db: Database, scores: String, arguments: StatementArguments, bins: Int) throws -> ScoreHistogram {
        var counts = [Int](repeating: 0, count: bins)
        var unscored = 0
        for row in try Row.fetchAll(db, sql: """
            SELECT CASE WHEN s IS NULL THEN -1 ELSE MIN(MAX(CAST(s * ? AS INTEGER), 0), ?) END AS bin, COUNT(*) AS n
            FROM (\(scores)) GROUP BY bin
            """, arguments: [Double(bins), bins - 1] + arguments) {
            let bin: Int = row["bin"], n: Int = row["n"]
            if bin < 0 { unscored += n } else { counts[bin] += n }
        }
        return ScoreHistogram(counts: counts, unscored: unscored)
    }

    /// Calls `body` with each page of reviewed objects in `sort` order, `pageSize` at a time,
    /// streaming from one SQLite cursor: memory holds one page, whatever the run's size.
    func forEachPage(_ db: Database, sort: ReviewSort, pageSize: Int, _ body: ([ObjectKey]) throws -> Void) throws {
        let (cond, args) = condition
        let order = sort == .score ? "score, object_id" : "category, score, object_id"
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT a.parent_id AS object_id, AVG(a.score) AS score, oc.name AS category
            FROM annotation a JOIN annotation o ON o.id = a.parent_id JOIN category oc ON oc.id = o.category_id
            WHERE \(cond) GROUP BY a.parent_id ORDER BY \(order)
            """, arguments: args)
        var page: [ObjectKey] = []
        page.reserveCapacity(pageSize)
        while let row = try cursor.next() {
            page.append(ObjectKey(id: row["object_id"], score: row["score"], category: row["category"]))
            if page.count == pageSize { try body(page); page.removeAll(keepingCapacity: true) }
        }
        if !page.isEmpty { try body(page) }
    }

    /// The objects of `keys`, in that order, each with its selected part labels (in part
    /// category order, so colours follow the taxonomy).
    func objects(_ db: Database, keys: [ObjectKey], images: ImageLocator) throws -> [ReviewObject] {
        let (cond, args) = condition
        let ids = keys.map(\.id)
        let parts = try Self.parts(db, sql: """
            SELECT a.*, c.name AS category_name, c.part_name AS part_name FROM annotation a JOIN category c ON c.id = a.category_id
            WHERE \(cond) AND a.parent_id IN (SELECT value FROM json_each(?)) ORDER BY a.parent_id, a.category_id, a.id
            """, arguments: args + [Self.jsonIDs(ids)])
        let byParent = Dictionary(grouping: parts, by: { $0.annotation.parentID ?? 0 })
        return try images.objects(db, ids: ids).compactMap { object in
            guard let key = keys.first(where: { $0.id == object.annotation.id }) else { return nil }
            let own = byParent[key.id] ?? []
            return ReviewObject(key: key, annotation: object.annotation, image: object.image, imagePath: object.imagePath,
                                dataset: object.dataset, parts: own, provenance: PartProvenance(json: own.first?.annotation.provenance))
        }
    }

    /// A base object with its own (gold, accepted or manual; never rejected) parts.
    static func baseObject(_ db: Database, id: Int64, images: ImageLocator) throws -> ReviewObject? {
        guard let object = try images.objects(db, ids: [id]).first else { return nil }
        let category = try String.fetchOne(db, sql: "SELECT name FROM category WHERE id = ?", arguments: [object.annotation.categoryID]) ?? "?"
        let parts = try Self.parts(db, sql: """
            SELECT a.*, c.name AS category_name, c.part_name AS part_name FROM annotation a JOIN category c ON c.id = a.category_id
            WHERE a.parent_id = ? AND a.level = 'part' AND a.status <> 'rejected' ORDER BY a.category_id, a.id
            """, arguments: [id])
        return ReviewObject(key: ObjectKey(id: id, score: nil, category: category), annotation: object.annotation,
                            image: object.image, imagePath: object.imagePath, dataset: object.dataset, parts: parts,
                            provenance: PartProvenance(json: nil))
    }

    private static func parts(_ db: Database, sql: String, arguments: StatementArguments) throws -> [ReviewPart] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let category: String = row["category_name"]
            let name: String = row["part_name"] ?? String(category.split(separator: ":").last ?? "")
            return ReviewPart(annotation: try Annotation(row: row), name: name, category: category)
        }
    }

    static func jsonIDs(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}

/// Finds object annotations' images on disk: datasets are read once, roots resolved by the store.
struct ImageLocator {
    let store: Store
    private var datasets: [Int64: (name: String, root: URL)] = [:]

    init(store: Store, _ db: Database) throws {
        self.store = store
        for dataset in try Dataset.fetchAll(db) {
            guard let id = dataset.id else { continue }
            datasets[id] = (dataset.name, store.absoluteRoot(of: dataset))
        }
    }

    /// Object annotations with their image records and absolute image paths, in `ids` order
    /// (ids that are missing are left out).
    func objects(_ db: Database, ids: [Int64]) throws
        -> [(annotation: Annotation, image: ImageRecord, imagePath: String, dataset: String)] {
        let annotations = Dictionary(try Annotation.fetchAll(db, keys: ids).compactMap { a in a.id.map { ($0, a) } },
                                     uniquingKeysWith: { a, _ in a })
        let imageIDs = Array(Set(annotations.values.map(\.imageID)))
        let images = Dictionary(try ImageRecord.fetchAll(db, keys: imageIDs).compactMap { i in i.id.map { ($0, i) } },
                                uniquingKeysWith: { a, _ in a })
        return ids.compactMap { id in
            guard let a = annotations[id], let image = images[a.imageID] else { return nil }
            let dataset = datasets[image.datasetID]
            let path = (dataset?.root ?? store.baseDirectory).appendingPathComponent(image.fileName).path
            return (a, image, path, dataset?.name ?? "?")
        }
    }
}
