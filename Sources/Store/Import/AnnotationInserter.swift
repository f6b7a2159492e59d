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
    /// The prepared inserts, `rowsPerStatement` rows and one row. Released (finalised) by
    /// `finish()` / `waitIdle()` on the importer's thread: left to the last release, which may
    /// happen on the writer thread after the import, they kept SQLite from closing the
    /// connection, so the WAL outlived the command and the next one rewrote the file.
    private var wide: Statement?, single: Statement?
    /// SQLITE_STATIC: SQLite reads bound text in place. Safe because every bound buffer (the
    /// batch's bytes, string literals) outlives the `sqlite3_step` that consumes it; it saves a
    /// malloc, a copy and a free per bound string.
    private static let staticText: sqlite3_destructor_type? = nil
    /// Level names with static storage (a Swift string literal passed as a C string would only
    /// live for the duration of the bind call).
    private static let objectText: StaticString = "object", partText: StaticString = "part", emptyText: StaticString = ""

    private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
    }
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
        wide = try db.makeStatement(sql: Self.insertSQL(rows: Self.rowsPerStatement))
        single = try db.makeStatement(sql: Self.insertSQL(rows: 1))
    }

    /// Rows per execution of `wide`. One `sqlite3_step` per row opened and closed cursors on the
    /// table and its four indexes every time and doubled SQLite's cost; 64 rows × 13 values stay
    /// far below SQLite's limit of 32,766 parameters.
    static let rowsPerStatement = 64
    private static let valuesPerRow: Int32 = 13

    /// `INSERT … VALUES (…), (…)` for `rows` gold, accepted annotations, parameters numbered row
    /// by row: row r binds ?(13r+1) … ?(13r+13).
    static func insertSQL(rows: Int) -> String {
        let tuples = (0..<rows).map { r in
            let p = (1...Int(valuesPerRow)).map { "?\(r * Int(valuesPerRow) + $0)" }
            return "(\(p[0...11].joined(separator: ", ")), NULL, 'gold', NULL, 'accepted', NULL, \(p[12]))"
        }
        // OR ROLLBACK: a multi-row statement that could abort half-way makes SQLite keep a
        // statement journal (a temp file: 2.7 M pwrite calls for a million rows); an import is
        // all-or-nothing anyway, so a failed row may as well end the whole transaction.
        return """
            INSERT OR ROLLBACK INTO annotation (id, image_id, category_id, level, parent_id, bbox_x, bbox_y, bbox_w, bbox_h,
              rle, area, iscrowd, score, source, run_id, status, provenance, source_id)
            VALUES \(tuples.joined(separator: ",\n"))
            """
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
        wide = nil; single = nil
        if let failure { throw failure }
    }

    /// Waits until the writer is idle without writing what is still queued (error paths), and
    /// finalises the statement. The inserter cannot be used afterwards.
    func waitIdle() {
        idle.wait()
        wide = nil; single = nil
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

    /// Binds and steps every row of `batch`, `rowsPerStatement` at a time; returns the first error.
    private func write(_ batch: Batch) -> DatabaseError? {
        guard let wide = wide?.sqliteStatement, let single = single?.sqliteStatement else {
            return DatabaseError(message: "AnnotationInserter: insert after finish")
        }
        var rowStarts = [Int](repeating: 0, count: batch.count)   // byte offset of each row's RLE
        for row in 1..<max(batch.count, 1) { rowStarts[row] = batch.textEnds[row - 1] }
        return batch.text.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: CChar.self) { chars in
                var row = 0
                while row < batch.count {
                    let rows = batch.count - row >= Self.rowsPerStatement ? Self.rowsPerStatement : 1
                    let s = rows == 1 ? single : wide
                    for r in 0..<rows {
                        bind(s, first: Int32(r) * Self.valuesPerRow, row: row + r, batch: batch,
                             chars: chars, start: rowStarts[row + r])
                    }
                    let code = sqlite3_step(s)
                    sqlite3_reset(s)
                    // The batch's bytes die with this call: leave no binding pointing at them.
                    sqlite3_clear_bindings(s)
                    guard code == SQLITE_DONE else {
                        return DatabaseError(resultCode: ResultCode(rawValue: code),
                                             message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                    row += rows
                }
                return nil
            }
        }
    }

    /// Binds one row's 13 values at parameters `first + 1 …`.
    @inline(__always)
    private func bind(_ s: OpaquePointer, first: Int32, row: Int, batch: Batch, chars: UnsafeBufferPointer<CChar>,
                      start: Int) {
        let i = row * 7, d = row * 5, end = batch.textEnds[row]
        sqlite3_bind_int64(s, first + 1, batch.ints[i])
        sqlite3_bind_int64(s, first + 2, batch.ints[i + 1])
        sqlite3_bind_int64(s, first + 3, batch.ints[i + 2])
        sqlite3_bind_text(s, first + 4, Self.cString(batch.ints[i + 3] == 1 ? Self.objectText : Self.partText), -1,
                          Self.staticText)
        if batch.ints[i + 4] >= 0 { sqlite3_bind_int64(s, first + 5, batch.ints[i + 4]) } else { sqlite3_bind_null(s, first + 5) }
        for k in 0..<4 { sqlite3_bind_double(s, first + Int32(6 + k), batch.doubles[d + k]) }
        if let base = chars.baseAddress, end > start {
            sqlite3_bind_text(s, first + 10, base + start, Int32(end - start), Self.staticText)
        } else {
            sqlite3_bind_text(s, first + 10, Self.cString(Self.emptyText), 0, Self.staticText)
        }
        sqlite3_bind_double(s, first + 11, batch.doubles[d + 4])
        sqlite3_bind_int64(s, first + 12, batch.ints[i + 5])
        sqlite3_bind_int64(s, first + 13, batch.ints[i + 6])
    }
}
