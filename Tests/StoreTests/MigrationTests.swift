import Foundation
import GRDB
import Testing
import TestSupport
@testable import Store

@Test func freshStoreHasEveryMigrationAndWAL() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try store.appliedMigrations() == Migrations.migrator.migrations.sorted())
    let mode = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
    let foreignKeys = try store.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
    #expect(foreignKeys == true)
}

@Test func olderStoreIsMigratedOnOpen() throws {
    let folder = try makeTemporaryDirectory("vlpart-migrate")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("old.sqlite").path
    do {
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v1-core")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO dataset (name, role, format, root, imported_at) VALUES ('old', 'source', 'coco', '.', '2026-01-01')")
        }
    }
    let store = try Store(path: path)
    #expect(try store.appliedMigrations() == Migrations.migrator.migrations)
    #expect(try store.read { db in try db.columns(in: "run").contains { $0.name == "name" } })
    #expect(try store.read { db in try Dataset.fetchAll(db) }.map(\.name) == ["old"])
    #expect(try store.read { db in try db.tableExists("borrow") })
}

@Test func newerStoreIsRefusedWithAClearMessage() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    try store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')") }
    #expect(throws: StoreError.newerSchema(path: store.path, unknownMigrations: ["v9-future"])) {
        _ = try Store(path: store.path)
    }
    #expect(StoreError.newerSchema(path: "s.sqlite", unknownMigrations: ["v9-future"]).description.contains("newer vlpart"))
}

@Test func otherFilesAreNotStores() throws {
    let folder = try makeTemporaryDirectory("vlpart-notstore")
    defer { try? FileManager.default.removeItem(at: folder) }
    let foreign = folder.appendingPathComponent("foreign.sqlite").path
    try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t (x)") }
    #expect(throws: StoreError.notAStore(path: foreign)) { _ = try Store(path: foreign) }
    let text = folder.appendingPathComponent("text.sqlite").path
    try Data("not a database at all, just some text that is long enough".utf8).write(to: URL(fileURLWithPath: text))
    #expect(throws: StoreError.self) { _ = try Store(path: text) }
    #expect(throws: StoreError.self) { _ = try Store(path: folder.appendingPathComponent("absent.sqlite").path) }
}

@Test func schemaRejectsUnknownEnumValues() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: DatabaseError.self) {
        try store.write { db in
            try db.execute(sql: "INSERT INTO dataset (name, role, format, root, imported_at) VALUES ('x', 'sideways', 'coco', '.', '2026-01-01')")
        }
    }
}

@Test func recordsRoundTripThroughTheirTables() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    try store.write { db in
        var run = Run(kind: "parse", params: #"{"k":3}"#)
        try run.insert(db)
        var model = ModelRecord(kind: .vit, path: "dino.safetensors", sha256: "ab")
        try model.insert(db)
        var dog = Category(level: .object, name: "dog"), cat = Category(level: .object, name: "cat")
        try dog.insert(db); try cat.insert(db)
        var borrow = Borrow(targetCategoryID: dog.id!, baseCategoryID: cat.id!, score: 0.8, parts: #"["head"]"#)
        try borrow.insert(db)
        var taxonomy = TaxonomyRecord(name: "pascal_part", origin: .file)
        try taxonomy.insert(db)
        try TaxonomyPart(taxonomyID: taxonomy.id!, objectCategoryID: cat.id!, partName: "head").insert(db)
        var metric = Metric(runID: run.id!, name: "mIoU", split: "val", value: 0.5)
        try metric.insert(db)
        var embedding = Embedding(owner: "category", ownerID: dog.id!, modelSHA: "ab", facet: "cls", layer: 11, vector: [1, -2.5, 3])
        try embedding.insert(db)
    }
    let embedding = try store.read { db in try Embedding.fetchOne(db) }
    #expect(embedding?.vector == [1, -2.5, 3])
    #expect(try store.read { db in try Borrow.fetchOne(db) }?.status == .proposed)
    #expect(try store.read { db in try Metric.fetchOne(db) }?.value == 0.5)
}
