import Foundation
import GRDB
import Store
import Testing
import TestSupport
@testable import Review

private let objects: [(category: String, head: Double, leg: Double)] = [
    ("dog", 0.5, 0.7), ("dog", 0.1, 0.3), ("bird", 0.8, 1.0), ("bird", 0.3, 0.5), ("dog", 0.0, 0.2),
]

private func statuses(_ store: Store, _ ids: [Int64]) throws -> [LabelStatus] {
    try store.read { db in try ids.map { try Annotation.fetchOne(db, key: $0)!.status } }
}

/// The review loop from the terminal: the ids in a page's copy box, saved as a file, reject
/// exactly those labels; `label accept --run NAME --status pending` accepts the rest of the run.
@Test func copyBoxIDsRoundTripThroughLabelDecisions() throws {
    let fixture = try ReviewFixture(objects: objects)
    defer { fixture.remove() }
    let db = fixture.store.path
    let site = fixture.folder.appendingPathComponent("site")
    let review = try runVLPart(["review", "--out", site.path, "--run", "r1", "--page-size", "2", "--db", db])
    #expect(review.status == 0, "\(review.stderr)")
    #expect(review.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == site.appendingPathComponent("index.html").path)

    // Page 1 holds the two least confident objects (mean 0.1 and 0.2): objects 5 and 2.
    let page = try String(contentsOf: site.appendingPathComponent("objects-1.html"), encoding: .utf8)
    let box = try #require(page.firstMatch(of: /<textarea id="ids"[^>]*>([^<]*)<\/textarea>/)).1
    let idsFile = fixture.folder.appendingPathComponent("bad.txt")
    try Data(box.utf8).write(to: idsFile)
    let rejectedIDs = fixture.partIDs[4] + fixture.partIDs[1]
    #expect(copyBoxIDs(in: page).sorted() == rejectedIDs.sorted())

    let reject = try runVLPart(["label", "reject", "--ids-file", idsFile.path, "--db", db])
    #expect(reject.status == 0 && reject.stdout.contains("rejected 4 labels"), "\(reject.stdout)\(reject.stderr)")
    let accept = try runVLPart(["label", "accept", "--run", "r1", "--status", "pending", "--db", db])
    #expect(accept.status == 0 && accept.stdout.contains("accepted 6 labels"), "\(accept.stdout)\(accept.stderr)")

    #expect(try statuses(fixture.store, rejectedIDs).allSatisfy { $0 == .rejected })
    let others = fixture.partIDs[0] + fixture.partIDs[2] + fixture.partIDs[3]
    #expect(try statuses(fixture.store, others).allSatisfy { $0 == .accepted })
    #expect(try statuses(fixture.store, [fixture.otherRunPartID]) == [.pending], "run r2 is untouched")

    // By id works too, and the decisions show up in the next review.
    let list = try runVLPart(["label", "list", "--run", "2", "--db", db])
    #expect(list.status == 0 && list.stdout.hasPrefix("\(fixture.otherRunPartID) "), "\(list.stdout)\(list.stderr)")
    let unknown = try runVLPart(["label", "accept", "--run", "r9", "--db", db])
    #expect(unknown.status != 0 && unknown.stderr.contains("no run named or numbered r9"), "\(unknown.stderr)")
    let again = try runVLPart(["review", "--out", site.path, "--run", "r1", "--status", "pending", "--json", "--db", db])
    #expect(again.status == 0, "\(again.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
    #expect(json["objects"] as? Int == 0 && json["parts"] as? Int == 0 && json["pages"] as? Int == 1)
    #expect(json["run_name"] as? String == "r1" && json["index"] as? String == site.appendingPathComponent("index.html").path)
    #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("objects-2.html").path))
}

@Test func reviewRefusesBadFlags() throws {
    let fixture = try ReviewFixture(objects: Array(objects.prefix(1)))
    defer { fixture.remove() }
    let out = fixture.folder.appendingPathComponent("site").path
    let badSort = try runVLPart(["review", "--out", out, "--sort", "size", "--db", fixture.store.path])
    #expect(badSort.status != 0 && badSort.stderr.contains("score"), "\(badSort.stderr)")
    let badStatus = try runVLPart(["review", "--out", out, "--status", "maybe", "--db", fixture.store.path])
    #expect(badStatus.status != 0 && badStatus.stderr.contains("pending, accepted, rejected"))
    let badPage = try runVLPart(["review", "--out", out, "--page-size", "0", "--db", fixture.store.path])
    #expect(badPage.status != 0 && badPage.stderr.contains("--page-size"))
    let notParse = try runVLPart(["review", "--out", out, "--run", "nope", "--db", fixture.store.path])
    #expect(notParse.status != 0 && notParse.stderr.contains("no run named or numbered nope"))
}
