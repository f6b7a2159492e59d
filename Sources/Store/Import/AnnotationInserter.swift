import Dispatch
import GRDB
import GRDBSQLite

/// The hot insert of an import, pipelined: the importer's thread parses JSON and decodes masks
/// while a writer thread binds and steps one prepared statement through the SQLite C API
/// (building `StatementArguments` per row costs more than SQLite's own work at a million rows).
/// Values are bound, never spliced into SQL.
///
/// Rows travel in batches of 4096 (two in flight: one filling, one writing). Row ids are assigned
/// here, `MAX(id) + 1` onwards, and bound explicitly, so the parser can link parts to objects
/// without waiting for the writer; nothing else writes inside the import's transaction meanwhile.
/// Call `finish()` before touching the database again (and `waitIdle()` on error paths): the
/// writer uses the importer's connection.
final class AnnotationInserter: @unchecked Sendable {
    private let db: Database
    /// Released (finalised) by `finish()` / `waitIdle()` on the importer's thread: left to the
    /// last release, which may happen on the writer thread after the import, it kept SQLite from
    /// closing the connection, so the WAL outlived the command and the next one rewrote the file.
    private var statement: Statement?
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    private static let batchSize = 4096

    /// Rows of one batch in columns: 7 integers and 5 doubles per row, RLE text concatenated.
    private struct Batch: Sendable {
        var ints: [Int64] = []      // id, image, category, level (1 object, 0 part), parent (−1: none), iscrowd, source id
        var doubles: [Double] = []  // bbox x, y, w, h, area
        var text: [UInt8] = []
        var textEnds: [Int] = []
        var count: Int { textEnds.count }
    }

    private var nextRowID: Int64
    private var filling = Batch()
    private let writer = DispatchQueue(label: "vlpart.import.annotation-writer")
    /// 1 while the writer is idle; the importer takes it before handing over a batch.
    private let idle = DispatchSemaphore(value: 1)
    /// The writer's first failure; read and written only while holding `idle`.
    private var failure: DatabaseError?

    init(_ db: Database) throws {
        self.db = db
        nextRowID = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM annotation") ?? 0) + 1
        statement = try db.makeStatement(sql: """
            INSERT INTO annotation (id, image_id, category_id, level, parent_id, bbox_x, bbox_y, bbox_w, bbox_h,
              rle, area, iscrowd, score, source, run_id, status, provenance, source_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, 'gold', NULL, 'accepted', NULL, ?13)
            """)
    }

    /// Queues one gold, accepted annotation; returns the row id it will have.
    /// - Throws: the writer's `DatabaseError` from an earlier batch, if any.
    func insert(imageID: Int64, categoryID: Int64, level: Level, parentID: Int64?, bbox: [Double],
                rle: String, area: Double, iscrowd: Bool, sourceID: Int64) throws -> Int64 {
        precondition(bbox.count == 4, "AnnotationInserter: bbox has \(bbox.count) values")
        let rowID = nextRowID
        nextRowID += 1
        filling.ints.append(contentsOf: [rowID, imageID, categoryID, level == .object ? 1 : 0, parentID ?? -1,
                                         iscrowd ? 1 : 0, sourceID])
        filling.doubles.append(contentsOf: bbox)
        filling.doubles.append(area)
        filling.text.append(contentsOf: rle.utf8)
        filling.textEnds.append(filling.text.count)
        if filling.count >= Self.batchSize { try handOver() }
        return rowID
    }

    /// Writes every queued row and waits for the writer. - Throws: the writer's first error.
    /// The inserter cannot be used afterwards.
    func finish() throws {
        if filling.count > 0 { try handOver() }
        idle.wait()
        defer { idle.signal() }
        statement = nil
        if let failure { throw failure }
    }

    /// Waits until the writer is idle without writing what is still queued (error paths), and
    /// finalises the statement. The inserter cannot be used afterwards.
    func waitIdle() {
        idle.wait()
        statement = nil
        idle.signal()
    }

    private func handOver() throws {
        idle.wait()
        if let failure { idle.signal(); throw failure }
        let batch = filling
        filling = Batch()
        filling.ints.reserveCapacity(batch.ints.count)
        filling.doubles.reserveCapacity(batch.doubles.count)
        filling.text.reserveCapacity(batch.text.count)
        filling.textEnds.reserveCapacity(batch.count)
        writer.async { [self] in
            failure = write(batch)
            idle.signal()
        }
    }

    /// Binds and steps every row of `batch`; returns the first error.
    private func write(_ batch: Batch) -> DatabaseError? {
        guard let s = statement?.sqliteStatement else {
            return DatabaseError(message: "AnnotationInserter: insert after finish")
        }
        var start = 0
        return batch.text.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: CChar.self) { chars in
                for row in 0..<batch.count {
                    let i = row * 7, d = row * 5, end = batch.textEnds[row]
                    sqlite3_bind_int64(s, 1, batch.ints[i])
                    sqlite3_bind_int64(s, 2, batch.ints[i + 1])
                    sqlite3_bind_int64(s, 3, batch.ints[i + 2])
                    sqlite3_bind_text(s, 4, batch.ints[i + 3] == 1 ? "object" : "part", -1, Self.transient)
                    if batch.ints[i + 4] >= 0 { sqlite3_bind_int64(s, 5, batch.ints[i + 4]) } else { sqlite3_bind_null(s, 5) }
                    for k in 0..<4 { sqlite3_bind_double(s, Int32(6 + k), batch.doubles[d + k]) }
                    if let base = chars.baseAddress, end > start {
                        sqlite3_bind_text(s, 10, base + start, Int32(end - start), Self.transient)
                    } else {
                        sqlite3_bind_text(s, 10, "", 0, Self.transient)
                    }
                    sqlite3_bind_double(s, 11, batch.doubles[d + 4])
                    sqlite3_bind_int64(s, 12, batch.ints[i + 5])
                    sqlite3_bind_int64(s, 13, batch.ints[i + 6])
                    start = end
                    let code = sqlite3_step(s)
                    sqlite3_reset(s)
                    guard code == SQLITE_DONE else {
                        return DatabaseError(resultCode: ResultCode(rawValue: code),
                                             message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                }
                return nil
            }
        }
    }
}
