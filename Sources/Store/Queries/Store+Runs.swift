import Foundation
import GRDB

/// A run as commands name it: by `--run NAME` or by id.
public struct RunReference: Sendable, Equatable {
    public let id: Int64
    public let name: String?
    public let kind: String
    public let status: Run.Status
    public let params: String?
}

extension Store {
    /// Creates a run; a name that is already taken is an error (resume it instead).
    public func createRun(kind: String, name: String?, params: String?) throws -> RunReference {
        try write { db in
            if let name, try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.runExists(name: name)
            }
            var run = Run(kind: kind, params: params)
            try run.insert(db)
            try db.execute(sql: "UPDATE run SET name = ? WHERE id = ?", arguments: [name, run.id])
            return RunReference(id: run.id!, name: name, kind: kind, status: .running, params: params)
        }
    }

    /// The run named `nameOrID` (a name, else a numeric id), of `kind` when given.
    public func run(_ nameOrID: String, kind: String? = nil) throws -> RunReference {
        try read { db in
            var row = try Row.fetchOne(db, sql: "SELECT id, name, kind, status, params FROM run WHERE name = ?",
                                       arguments: [nameOrID])
            if row == nil, let id = Int64(nameOrID) {
                row = try Row.fetchOne(db, sql: "SELECT id, name, kind, status, params FROM run WHERE id = ?", arguments: [id])
            }
            guard let row else { throw StoreError.unknownRun(nameOrID) }
            let reference = RunReference(id: row["id"], name: row["name"], kind: row["kind"],
                                         status: Run.Status(rawValue: row["status"]) ?? .failed, params: row["params"])
            if let kind, reference.kind != kind { throw StoreError.unknownRun("\(nameOrID) (it is a \(reference.kind) run)") }
            return reference
        }
    }

    /// Adds work items for `annotationIDs` that the run does not have yet.
    public func addWorkItems(runID: Int64, annotationIDs: [Int64]) throws {
        try write { db in
            for id in annotationIDs {
                try db.execute(sql: "INSERT OR IGNORE INTO work_item (run_id, annotation_id, state) VALUES (?, ?, 'pending')",
                               arguments: [runID, id])
            }
        }
    }

    /// Annotation ids of the run's unfinished items (pending, running or failed) in shard
    /// `shard` of `shards` (by `annotation_id % shards`), in id order.
    public func openWorkItems(runID: Int64, shard: Int = 0, shards: Int = 1) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: """
                SELECT annotation_id FROM work_item WHERE run_id = ? AND state != 'done'
                AND annotation_id % ? = ? ORDER BY annotation_id
                """, arguments: [runID, shards, shard])
        }
    }

    /// Counts of the run's work items by state.
    public func workItemCounts(runID: Int64) throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM work_item WHERE run_id = ? GROUP BY state",
                                        arguments: [runID]) {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    /// Writes one item's generated labels and marks it done in a single transaction, so a kill
    /// leaves either both or neither (labels keep human decisions, as `upsertParsed` does).
    public func completeWorkItem(runID: Int64, annotationID: Int64, labels: [Annotation]) throws -> UpsertResult {
        try write { db in
            let result = try Self.upsertGenerated(labels, in: db)
            try db.execute(sql: "UPDATE work_item SET state = 'done', error = NULL WHERE run_id = ? AND annotation_id = ?",
                           arguments: [runID, annotationID])
            return result
        }
    }

    /// Errors of the run's failed items by annotation id.
    public func workItemErrors(runID: Int64) throws -> [Int64: String] {
        try read { db in
            var errors: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT annotation_id, error FROM work_item WHERE run_id = ? AND state = 'failed'",
                                        arguments: [runID]) {
                errors[row["annotation_id"]] = row["error"] ?? ""
            }
            return errors
        }
    }

    /// Marks an item failed with its error; a later resume retries it.
    public func failWorkItem(runID: Int64, annotationID: Int64, error: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE work_item SET state = 'failed', error = ? WHERE run_id = ? AND annotation_id = ?",
                           arguments: [error, runID, annotationID])
        }
    }

    /// Finishes a run with its statistics (JSON), failed when any item failed.
    public func finishRun(id: Int64, stats: String?) throws {
        try write { db in
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work_item WHERE run_id = ? AND state = 'failed'",
                                          arguments: [id]) ?? 0
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM work_item WHERE run_id = ? AND state != 'done'",
                                        arguments: [id]) ?? 0
            try db.execute(sql: "UPDATE run SET status = ?, finished_at = ?, stats = ? WHERE id = ?",
                           arguments: [failed > 0 ? "failed" : (open > 0 ? "running" : "finished"), Date(), stats, id])
        }
    }

    /// The id of the part category (`object:part`), created when missing.
    public func partCategory(objectCategoryID: Int64, part: String) throws -> Int64 {
        try write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE level = 'part' AND object_category_id = ? AND part_name = ?",
                                           arguments: [objectCategoryID, part]) {
                return id
            }
            guard let object = try Category.fetchOne(db, key: objectCategoryID) else {
                throw StoreError.unknownCategory(name: "#\(objectCategoryID)")
            }
            var category = Category(level: .part, name: "\(object.name):\(part)", objectCategoryID: objectCategoryID, partName: part)
            try category.insert(db)
            return category.id!
        }
    }

    /// Gold part annotations of an object (its children), in id order.
    public func parts(ofObject id: Int64) throws -> [Annotation] {
        try read { db in
            try Annotation.filter(Column("parent_id") == id).filter(Column("level") == Level.part.rawValue)
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Part categories of an object category: `(id, part name)` in id order.
    public func partCategories(ofObject categoryID: Int64) throws -> [(id: Int64, part: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, part_name FROM category WHERE level = 'part' AND object_category_id = ? ORDER BY id",
                             arguments: [categoryID]).map { ($0["id"], $0["part_name"] ?? "") }
        }
    }
}
