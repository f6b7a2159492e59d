import Foundation
import GRDB
import Testing
import TestSupport
@testable import Store

/// A store with the PACO fixture and a parse run.
private func storeWithParse() throws -> (Store, URL, Int64, [Int64]) {
    let (store, folder) = try makeTemporaryStore()
    _ = try store.importDataset(ImportOptions(format: .paco, file: fixtureURL("store", "paco.json").path,
                                              imagesRoot: fixtureImages, dataset: "paco", role: .source))
    let (runID, objects) = try store.write { db -> (Int64, [Int64]) in
        var run = Run(kind: "parse")
        try run.insert(db)
        // Parts the gold data lacks, so generated labels do not collide with gold ones.
        for (object, part) in [("car_(automobile)", "door"), ("car_(automobile)", "window"), ("mug", "rim")] {
            let objectID = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE name = ?", arguments: [object])!
            var category = Category(level: .part, name: "\(object):\(part)", objectCategoryID: objectID, partName: part)
            try category.insert(db)
        }
        return (run.id!, try Int64.fetchAll(db, sql: "SELECT id FROM annotation WHERE level = 'object' ORDER BY id"))
    }
    return (store, folder, runID, objects)
}

private func parsed(_ store: Store, object: Int64, category: String, score: Double, run: Int64) throws -> Annotation {
    try store.read { db in
        let parent = try Annotation.fetchOne(db, key: object)!
        let categoryID = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE name = ?", arguments: [category])!
        return Annotation(imageID: parent.imageID, categoryID: categoryID, level: .part, parentID: object,
                          bbox: parent.bbox, rle: parent.rle, area: parent.area, score: score, source: .parsed,
                          runID: run, status: .pending, provenance: #"{"method":"test"}"#)
    }
}

@Test func humanDecisionsSurviveLaterRuns() throws {
    let (store, folder, run, objects) = try storeWithParse()
    defer { try? FileManager.default.removeItem(at: folder) }
    let car = objects[0]
    let first = try store.upsertParsed([try parsed(store, object: car, category: "car_(automobile):door", score: 0.4, run: run),
                                        try parsed(store, object: car, category: "car_(automobile):window", score: 0.9, run: run)])
    #expect(first == UpsertResult(inserted: 2, replaced: 0, keptHumanDecision: 0))
    let generated = try store.labels(matching: LabelFilter(runID: run))
    #expect(generated.count == 2)
    // Reject the weak one, accept the strong one.
    #expect(try store.setStatus(.rejected, matching: LabelFilter(runID: run, scoreBelow: 0.5)) == 1)
    #expect(try store.setStatus(.accepted, matching: LabelFilter(category: "car_(automobile):window", sources: [.parsed])) == 1)
    // A second run proposes both again: neither the rejected nor the accepted label changes.
    let second = try store.upsertParsed([try parsed(store, object: car, category: "car_(automobile):door", score: 0.95, run: run),
                                         try parsed(store, object: car, category: "car_(automobile):window", score: 0.1, run: run)])
    #expect(second.keptHumanDecision == 2)
    let after = try store.labels(matching: LabelFilter(sources: [.parsed]))
    #expect(after.map(\.annotation.status).sorted { $0.rawValue < $1.rawValue } == [.accepted, .rejected])
    #expect(after.first { $0.annotation.status == .accepted }?.annotation.score == 0.9)
    // A pending generated label is replaced by the next run.
    let mug = objects[1]
    _ = try store.upsertParsed([try parsed(store, object: mug, category: "mug:rim", score: 0.3, run: run)])
    let replaced = try store.upsertParsed([try parsed(store, object: mug, category: "mug:rim", score: 0.6, run: run)])
    #expect(replaced.replaced == 1)
    #expect(try store.labels(matching: LabelFilter(category: "mug:rim", sources: [.parsed])).map(\.annotation.score) == [0.6])
}

@Test func relabelMakesAnAcceptedManualLabelAndKeepsTheOldName() throws {
    let (store, folder, _, _) = try storeWithParse()
    defer { try? FileManager.default.removeItem(at: folder) }
    let wheel = try store.labels(matching: LabelFilter(category: "car_(automobile):wheel"))
    #expect(wheel.count == 2)
    let id = try #require(wheel.first?.annotation.id)
    #expect(try store.relabel(matching: LabelFilter(ids: [id]), to: "car_(automobile):body") == 1)
    let row = try #require(try store.labels(matching: LabelFilter(ids: [id])).first)
    #expect(row.category == "car_(automobile):body" && row.annotation.source == .manual && row.annotation.status == .accepted)
    #expect(row.annotation.provenance?.contains(#""relabelled_from":"car_(automobile):wheel""#) == true)
    #expect(throws: StoreError.unknownCategory(name: "spaceship")) { try store.relabel(matching: LabelFilter(ids: [id]), to: "spaceship") }
    #expect(throws: StoreError.unknownAnnotation(id: 999_999)) { try store.setStatus(.accepted, matching: LabelFilter(ids: [999_999])) }
}

@Test func exportFiltersBySourceStatusAndRunAndCarriesScores() throws {
    let (store, folder, run, objects) = try storeWithParse()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try store.upsertParsed([try parsed(store, object: objects[1], category: "mug:rim", score: 0.7, run: run)])
    let out = folder.appendingPathComponent("parsed.json").path
    let summary = try store.exportCOCO(to: out, options: ExportOptions(sources: [.parsed], runID: run))
    #expect(summary.parts == 1 && summary.objects == 0)
    let doc = try COCODocument.read(path: out)
    let part = try #require(doc.annotations.first)
    #expect(part.score == 0.7)
    #expect(doc.categories.contains { $0.name == "mug:rim" && $0.supercategory == "PART" })
    #expect(doc.vlpart?.runs.map(\.id) == [run])
    #expect(doc.vlpart?.labels.first?.provenance == #"{"method":"test"}"#)
    try store.setStatus(.rejected, matching: LabelFilter(runID: run))
    #expect(try store.exportCOCO(to: out, options: ExportOptions(runID: run)).parts == 0)
    #expect(try store.exportCOCO(to: out, options: ExportOptions(statuses: [.rejected])).parts == 1)
}

@Test func aReaderWorksWhileAWriterHoldsItsTransaction() throws {
    let (store, folder) = try makeTemporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try store.importDataset(ImportOptions(format: .paco, file: fixtureURL("store", "paco.json").path,
                                              imagesRoot: fixtureImages, dataset: "paco", role: .source))
    let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
    let writer = Thread {
        try? store.write { db in
            try db.execute(sql: "INSERT INTO dataset (name, role, format, root, imported_at) VALUES ('busy', 'target', 'coco', '.', '2026-01-01')")
            inside.signal()
            release.wait()
        }
    }
    writer.start()
    inside.wait()
    // A second connection, as another process would open: it must neither block nor see the
    // uncommitted dataset.
    let reader = try Store(path: store.path)
    #expect(try reader.stats().datasets.map(\.name) == ["paco"])
    release.signal()
    while !writer.isFinished { usleep(1000) }
    #expect(try reader.stats().datasets.map(\.name).sorted() == ["busy", "paco"])
}

@Test func pendingLabelsOfDifferentRunsCoexist() throws {
    let (store, folder, run, objects) = try storeWithParse()
    defer { try? FileManager.default.removeItem(at: folder) }
    let other = try store.createRun(kind: "parse", name: "other", params: nil).id
    let mug = objects[1]
    // Two runs propose the same part of the same object: both labels stay, each with its run.
    #expect(try store.upsertParsed([try parsed(store, object: mug, category: "mug:rim", score: 0.3, run: run)]).inserted == 1)
    #expect(try store.upsertParsed([try parsed(store, object: mug, category: "mug:rim", score: 0.7, run: other)]).inserted == 1)
    #expect(try store.labels(matching: LabelFilter(runID: run)).map(\.annotation.score) == [0.3])
    #expect(try store.labels(matching: LabelFilter(runID: other)).map(\.annotation.score) == [0.7])
    // The same run writing again (a resume) replaces only its own label: no duplicates.
    #expect(try store.upsertParsed([try parsed(store, object: mug, category: "mug:rim", score: 0.5, run: other)]).replaced == 1)
    #expect(try store.labels(matching: LabelFilter(runID: run)).map(\.annotation.score) == [0.3])
    #expect(try store.labels(matching: LabelFilter(runID: other)).map(\.annotation.score) == [0.5])
    // A person's rejection of one run's label keeps every later run from proposing it again.
    #expect(try store.setStatus(.rejected, matching: LabelFilter(runID: run)) == 1)
    let third = try store.createRun(kind: "parse", name: "third", params: nil).id
    #expect(try store.upsertParsed([try parsed(store, object: mug, category: "mug:rim", score: 0.9, run: third)]).keptHumanDecision == 1)
    #expect(try store.labels(matching: LabelFilter(runID: third)).isEmpty)
    #expect(try store.labels(matching: LabelFilter(runID: run)).map(\.annotation.status) == [.rejected])
}
