import GRDB

/// Finds or creates global categories by (level, normalised name), caching ids for an import.
struct CategoryRegistry {
    private var cache: [String: Int64] = [:]

    /// The id of the category, inserting it when new.
    mutating func ensure(_ db: Database, level: Level, name: String, objectCategoryID: Int64? = nil,
                         partName: String? = nil) throws -> Int64 {
        let key = "\(level.rawValue)\u{0}\(name)"
        if let id = cache[key] { return id }
        let id: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE level = ? AND name = ?",
                                             arguments: [level.rawValue, name]) {
            id = existing
        } else {
            var category = Category(level: level, name: name, objectCategoryID: objectCategoryID, partName: partName)
            try category.insert(db)
            id = db.lastInsertedRowID
        }
        cache[key] = id
        return id
    }

    /// Records how a dataset spells a category; the first spelling wins when two collide.
    func link(_ db: Database, datasetID: Int64, categoryID: Int64, sourceID: Int64?, sourceName: String,
              exportName: String, supercategory: String?) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO dataset_category (dataset_id, category_id, source_id, source_name, export_name, supercategory)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [datasetID, categoryID, sourceID, sourceName, exportName, supercategory])
    }
}
