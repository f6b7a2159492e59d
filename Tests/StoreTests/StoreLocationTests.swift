import Foundation
import TestSupport
import Testing
@testable import Store

@Test func flagWinsOverEnvironmentWhichWinsOverDefault() {
    #expect(StoreLocation.resolve(flag: "a.sqlite", environment: ["VLPART_DB": "b.sqlite"]) == "a.sqlite")
    #expect(StoreLocation.resolve(flag: nil, environment: ["VLPART_DB": "b.sqlite"]) == "b.sqlite")
    #expect(StoreLocation.resolve(flag: "", environment: [:]) == "vlpart.sqlite")
}

/// A command's store must close completely when it is done: a statement left unfinalized keeps
/// SQLite from checkpointing, so the WAL outlives the process and the next command (even one
/// that fails) rewrites the main file.
@Test(arguments: [ImportFormat.paco, .coco])
func importLeavesNoStatementOpen(format: ImportFormat) throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = fixtureURL("store", format == .paco ? "paco.json" : "coco.json").path
    _ = try store.importDataset(ImportOptions(format: format, file: file, imagesRoot: fixtureImages,
                                              dataset: "d", role: .source))
    try store.queue.close()
    #expect(!FileManager.default.fileExists(atPath: store.path + "-wal"))
}
