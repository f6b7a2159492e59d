import Foundation
import GRDB
import Imaging
import Testing
import TestSupport
@testable import Store

/// Imports `file` and exports that dataset; returns the exported document.
private func roundTrip(_ format: ImportFormat, _ file: String, imagesRoot: String, in store: Store, folder: URL)
    throws -> (ImportReport, COCODocument) {
    let report = try store.importDataset(ImportOptions(format: format, file: fixtureURL("store", file).path,
                                                       imagesRoot: imagesRoot, dataset: file, role: .source))
    // Imports run with foreign-key enforcement off for speed; prove they left no dangling ids.
    #expect(try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    let out = folder.appendingPathComponent("\(file).export.json").path
    try store.exportCOCO(to: out, options: ExportOptions(dataset: file))
    return (report, try COCODocument.read(path: out))
}

/// Checks every exported mask against pycocotools' decode of the original, bit for bit.
private func expectMasksMatch(_ doc: COCODocument, _ expected: ExpectedFile, areas: (ExpectedMask) -> Double) {
    let sizes = Dictionary(uniqueKeysWithValues: doc.images.map { ($0.id, ($0.width, $0.height)) })
    for (id, want) in expected.annotations {
        guard let a = doc.annotations.first(where: { String($0.id) == id }) else {
            Issue.record("annotation \(id) missing from export"); continue
        }
        guard case let .rle(rle) = a.segmentation else { Issue.record("annotation \(id) not exported as RLE"); continue }
        #expect((rle.width, rle.height) == sizes[a.imageID].map { ($0.0, $0.1) } ?? (0, 0))
        #expect(rle.compressed == want.counts, "annotation \(id) counts")
        #expect(maskDigest(rle.decode()) == want.sha256, "annotation \(id) decoded mask")
        #expect(rle.area == want.area)
        #expect(a.bbox == want.bbox, "annotation \(id) bbox")
        #expect(a.area == areas(want), "annotation \(id) area")
    }
}

@Test func cocoRoundTripIsExactAndReadsAnnotationsAfterImages() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let expected = try ExpectedFixtures.load().files["coco.json"]!
    let (report, doc) = try roundTrip(.coco, "coco.json", imagesRoot: fixtureImages, in: store, folder: folder)
    #expect(report.images == 3 && report.objects == 4 && report.parts == 0)
    #expect(report.issueCount == 0, "\(report.examples)")
    #expect(doc.images.map(\.id).sorted() == [1, 2, 7])
    #expect(doc.categories.map(\.name).sorted() == ["cat", "dog", "person"])
    expectMasksMatch(doc, expected) { $0.statedArea ?? -1 }
    #expect(doc.annotations.first { $0.id == 13 }?.iscrowd == 1)
    #expect(doc.vlpart?.datasets.first?.format == "coco")
}

@Test func pacoRoundTripKeepsLinksAndSpelling() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let expected = try ExpectedFixtures.load().files["paco.json"]!
    let (report, doc) = try roundTrip(.paco, "paco.json", imagesRoot: fixtureImages, in: store, folder: folder)
    #expect(report.objects == 2 && report.parts == 4)
    #expect(report.ignoredSections.sorted() == ["attributes", "part_categories"])
    expectMasksMatch(doc, expected) { $0.statedArea ?? -1 }
    // Every part points at the object the source file named, objects at themselves.
    let source = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("store", "paco.json"))) as! [String: Any]
    for original in source["annotations"] as! [[String: Any]] {
        let id = (original["id"] as! NSNumber).int64Value
        let link = (original["obj_ann_id"] as! NSNumber).int64Value
        #expect(doc.annotations.first { $0.id == id }?.objAnnID == link, "annotation \(id)")
    }
    let names = Dictionary(uniqueKeysWithValues: doc.categories.map { ($0.id, $0) })
    #expect(names[2]?.name == "car_(automobile):wheel" && names[2]?.supercategory == "PART")
    #expect(names[1]?.supercategory == "OBJECT")
    // Stored normalised, as (object, part) pairs.
    let wheel = try store.read { db in try Category.filter(Column("name") == "car_(automobile):wheel").fetchOne(db) }
    #expect(wheel?.level == .part && wheel?.partName == "wheel")
    let car = try store.read { db in try Category.fetchOne(db, key: wheel?.objectCategoryID) }
    #expect(car?.name == "car_(automobile)")
}

@Test func partImageNetDerivesObjectsAndSynsetLabels() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let expected = try ExpectedFixtures.load().files["partimagenet.json"]!
    let (report, doc) = try roundTrip(.partimagenet, "partimagenet.json",
                                      imagesRoot: fixtureURL("store", "images/partimagenet").path, in: store, folder: folder)
    #expect(report.parts == 5 && report.derivedObjects == 2 && report.imageLabels == 2)
    #expect(report.issueCount == 0, "\(report.examples)")
    expectMasksMatch(doc, expected) { $0.statedArea ?? -1 }
    let categories = Dictionary(uniqueKeysWithValues: doc.categories.map { ($0.id, $0.name) })
    for want in expected.derivedObjects ?? [] {
        let objects = doc.annotations.filter { $0.imageID == want.imageID && categories[$0.categoryID] == want.object }
        guard let object = objects.first, objects.count == 1, case let .rle(rle) = object.segmentation else {
            Issue.record("no single derived \(want.object) on image \(want.imageID)"); continue
        }
        #expect(rle.compressed == want.counts)
        #expect(maskDigest(rle.decode()) == want.sha256)
        #expect(object.area == Double(want.area) && object.bbox == want.bbox)
        #expect(object.objAnnID == object.id)
        let parts = doc.annotations.filter { $0.objAnnID == object.id && $0.id != object.id }
        #expect(!parts.isEmpty && parts.allSatisfy { categories[$0.categoryID]?.hasPrefix("\(want.object):") == true })
    }
    #expect(categories.values.contains("Quadruped:Head"))
    let labels = try #require(doc.imageLabels)
    #expect(Set(labels.compactMap { l in categories[l.categoryID] }) == ["n02085620", "n01440764"])
}

@Test func pascalPartAreasAreRecomputedFromMasks() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let expected = try ExpectedFixtures.load().files["pascal_part.json"]!
    let (report, doc) = try roundTrip(.pascalPart, "pascal_part.json",
                                      imagesRoot: fixtureURL("store", "images/pascal").path, in: store, folder: folder)
    #expect(report.parts == 2 && report.objects == 0)
    expectMasksMatch(doc, expected) { Double($0.area) }
    for want in expected.annotations.values { #expect(want.statedArea != Double(want.area)) }
    let licensePlate = try store.read { db in try Category.filter(Column("name") == "bus:license plate").fetchOne(db) }
    #expect(licensePlate?.partName == "license plate")
}

@Test func classFoldersGiveLabelsAndWholeImageObjects() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = fixtureURL("store", "images/classes").path
    let options = ImportOptions(format: .folder, file: root, imagesRoot: root, dataset: "imagenet", role: .target,
                                classMapFile: fixtureURL("store", "class_map.txt").path)
    let report = try store.importDataset(options)
    #expect(report.images == 3 && report.objects == 3 && report.imageLabels == 3)
    let rows = try store.labels(matching: LabelFilter(dataset: "imagenet"))
    #expect(Set(rows.map(\.category)) == ["chihuahua", "tench fish"])
    for row in rows {
        #expect(row.annotation.provenance?.contains(#""foreground":"saliency""#) == true)
        let image = try store.read { db in try ImageRecord.fetchOne(db, key: row.annotation.imageID) }!
        let rle = try RLE(compressed: row.annotation.rle, width: image.width, height: image.height)
        #expect(rle.area == image.width * image.height)
        #expect(row.annotation.bbox == [0, 0, Double(image.width), Double(image.height)])
    }
    #expect(try store.importDataset(options).unchanged)
}

@Test func reimportIsANoOpAndOtherContentNeedsReplace() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let paco = ImportOptions(format: .paco, file: fixtureURL("store", "paco.json").path, imagesRoot: fixtureImages,
                             dataset: "d", role: .source)
    _ = try store.importDataset(paco)
    let before = try store.stats()
    #expect(try store.importDataset(paco).unchanged)
    #expect(try store.stats() == before)
    var coco = paco
    coco.format = .coco
    coco.file = fixtureURL("store", "coco.json").path
    #expect(throws: StoreError.datasetExists(name: "d", file: coco.file)) { try store.importDataset(coco) }
    coco.replace = true
    let replaced = try store.importDataset(coco)
    #expect(replaced.objects == 4)
    #expect(try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") } == 3)
    let stats = try store.stats()
    #expect(stats.datasets.map(\.name) == ["d"] && stats.datasets[0].parts == 0 && stats.datasets[0].format == "coco")
}

@Test func validationFindingsAreCountedAndStrictRefuses() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let doc = #"""
    {"images": [{"id": 1, "file_name": "coco/a.png", "width": 48, "height": 40},
                {"id": 2, "file_name": "coco/missing.png", "width": 10, "height": 10},
                {"id": 3, "file_name": "coco/b.png", "width": 30, "height": 21}],
     "categories": [{"id": 1, "name": "dog"}],
     "annotations": [
       {"id": 1, "image_id": 9, "category_id": 1, "segmentation": [[1,1,5,1,5,5]]},
       {"id": 2, "image_id": 1, "category_id": 4, "segmentation": [[1,1,5,1,5,5]]},
       {"id": 3, "image_id": 1, "category_id": 1, "segmentation": []},
       {"id": 4, "image_id": 1, "category_id": 1, "segmentation": [[1,1,90,1,90,30]]},
       {"id": 5, "image_id": 1, "category_id": 1, "segmentation": {"size": [10, 10], "counts": [100]}},
       {"id": 6, "image_id": 1, "category_id": 1, "segmentation": [[2,2,20,2,20,20,2,20]]}]}
    """#
    let path = folder.appendingPathComponent("bad.json").path
    try Data(doc.utf8).write(to: URL(fileURLWithPath: path))
    var options = ImportOptions(format: .coco, file: path, imagesRoot: fixtureImages, dataset: "v", role: .source, strict: true)
    let storeBefore = try fileBytes(store.path)
    #expect(throws: StoreError.self) { try store.importDataset(options) }
    #expect(try fileBytes(store.path) == storeBefore)
    options.strict = false
    let report = try store.importDataset(options)
    #expect(report.issues == [.unknownImage: 1, .unknownCategory: 1, .emptySegmentation: 1, .maskOutOfBounds: 2,
                              .missingImageFile: 1, .imageSizeMismatch: 1])
    #expect(report.objects == 2)
    #expect(report.examples.contains { $0.contains("annotations[0] (id 1)") && $0.contains("image_id 9") })
}
