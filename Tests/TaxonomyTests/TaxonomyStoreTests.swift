import Foundation
import GRDB
import Store
import Testing
import TestSupport
@testable import Taxonomy

@Test func importingATaxonomyIsIdempotentAndUpdatesChangedContent() throws {
    let folder = try makeTemporaryDirectory("vlpart-taximport")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Store(path: folder.appendingPathComponent("s.sqlite").path, create: true)
    let yaml = folder.appendingPathComponent("t.yaml")
    try BorrowFixture.synonyms.write(to: yaml, atomically: true, encoding: .utf8)
    let first = try store.importTaxonomy(TaxonomyFile.load(path: yaml.path))
    #expect(first.action == .created && first.objects == 2 && first.newObjectCategories == 2 && first.parts == 5)
    #expect(try store.storedTaxonomyParts(named: "base_parts") == ["cat": ["head", "foot", "tail"], "car": ["wheel", "door"]])
    let second = try store.importTaxonomy(TaxonomyFile.load(path: yaml.path))
    #expect(second.action == .unchanged && second.taxonomyID == first.taxonomyID && second.newObjectCategories == 0)
    let counts = try store.read { db in (try TaxonomyRecord.fetchCount(db), try TaxonomyPart.fetchCount(db), try Category.fetchCount(db)) }
    #expect(counts == (1, 5, 2))
    try BorrowFixture.synonyms.replacingOccurrences(of: "car: [wheel, door]", with: "car: [wheel]")
        .write(to: yaml, atomically: true, encoding: .utf8)
    let third = try store.importTaxonomy(TaxonomyFile.load(path: yaml.path))
    #expect(third.action == .updated && third.parts == 4)
    #expect(try store.storedTaxonomyParts(named: "base_parts")?["car"] == ["wheel"])
    let record = try store.read { db in try TaxonomyRecord.fetchOne(db) }
    #expect(record?.origin == .file && record?.path == yaml.standardizedFileURL.path)
}

@Test func badTaxonomyFilesNameFileAndLine() throws {
    let folder = try makeTemporaryDirectory("vlpart-taximport")
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = folder.appendingPathComponent("bad.yaml")
    try "name: x\nnaming: \"object:part\"\nobjects:\n  dog: [head, head]\n".write(to: yaml, atomically: true, encoding: .utf8)
    let error = #expect(throws: TaxonomyError.self) { try TaxonomyFile.load(path: yaml.path) }
    #expect(error?.description.hasPrefix("\(yaml.path):4:") == true)
}

@Test func interactiveReviewReadsOneAnswerPerProposal() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    _ = try f.store.proposeBorrows(BorrowProposeOptions(k: 2, taxonomy: try BorrowFixture.taxonomy()))
    // bus: unknown answer, then a bad edit (re-asked), then a good edit; dog: approve.
    var answers = ["maybe", "e", "tire", "e", "tire=wheel", "a"][...]
    var output = ""
    let session = BorrowReviewSession(store: f.store, readLine: { answers.popFirst() }, write: { output += $0 })
    let summary = try session.run()
    #expect(summary == .init(approved: 1, edited: 1, rejected: 0, skipped: 0, quit: false))
    #expect(output.contains("bus ← car  score 1.000") && output.contains("runner-up: cat"))
    #expect(output.contains("example objects (annotation ids): \(f.objects["bus"]![0])"))
    #expect(output.contains("unknown answer 'maybe'") && output.contains("cannot borrow part 'tire'"))
    let entries = try f.store.borrowEntries()
    #expect(entries.map(\.status) == [.edited, .approved])
    #expect(entries[0].targetPartNames == ["bus:tire"] && entries[0].decidedAt != nil)
    // Decided proposals are not offered again; end of input ends a session quietly.
    var none = [String]()[...]
    let again = try BorrowReviewSession(store: f.store, readLine: { none.popFirst() }, write: { _ in }).run()
    #expect(again == .init())
}

@Test func quittingLeavesTheRestPending() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    _ = try f.store.proposeBorrows(BorrowProposeOptions(k: 2))
    var answers = ["x", "q"][...]
    let summary = try BorrowReviewSession(store: f.store, readLine: { answers.popFirst() }, write: { _ in }).run()
    #expect(summary.rejected == 1 && summary.quit)
    #expect(try f.store.borrowEntries().map(\.status) == [.rejected, .proposed])
}
