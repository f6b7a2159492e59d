import Foundation
import Testing
import TestSupport
@testable import Store

/// A COCO document with one image and one annotation whose pieces the cases replace.
private func document(image: String = #"{"id": 1, "file_name": "coco/a.png", "width": 48, "height": 40}"#,
                      annotation: String = #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": [[1,1,9,1,9,9]], "bbox": [1,1,8,8], "area": 30}"#,
                      extra: String = "") -> String {
    #"{"images": [\#(image)], "categories": [{"id": 1, "name": "dog"}], "annotations": [\#(annotation)\#(extra)]}"#
}

@Test(arguments: [
    ("truncated", String(document().dropLast(20)), "annotations[0]", "unexpected end of file"),
    ("counts type", document(annotation: #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": {"size": [40, 48], "counts": 7}}"#),
     "annotations[0].segmentation.counts", "expected string or array, found number"),
    ("bad RLE string", document(annotation: #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": {"size": [40, 48], "counts": "0~~"}}"#),
     "annotations[0].segmentation.counts", "invalid character"),
    ("RLE sum", document(annotation: #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": {"size": [40, 48], "counts": [5, 3]}}"#),
     "annotations[0].segmentation.counts", "sum to 8"),
    ("id type", document(annotation: #"{"id": "5", "image_id": 1, "category_id": 1, "segmentation": [[1,1,9,1,9,9]]}"#),
     "annotations[0].id", "expected integer, found string"),
    ("polygon type", document(annotation: #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": [[1,1,"9",1,9,9]]}"#),
     "annotations[0].segmentation[0][2]", "expected number, found string"),
    ("duplicate annotation id", document(extra: #", {"id": 5, "image_id": 1, "category_id": 1, "segmentation": [[1,1,9,1,9,9]]}"#),
     "annotations[1].id", "duplicate annotation id 5"),
    ("duplicate image id", #"{"images": [{"id": 1, "file_name": "a", "width": 4, "height": 4}, {"id": 1, "file_name": "b", "width": 4, "height": 4}]}"#,
     "images[1].id", "duplicate image id 1"),
    ("negative width", document(image: #"{"id": 1, "file_name": "coco/a.png", "width": -48, "height": 40}"#),
     "images[0].width", "must be positive"),
    ("negative box", document(annotation: #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": [[1,1,9,1,9,9]], "bbox": [1,1,-8,8]}"#),
     "annotations[0].bbox", "negative box size"),
    ("negative area", document(annotation: #"{"id": 5, "image_id": 1, "category_id": 1, "segmentation": [[1,1,9,1,9,9]], "area": -3}"#),
     "annotations[0].area", "negative area"),
    ("annotations not an array", #"{"images": [], "categories": [], "annotations": {"id": 1}}"#,
     "annotations", "expected array, found object"),
])
func malformedInputFailsWithPathAndLeavesStoreIdentical(name: String, text: String, path: String, message: String) throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Something already in the store, so "identical" means more than an empty file.
    _ = try store.importDataset(ImportOptions(format: .paco, file: fixtureURL("store", "paco.json").path,
                                              imagesRoot: fixtureImages, dataset: "paco", role: .source))
    let file = folder.appendingPathComponent("bad.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    let walBefore = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM annotation") }
    try store.queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    let before = try fileBytes(store.path)
    do {
        _ = try store.importDataset(ImportOptions(format: .coco, file: file, imagesRoot: fixtureImages, dataset: "bad", role: .source))
        Issue.record("\(name): no error")
    } catch let error as StoreError {
        guard case let .json(errorFile, _, errorMessage) = error else { Issue.record("\(name): \(error)"); return }
        #expect(errorFile == file)
        #expect(error.description.contains(path), "\(name): \(error)")
        #expect(errorMessage.contains(message) || error.description.contains(message), "\(name): \(error)")
        #expect(!error.description.contains("\n"))
    }
    try store.queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    #expect(try fileBytes(store.path) == before, "\(name): store file changed")
    #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM annotation") } == walBefore)
    #expect(try store.stats().datasets.map(\.name) == ["paco"])
}

/// A failure inside SQLite half-way through a 64-row insert (forced by a temporary trigger)
/// ends the import with an error and leaves the store as it was, whether SQLite aborts the
/// statement or rolls the whole transaction back itself.
@Test(arguments: ["ABORT", "ROLLBACK"])
func sqliteFailureMidBatchLeavesStoreIdentical(raise: String) throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try store.importDataset(ImportOptions(format: .paco, file: fixtureURL("store", "paco.json").path,
                                              imagesRoot: fixtureImages, dataset: "paco", role: .source))
    let annotations = (1...300).map { i in
        #"{"id": \#(i), "image_id": 1, "category_id": 1, "segmentation": [[1,1,9,1,9,9]], "bbox": [1,1,8,8], "area": 32}"#
    }
    let text = #"{"images": [{"id": 1, "file_name": "coco/a.png", "width": 48, "height": 40}], "categories": [{"id": 1, "name": "dog"}], "annotations": [\#(annotations.joined(separator: ","))]}"#
    let file = folder.appendingPathComponent("many.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    try store.queue.writeWithoutTransaction { db in
        try db.execute(sql: "CREATE TEMP TRIGGER fail_once BEFORE INSERT ON annotation WHEN NEW.source_id = 150 BEGIN SELECT RAISE(\(raise), 'forced failure'); END")
    }
    try store.queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    let before = try fileBytes(store.path)
    #expect(throws: (any Error).self) {
        _ = try store.importDataset(ImportOptions(format: .coco, file: file, imagesRoot: fixtureImages, dataset: "many", role: .source))
    }
    try store.queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    #expect(try fileBytes(store.path) == before)
    #expect(try store.stats().datasets.map(\.name) == ["paco"])
    // The connection is still usable: the same file imports once the trigger is gone.
    try store.queue.writeWithoutTransaction { db in try db.execute(sql: "DROP TRIGGER fail_once") }
    let report = try store.importDataset(ImportOptions(format: .coco, file: file, imagesRoot: fixtureImages, dataset: "many", role: .source))
    #expect(report.objects == 300)
}
