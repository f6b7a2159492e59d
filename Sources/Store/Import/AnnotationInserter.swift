import GRDB
import GRDBSQLite

/// The hot insert of an import: one prepared statement bound through the SQLite C API, because
/// building `StatementArguments` (an array of existentials) per row costs more than SQLite's
/// own work at a million rows. Values are bound, never spliced into SQL.
final class AnnotationInserter {
    private let db: Database
    private let statement: Statement
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ db: Database) throws {
        self.db = db
        statement = try db.makeStatement(sql: """
            INSERT INTO annotation (image_id, category_id, level, parent_id, bbox_x, bbox_y, bbox_w, bbox_h,
              rle, area, iscrowd, score, source, run_id, status, provenance, source_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, 'gold', NULL, 'accepted', NULL, ?12)
            """)
    }

    /// Inserts one gold, accepted annotation; returns its row id.
    func insert(imageID: Int64, categoryID: Int64, level: Level, parentID: Int64?, bbox: [Double],
                rle: String, area: Double, iscrowd: Bool, sourceID: Int64) throws -> Int64 {
        precondition(bbox.count == 4, "AnnotationInserter: bbox has \(bbox.count) values")
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, imageID)
        sqlite3_bind_int64(s, 2, categoryID)
        sqlite3_bind_text(s, 3, level == .object ? "object" : "part", -1, Self.transient)
        if let parentID { sqlite3_bind_int64(s, 4, parentID) } else { sqlite3_bind_null(s, 4) }
        for k in 0..<4 { sqlite3_bind_double(s, Int32(5 + k), bbox[k]) }
        var text = rle
        text.withUTF8 { utf8 in
            _ = utf8.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(s, 9, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
        sqlite3_bind_double(s, 10, area)
        sqlite3_bind_int64(s, 11, iscrowd ? 1 : 0)
        sqlite3_bind_int64(s, 12, sourceID)
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return db.lastInsertedRowID
    }
}
