import Foundation
import GRDB

/// The SQLite file that holds every dataset, label, run and model record.
///
/// WAL mode lets readers (`vlpart stats`) work while an import writes; foreign keys are on;
/// writers wait up to ``busyTimeout`` for each other. Opening an older store migrates it;
/// opening one written by a newer vlpart throws ``StoreError/newerSchema(path:unknownMigrations:)``.
///
/// ```swift
/// let store = try Store(path: "vlpart.sqlite", create: true)
/// let n = try store.read { db in try Annotation.fetchCount(db) }
/// ```
public final class Store: Sendable {
    /// How long a writer waits for another process's write transaction before failing.
    public static let busyTimeout: TimeInterval = 60

    /// The store file, as given.
    public let path: String
    /// The connection. A queue, not a pool: GRDB's `DatabasePool` commits a throw-away table on
    /// every open when no WAL file exists, which would change the file's bytes even for a read.
    /// WAL mode is set in the file itself, so other processes still read while this one writes.
    public let queue: DatabaseQueue

    /// Opens (and with `create`, creates) the store at `path` and brings its schema up to date.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file is missing (and `create`
    ///   is false) or unreadable, ``StoreError/notAStore(path:)``,
    ///   ``StoreError/newerSchema(path:unknownMigrations:)``.
    public init(path: String, create: Bool = false) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw StoreError.cannotOpen(path: path, reason: "no such file (create one with `vlpart init --db \(path)`)")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "vlpart"
        config.prepareDatabase { db in
            // New stores use 16 KiB pages: a million-annotation import writes a quarter as many
            // WAL frames and its B-trees are shallower (bulk insert ~15% faster than 4 KiB).
            // Only an empty file takes it; existing stores keep their page size.
            try db.execute(sql: "PRAGMA page_size = 16384")
            // A no-op (and no write) when the file is already in WAL mode.
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            if mode != "wal" { throw DatabaseError(message: "cannot switch to WAL mode (journal mode is \(mode ?? "unknown"))") }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        try migrate(Migrations.migrator)
    }

    /// Applies the migrations `migrator` holds that the file lacks; refuses newer files.
    /// Reads first, so an up-to-date store opens without waiting for a running writer.
    func migrate(_ migrator: DatabaseMigrator) throws {
        do {
            let (superseded, complete, applied, hasOtherTables) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db),
                 try migrator.appliedIdentifiers(db),
                 try db.tableExists("grdb_migrations") == false
                    && (try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1")) != nil)
            }
            if hasOtherTables { throw StoreError.notAStore(path: path) }
            if superseded {
                let known = Set(migrator.migrations)
                let unknown = try queue.read { db in
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                }.filter { !known.contains($0) }
                throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
            }
            if !complete {
                _ = applied
                try migrator.migrate(queue)
            }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// Runs `block` in a read transaction that sees one consistent snapshot (other processes'
    /// uncommitted writes are invisible and do not block it).
    public func read<T>(_ block: (Database) throws -> T) throws -> T {
        try queue.read(block)
    }

    /// Runs `block` in one write transaction: every change commits together or not at all.
    public func write<T>(_ block: (Database) throws -> T) throws -> T {
        try queue.write(block)
    }

    /// Identifiers of the migrations applied to this file, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Migrations.migrator.appliedIdentifiers(db).sorted() }
    }

    /// The folder that relative dataset roots are resolved against: the store file's folder.
    public var baseDirectory: URL {
        URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
    }

    /// Stores `root` relative to the store's folder when it lies inside it, else absolute.
    public func storedRoot(for root: String) -> String {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        let base = baseDirectory.path.hasSuffix("/") ? baseDirectory.path : baseDirectory.path + "/"
        if absolute == String(base.dropLast()) { return "." }
        return absolute.hasPrefix(base) ? String(absolute.dropFirst(base.count)) : absolute
    }

    /// The absolute image folder of a dataset.
    public func absoluteRoot(of dataset: Dataset) -> URL {
        dataset.root.hasPrefix("/") ? URL(fileURLWithPath: dataset.root)
            : baseDirectory.appendingPathComponent(dataset.root).standardizedFileURL
    }
}
