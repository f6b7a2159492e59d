import Foundation
import GRDB
import Imaging
import Store
import Testing
import TestSupport
@testable import Review

/// Five objects whose mean scores are, in object order, 0.6, 0.2, 0.9, 0.4, 0.1.
private let fiveObjects: [(category: String, head: Double, leg: Double)] = [
    ("dog", 0.5, 0.7), ("dog", 0.1, 0.3), ("bird", 0.8, 1.0), ("bird", 0.3, 0.5), ("dog", 0.0, 0.2),
]

private func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

/// Object ids in page order, from the cards' `id="o<id>"` anchors.
private func objectIDs(in html: String) -> [Int64] {
    html.matches(of: /<section class="obj" id="o(\d+)"/).compactMap { Int64($0.1) }
}

/// The ids in a page's copy box.
func copyBoxIDs(in html: String) -> [Int64] {
    guard let match = html.firstMatch(of: /<textarea id="ids"[^>]*>([^<]*)<\/textarea>/) else { return [] }
    return match.1.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int64($0) }
}

private func options(run: String? = "r1", pageSize: Int = 50, sort: ReviewSort = .score,
                     statuses: [LabelStatus]? = nil) -> ReviewOptions {
    var o = ReviewOptions()
    o.run = run; o.pageSize = pageSize; o.sort = sort; o.statuses = statuses
    return o
}

@Test func pagesHoldPageSizeObjectsLeastConfidentFirst() throws {
    let fixture = try ReviewFixture(objects: fiveObjects)
    defer { fixture.remove() }
    let out = fixture.folder.appendingPathComponent("site")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try Data("stale".utf8).write(to: out.appendingPathComponent("objects-9.html"))
    try Data("mine".utf8).write(to: out.appendingPathComponent("notes.html"))
    var reported: [(Int, Int)] = []
    let summary = try ReviewSite(store: fixture.store, options: options(pageSize: 2)).write(to: out) { reported.append(($0, $1)) }
    #expect(summary.objects == 5 && summary.parts == 10 && summary.pages == 3)
    // Five objects, and the one base object drawn once per target category (its colours follow
    // the target's borrowed parts): for dog as img/obj-<base>.png, for bird with a suffix.
    #expect(summary.pictures == 7 && summary.pictureFailures == 0)
    #expect(reported.map(\.0) == [2, 4, 5] && reported.allSatisfy { $0.1 == 5 })
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("objects-9.html").path))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("notes.html").path))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("objects-4.html").path))

    let ids = fixture.objectIDs
    var seen: [Int64] = []
    for page in 1...3 {
        let html = try read(out.appendingPathComponent("objects-\(page).html"))
        let onPage = objectIDs(in: html)
        #expect(onPage.count == (page < 3 ? 2 : 1))
        seen += onPage
        // The copy box holds exactly the part label ids of the page's objects.
        let expected = onPage.flatMap { id in fixture.partIDs[ids.firstIndex(of: id)!] }
        #expect(copyBoxIDs(in: html).sorted() == expected.sorted())
        #expect(html.contains("page \(page) of 3"))
        #expect(html.contains("href=\"objects-\(page + 1).html\"") == (page < 3))
        #expect(html.contains("href=\"objects-\(page - 1).html\"") == (page > 1))
    }
    // Mean scores 0.6, 0.2, 0.9, 0.4, 0.1 → objects 5, 2, 4, 1, 3.
    #expect(seen == [ids[4], ids[1], ids[3], ids[0], ids[2]])
    for id in ids + [fixture.baseObjectID] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("img/obj-\(id).png").path), "obj-\(id).png")
    }
    let images = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("img").path)
    #expect(images.filter { $0.hasPrefix("obj-\(fixture.baseObjectID)-for-") }.count == 1, "\(images)")
}

@Test func categorySortGroupsCategoriesAndIndexLinksWhereEachStarts() throws {
    let fixture = try ReviewFixture(objects: fiveObjects)
    defer { fixture.remove() }
    let out = fixture.folder.appendingPathComponent("site")
    _ = try ReviewSite(store: fixture.store, options: options(pageSize: 2, sort: .category)).write(to: out)
    let order = try (1...3).flatMap { objectIDs(in: try read(out.appendingPathComponent("objects-\($0).html"))) }
    let ids = fixture.objectIDs
    // bird (0.9, 0.4 → ascending) then dog (0.6, 0.2, 0.1 → ascending).
    #expect(order == [ids[3], ids[2], ids[4], ids[1], ids[0]])
    let index = try read(out.appendingPathComponent("index.html"))
    #expect(index.contains("<a href=\"objects-1.html\">bird</a>") && index.contains("<a href=\"objects-2.html\">dog</a>"))
}

@Test func indexCountsAndHistogramsMatchTheLabels() throws {
    let fixture = try ReviewFixture(objects: fiveObjects)
    defer { fixture.remove() }
    try fixture.store.setStatus(.rejected, matching: LabelFilter(ids: fixture.partIDs[0]))
    try fixture.store.setStatus(.accepted, matching: LabelFilter(ids: [fixture.partIDs[2][0]]))
    let run = try fixture.store.run("r1")
    let counts = try fixture.store.read { db in try PartSelection(runID: run.id, statuses: nil).counts(db, bins: 10) }
    #expect(counts.objects == 5 && counts.parts == 10)
    #expect(counts.byStatus == [.rejected: 2, .accepted: 1, .pending: 7])
    let dog = try #require(counts.objectCategories.first { $0.name == "dog" })
    #expect(dog.objects == 3 && dog.parts == 6 && dog.rejected == 2 && dog.pending == 4 && dog.accepted == 0)
    #expect(abs((dog.meanScore ?? 0) - 0.3) < 1e-9)   // (0.5 + 0.7 + 0.1 + 0.3 + 0 + 0.2) / 6
    #expect(counts.partCategories.map(\.name) == ["bird:head", "bird:leg", "dog:head", "dog:leg"])
    let partScores = fiveObjects.flatMap { [$0.head, $0.leg] }
    #expect(counts.partScores == ScoreHistogram(scores: partScores, bins: 10))
    #expect(counts.objectScores == ScoreHistogram(scores: fiveObjects.map { ($0.head + $0.leg) / 2 }, bins: 10))

    let pending = try fixture.store.read { db in try PartSelection(runID: run.id, statuses: [.pending]).counts(db) }
    #expect(pending.objects == 4 && pending.parts == 7)

    let out = fixture.folder.appendingPathComponent("site")
    let summary = try ReviewSite(store: fixture.store, options: options(statuses: [.pending])).write(to: out)
    #expect(summary.objects == 4 && summary.parts == 7 && summary.pages == 1)
    let index = try read(out.appendingPathComponent("index.html"))
    #expect(index.contains("<b>4</b> objects, <b>7</b> part labels: 7 pending, 0 accepted, 0 rejected"))
    #expect(index.components(separatedBy: "<rect class=\"bar\"").count - 1 == 40)   // two histograms of 20 bins
    let page = try read(out.appendingPathComponent("objects-1.html"))
    #expect(!objectIDs(in: page).contains(fixture.objectIDs[0]))
    #expect(!copyBoxIDs(in: page).contains(fixture.partIDs[2][0]))
}

@Test func everyStoreStringIsEscaped() throws {
    let hostile = "dog<script>alert('x')</script>&\"q\""
    let fixture = try ReviewFixture(objects: [(hostile, 0.4, 0.6), ("cat & mouse", 0.2, 0.3)])
    defer { fixture.remove() }
    let out = fixture.folder.appendingPathComponent("site")
    _ = try ReviewSite(store: fixture.store, options: options()).write(to: out)
    for name in ["index.html", "objects-1.html", "taxonomy.html"] {
        let html = try read(out.appendingPathComponent(name))
        #expect(!html.contains("<script>alert"), "\(name)")
        #expect(!html.contains("cat & mouse"), "\(name)")
        #expect(html.contains("dog&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;"), "\(name)")
        #expect(html.components(separatedBy: "<script>").count == 2, "\(name): only the page's own script")
    }
}

@Test func defaultRunIsTheNewestAndOtherRunsStayOut() throws {
    let fixture = try ReviewFixture(objects: fiveObjects)
    defer { fixture.remove() }
    let site = ReviewSite(store: fixture.store, options: options(run: nil))
    #expect(try site.resolveRun().name == "r2")
    let out = fixture.folder.appendingPathComponent("site")
    let summary = try site.write(to: out)
    #expect(summary.runName == "r2" && summary.objects == 1 && summary.parts == 1)
    #expect(copyBoxIDs(in: try read(out.appendingPathComponent("objects-1.html"))) == [fixture.otherRunPartID])
    let r1 = try ReviewSite(store: fixture.store, options: options(run: "1")).write(to: out)
    let r1Page = try read(out.appendingPathComponent("objects-1.html"))
    #expect(r1.runName == "r1" && !copyBoxIDs(in: r1Page).contains(fixture.otherRunPartID))
    #expect(throws: StoreError.self) { try ReviewSite(store: fixture.store, options: options(run: "nope")).write(to: out) }
    #expect(throws: ReviewError.badPageSize(0)) { try ReviewSite(store: fixture.store, options: options(pageSize: 0)).write(to: out) }
}

@Test func picturesShowPartsInTaxonomyColoursAndFailuresStayOnThePage() throws {
    let fixture = try ReviewFixture(objects: [("dog", 0.25, 0.75), ("dog", 0.5, 0.5)])
    defer { fixture.remove() }
    let out = fixture.folder.appendingPathComponent("site")
    // The second object's image goes missing: its card says so, the site is still written.
    try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent("images/t1.png"))
    let summary = try ReviewSite(store: fixture.store, options: options()).write(to: out)
    #expect(summary.pictureFailures == 1 && summary.pictures == 2)
    let page = try read(out.appendingPathComponent("objects-1.html"))
    #expect(page.contains("picture unavailable") && page.contains("t1.png"))
    #expect(page.contains("borrowed from base object \(fixture.baseObjectID) (cat, similarity 0.875)"))

    for id in [fixture.objectIDs[0], fixture.baseObjectID] {
        let picture = try Image.read(path: out.appendingPathComponent("img/obj-\(id).png").path)
        // Crop 36×30 + margin 4 → 44×38 (target) or 48×40 → scaled ×4 (target); legend on the right.
        #expect(picture.height >= 150 && picture.width > picture.height)
        var head = 0, leg = 0
        let headColor = Palette.color(0), legColor = Palette.color(1)
        for p in stride(from: 0, to: picture.pixels.count, by: 3) {
            let c = Color(picture.pixels[p], picture.pixels[p + 1], picture.pixels[p + 2])
            if c == headColor { head += 1 } else if c == legColor { leg += 1 }
        }
        // Outlines and legend swatches are drawn in the solid part colours.
        #expect(head > 100 && leg > 100, "obj-\(id): head \(head) leg \(leg) solid pixels")
    }
    #expect(page.contains("background:#f3c300") && page.contains("background:#875692"))   // head, leg swatches
}
