import Foundation
import GRDB
import Store

/// What `Store.importTaxonomy(_:)` did.
public struct TaxonomyImportResult: Sendable, Equatable {
    /// What happened to the stored taxonomy.
    public enum Action: String, Sendable { case created, updated, unchanged }
    public var taxonomyID: Int64
    public var name: String
    public var action: Action
    /// Object categories the taxonomy names, and how many of them were new to the store.
    public var objects: Int
    public var newObjectCategories: Int
    /// (object, part) rows stored.
    public var parts: Int
}

extension Store {
    /// Stores a taxonomy file: one `taxonomy` row (origin `file`, its path) and one
    /// `taxonomy_part` row per (object, canonical part), creating object categories the store
    /// lacks. Part names are normalised through the file's synonyms (`paw` → `foot`).
    ///
    /// Idempotent: importing the same content again changes nothing; importing a file whose
    /// taxonomy name is already stored replaces that taxonomy's parts (and path) in one
    /// transaction.
    ///
    /// ```swift
    /// let file = try TaxonomyFile.load(path: "taxonomies/pascal_part.yaml")
    /// let result = try store.importTaxonomy(file)   // .created, then .unchanged
    /// ```
    public func importTaxonomy(_ file: TaxonomyFile) throws -> TaxonomyImportResult {
        let path = URL(fileURLWithPath: file.path).standardizedFileURL.path
        return try write { db in
            var newObjects = 0
            var rows: [(objectID: Int64, part: String)] = []
            for object in file.objects {
                let name = Self.categoryKey(object.name)
                let objectID: Int64
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE level = 'object' AND name = ?",
                                               arguments: [name]) {
                    objectID = id
                } else {
                    var category = Category(level: .object, name: name)
                    try category.insert(db)
                    objectID = db.lastInsertedRowID
                    newObjects += 1
                }
                var seen = Set<String>()
                for part in object.parts {
                    let canonical = Taxonomy.normalize(PartName(object: object.name, part: part), in: file).part
                    if seen.insert(canonical).inserted { rows.append((objectID, canonical)) }
                }
            }
            let wanted = Set(rows.map { "\($0.objectID)\u{0}\($0.part)" })
            if var existing = try TaxonomyRecord.filter(Column("name") == file.name).fetchOne(db), let id = existing.id {
                let stored = try TaxonomyPart.filter(Column("taxonomy_id") == id).fetchAll(db)
                let have = Set(stored.map { "\($0.objectCategoryID)\u{0}\($0.partName)" })
                if have == wanted && existing.path == path && existing.origin == .file {
                    return TaxonomyImportResult(taxonomyID: id, name: file.name, action: .unchanged,
                                                objects: file.objects.count, newObjectCategories: newObjects,
                                                parts: rows.count)
                }
                try TaxonomyPart.filter(Column("taxonomy_id") == id).deleteAll(db)
                existing.path = path
                existing.origin = .file
                try existing.update(db)
                for row in rows { try TaxonomyPart(taxonomyID: id, objectCategoryID: row.objectID, partName: row.part).insert(db) }
                return TaxonomyImportResult(taxonomyID: id, name: file.name, action: .updated,
                                            objects: file.objects.count, newObjectCategories: newObjects, parts: rows.count)
            }
            var record = TaxonomyRecord(name: file.name, origin: .file, path: path)
            try record.insert(db)
            let id = db.lastInsertedRowID
            for row in rows { try TaxonomyPart(taxonomyID: id, objectCategoryID: row.objectID, partName: row.part).insert(db) }
            return TaxonomyImportResult(taxonomyID: id, name: file.name, action: .created,
                                        objects: file.objects.count, newObjectCategories: newObjects, parts: rows.count)
        }
    }

    /// The stored parts of a taxonomy, object category name → canonical parts in file order;
    /// `nil` when no taxonomy has this name.
    public func storedTaxonomyParts(named name: String) throws -> [String: [String]]? {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM taxonomy WHERE name = ?", arguments: [name]) else {
                return nil
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.name AS object, tp.part_name AS part FROM taxonomy_part tp
                JOIN category c ON c.id = tp.object_category_id
                WHERE tp.taxonomy_id = ? ORDER BY tp.rowid
                """, arguments: [id])
            var out: [String: [String]] = [:]
            for row in rows { out[row["object"] as String, default: []].append(row["part"]) }
            return out
        }
    }

    /// The store's normalised category name: lower case, runs of white space collapsed (as
    /// the importers write it).
    static func categoryKey(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }
}
