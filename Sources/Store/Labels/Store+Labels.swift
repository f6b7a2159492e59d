import Foundation
import GRDB

/// One annotation as `vlpart label list` shows it.
public struct LabelRow: Sendable, Equatable, Codable {
    public var annotation: Annotation
    public var category: String
    public var dataset: String
    public var fileName: String
}

/// What ``Store/upsertParsed(_:)`` did.
public struct UpsertResult: Sendable, Equatable {
    public var inserted = 0
    public var replaced = 0
    /// Skipped because a person already decided: rejected, accepted or manual labels.
    public var keptHumanDecision = 0
}

extension Store {
    /// Annotations matching `filter`, by id, at most `limit`.
    public func labels(matching filter: LabelFilter, limit: Int? = nil) throws -> [LabelRow] {
        let (condition, arguments) = filter.whereClause()
        var sql = "SELECT a.*, c.name AS category_name, d.name AS dataset_name, i.file_name AS image_file \(LabelFilter.fromClause) WHERE \(condition) ORDER BY a.id"
        var args = arguments
        if let limit { sql += " LIMIT ?"; args += [limit] }
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                LabelRow(annotation: try Annotation(row: row), category: row["category_name"],
                         dataset: row["dataset_name"], fileName: row["image_file"])
            }
        }
    }

    /// Number of annotations matching `filter`.
    public func countLabels(matching filter: LabelFilter) throws -> Int {
        let (condition, arguments) = filter.whereClause()
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) \(LabelFilter.fromClause) WHERE \(condition)", arguments: arguments) ?? 0
        }
    }

    /// Accepts or rejects every matching annotation (a person's decision); returns how many
    /// changed. Unknown ids in `filter.ids` throw before anything changes.
    @discardableResult
    public func setStatus(_ status: LabelStatus, matching filter: LabelFilter) throws -> Int {
        try write { db in
            try checkIDs(db, filter.ids)
            let (condition, arguments) = filter.whereClause()
            try db.execute(sql: """
                UPDATE annotation SET status = ?, updated_at = ? WHERE id IN (SELECT a.id \(LabelFilter.fromClause) WHERE \(condition))
                  AND status <> ?
                """, arguments: [status.rawValue, Date()] + arguments + [status.rawValue])
            return db.changesCount
        }
    }

    /// Gives every matching annotation the category `categoryName` (normalised or dataset
    /// spelling). The result is a person's label: source `manual`, status `accepted`, and the old
    /// category kept in its provenance as `relabelled_from`.
    /// - Throws: ``StoreError/unknownCategory(name:)``, ``StoreError/unknownAnnotation(id:)``.
    @discardableResult
    public func relabel(matching filter: LabelFilter, to categoryName: String) throws -> Int {
        try write { db in
            try checkIDs(db, filter.ids)
            let normalised = CategoryNaming.normalise(categoryName)
            guard let category = try Category.fetchOne(db, sql: """
                SELECT * FROM category WHERE name = ? OR id IN
                  (SELECT category_id FROM dataset_category WHERE source_name = ? OR export_name = ?)
                ORDER BY (name = ?) DESC LIMIT 1
                """, arguments: [normalised, categoryName, categoryName, normalised]), let categoryID = category.id else {
                throw StoreError.unknownCategory(name: categoryName)
            }
            let (condition, arguments) = filter.whereClause()
            let rows = try Row.fetchAll(db, sql: "SELECT a.id, a.provenance, c.name \(LabelFilter.fromClause) WHERE \(condition)",
                                        arguments: arguments)
            let level: Level = category.level == .part ? .part : .object
            for row in rows {
                var provenance = Self.jsonObject(row["provenance"])
                provenance["relabelled_from"] = row["name"] as String
                try db.execute(sql: """
                    UPDATE annotation SET category_id = ?, level = ?, source = 'manual', status = 'accepted',
                      provenance = ?, updated_at = ? WHERE id = ?
                    """, arguments: [categoryID, level.rawValue, Self.jsonText(provenance), Date(), row["id"] as Int64])
            }
            return rows.count
        }
    }

    /// Writes generated (parsed or predicted) labels, never touching a person's decision:
    /// an existing label for the same (image, category, parent) that is rejected, accepted or
    /// manual is kept and the new one dropped; a pending generated one of the *same run* is
    /// replaced (so a resumed run leaves no duplicates), while pending labels of other runs stay:
    /// runs of different methods or models coexist and are compared side by side.
    public func upsertParsed(_ annotations: [Annotation]) throws -> UpsertResult {
        try write { db in try Self.upsertGenerated(annotations, in: db) }
    }

    /// `upsertParsed` inside a caller's transaction.
    static func upsertGenerated(_ annotations: [Annotation], in db: Database) throws -> UpsertResult {
        var result = UpsertResult()
        for var annotation in annotations {
            precondition(annotation.source == .parsed || annotation.source == .predicted,
                         "upsertParsed takes generated labels, got source \(annotation.source)")
            let existing = try Annotation.fetchAll(db, sql: """
                SELECT * FROM annotation WHERE image_id = ? AND category_id = ? AND parent_id IS ?
                """, arguments: [annotation.imageID, annotation.categoryID, annotation.parentID])
            if existing.contains(where: { $0.source == .manual || $0.status != .pending }) {
                result.keptHumanDecision += 1
                continue
            }
            let replaceable = existing.filter { ($0.source == .parsed || $0.source == .predicted) && $0.runID == annotation.runID }
            for old in replaceable { _ = try old.delete(db) }
            annotation.status = .pending
            annotation.updatedAt = Date()
            try annotation.insert(db)
            if replaceable.isEmpty { result.inserted += 1 } else { result.replaced += 1 }
        }
        return result
    }

    private func checkIDs(_ db: Database, _ ids: [Int64]?) throws {
        guard let ids else { return }
        for id in ids where try !Annotation.exists(db, key: id) { throw StoreError.unknownAnnotation(id: id) }
    }

    static func jsonObject(_ text: String?) -> [String: Any] {
        guard let text, let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    static func jsonText(_ object: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
