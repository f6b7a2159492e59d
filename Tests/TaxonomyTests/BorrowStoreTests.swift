import Foundation
import GRDB
import Store
import Testing
import TestSupport
@testable import Taxonomy

private func propose(_ f: BorrowFixture, k: Int = 2, text: ((String, String) -> Double)? = nil) throws -> BorrowProposeOutcome {
    try f.store.proposeBorrows(BorrowProposeOptions(k: k, taxonomy: try BorrowFixture.taxonomy()), textSimilarity: text)
}

@Test func proposesTheVisuallyNearestBaseWithRenamedParts() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    let outcome = try propose(f)
    #expect(outcome.modelSHA == BorrowFixture.model && outcome.layer == 11)
    let byTarget = Dictionary(uniqueKeysWithValues: outcome.results.map { ($0.entry.target, $0) })
    let dog = try #require(byTarget["dog"])
    #expect(dog.action == .proposed && dog.entry.status == .proposed)
    #expect(dog.entry.base == "cat" && dog.entry.baseCategoryID == f.categories["cat"])
    #expect(dog.entry.targetPartNames == ["dog:head", "dog:foot", "dog:tail"])
    #expect(dog.entry.parts.map(\.basePart) == ["head", "paw", "tail"])
    #expect(dog.entry.parts.map(\.baseCategoryID) == [f.categories["cat:head"]!, f.categories["cat:paw"]!, f.categories["cat:tail"]!])
    #expect(dog.entry.runnerUps.first?.category == "car")
    #expect(dog.entry.score > dog.entry.runnerUps[0].score)
    #expect(dog.proposal.objects == 2)
    let bus = try #require(byTarget["bus"])
    #expect(bus.entry.base == "car" && bus.entry.targetPartNames == ["bus:wheel", "bus:door"])
    // Stored as pending, and not yet usable by the parser.
    let stored = try f.store.borrowEntries()
    #expect(stored.map(\.target) == ["bus", "dog"] && stored.allSatisfy { $0.status == .proposed && $0.decidedAt == nil })
    #expect(try f.store.approvedBorrow(forTargetCategory: f.categories["dog"]!) == nil)
    // Targets never borrow from themselves or from categories without parts.
    #expect(!stored.contains { ["dog", "bus"].contains($0.base) })
}

@Test func textPriorCanOverturnAWeakVisualVote() throws {
    // The dog's only object sits exactly between cat and car; the name prior decides.
    let f = try BorrowFixture(vectors: ["cat": [[1, 0, 0]], "car": [[0, 1, 0]], "dog": [[1, 1, 0]], "bus": [[0, 1, 0]]])
    defer { f.remove() }
    let text: (String, String) -> Double = { target, base in (target == "dog") == (base == "cat") ? 0.7 : 0.1 }
    let outcome = try propose(f, text: text)
    #expect(outcome.results.first { $0.entry.target == "dog" }?.entry.base == "cat")
    let flipped = try f.store.proposeBorrows(BorrowProposeOptions(k: 2), textSimilarity: { t, b in (t == "dog") == (b == "car") ? 0.7 : 0.1 })
    #expect(flipped.results.first { $0.entry.target == "dog" }?.entry.base == "car")
    #expect(flipped.results.first { $0.entry.target == "dog" }?.action == .refreshed)
}

@Test func decidedProposalsSurviveReproposeAndPendingOnesRefresh() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    _ = try propose(f)
    let when = Date(timeIntervalSince1970: 1_700_000_000)
    try f.store.decideBorrow(category: "dog", decision: .approve, now: when)
    let before = try f.store.borrowEntries()
    // Move every target object next to the other base: a fresh vote flips both proposals.
    try f.setVector("dog", 0, [0, 1, 0]); try f.setVector("dog", 1, [0, 0.9, 0.1])
    try f.setVector("bus", 0, [1, 0, 0])
    let again = try propose(f)
    let dog = try #require(again.results.first { $0.entry.target == "dog" })
    #expect(dog.action == .kept && dog.proposal.base == "car")
    let bus = try #require(again.results.first { $0.entry.target == "bus" })
    #expect(bus.action == .refreshed && bus.entry.base == "cat")
    let after = try f.store.borrowEntries()
    #expect(after.first { $0.target == "dog" } == before.first { $0.target == "dog" })
    #expect(after.first { $0.target == "dog" }?.decidedAt == when)
    // A rejection survives too.
    try f.store.decideBorrow(category: "bus", decision: .reject)
    let rejected = try f.store.borrowEntries().first { $0.target == "bus" }
    try f.setVector("bus", 0, [0, 1, 0])
    _ = try propose(f)
    #expect(try f.store.borrowEntries().first { $0.target == "bus" } == rejected)
    #expect(try f.store.read { db in try Borrow.fetchCount(db) } == 2)
}

@Test func approvedBorrowAlignsPartNamesWithBasePartIDs() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    _ = try propose(f)
    let edited = try f.store.decideBorrow(category: "Dog", decision: .edit(parts: ["tail", "paw", "muzzle=head"]))
    #expect(edited.entry.status == .edited && !edited.overrodeDecision)
    let borrow = try #require(try f.store.approvedBorrow(forTargetCategory: f.categories["dog"]!))
    #expect(borrow.baseCategoryID == f.categories["cat"])
    #expect(borrow.partNames == ["tail", "foot", "muzzle"])
    #expect(borrow.basePartCategoryIDs == [f.categories["cat:tail"]!, f.categories["cat:paw"]!, f.categories["cat:head"]!])
    #expect(throws: BorrowError.self) { try f.store.decideBorrow(category: "dog", decision: .edit(parts: ["wheel"])) }
    #expect(throws: BorrowError.self) { try f.store.decideBorrow(category: "dog", decision: .edit(parts: ["head", "muzzle=head", "head"])) }
    #expect(throws: BorrowError.self) { try f.store.decideBorrow(category: "cow", decision: .approve) }
    // A repeated name folds base parts into one (the novel object has no tail of its own); names
    // resolve against the current list (muzzle ← head, foot ← paw). The same base part twice is
    // still refused.
    _ = try f.store.decideBorrow(category: "dog", decision: .edit(parts: ["muzzle", "paw", "muzzle=tail"]))
    let folded = try #require(try f.store.approvedBorrow(forTargetCategory: f.categories["dog"]!))
    #expect(folded.partNames == ["muzzle", "foot", "muzzle"])
    #expect(folded.basePartCategoryIDs == [f.categories["cat:head"]!, f.categories["cat:paw"]!, f.categories["cat:tail"]!])
    #expect(try f.store.borrowEntries().first { $0.target == "dog" }?.targetPartNames == ["dog:muzzle", "dog:foot"])
    #expect(throws: BorrowError.self) { try f.store.decideBorrow(category: "dog", decision: .edit(parts: ["tail", "tail"])) }
    // Overriding an earlier decision must name the category and is reported.
    let rejected = try f.store.decideBorrow(category: "dog", decision: .reject)
    #expect(rejected.overrodeDecision && rejected.previousStatus == .edited)
    #expect(try f.store.approvedBorrow(forTargetCategory: f.categories["dog"]!) == nil)
}

@Test func runnerUpAndApproveAllFlags() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    _ = try propose(f)
    let swapped = try f.store.decideBorrow(category: "bus", decision: .runnerUp, taxonomy: try BorrowFixture.taxonomy())
    #expect(swapped.entry.base == "cat" && swapped.entry.status == .edited)
    #expect(swapped.entry.targetPartNames == ["bus:head", "bus:foot", "bus:tail"])
    #expect(swapped.entry.runnerUps.first?.category == "car")
    let dogScore = try #require(try f.store.borrowEntries().first { $0.target == "dog" }?.score)
    #expect(try f.store.approveAllBorrows(minScore: dogScore + 0.01).isEmpty)
    let approved = try f.store.approveAllBorrows(minScore: dogScore)
    #expect(approved.map(\.target) == ["dog"])
    // Bulk approval never touches decided proposals.
    #expect(try f.store.borrowEntries().first { $0.target == "bus" }?.status == .edited)
    #expect(try f.store.approveAllBorrows(minScore: 0).isEmpty)
}

@Test func exportedBorrowsLoadAsATaxonomy() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    _ = try propose(f)
    let out = f.folder.appendingPathComponent("borrowed.yaml").path
    #expect(try f.store.exportBorrowedTaxonomy(to: out) == 0)
    #expect(!FileManager.default.fileExists(atPath: out))
    try f.store.decideBorrow(category: "dog", decision: .approve)
    try f.store.decideBorrow(category: "bus", decision: .reject)
    #expect(try f.store.exportBorrowedTaxonomy(to: out, name: "my \"borrowed\"") == 1)
    let file = try TaxonomyFile.load(path: out)
    #expect(file.name == "my \"borrowed\"" && file.naming == .objectColonPart)
    #expect(file.objects.map(\.name) == ["dog"])
    #expect(file.objects[0].parts == ["head", "foot", "tail"])
}

@Test func missingOrAmbiguousEmbeddingsFailClearly() throws {
    let f = try BorrowFixture()
    defer { f.remove() }
    try f.store.write { db in
        var e = Embedding(owner: "annotation", ownerID: f.objects["dog"]![0], modelSHA: "bbbb2222", facet: "cls", layer: 11, vector: [1, 0, 0])
        try e.insert(db)
    }
    #expect(throws: BorrowError.ambiguousModel(store: f.store.path, models: ["aaaa1111", "bbbb2222"])) { try propose(f) }
    #expect(throws: BorrowError.self) { try f.store.proposeBorrows(BorrowProposeOptions(modelSHA: "cccc")) }
    // The second model has no base vectors at all: choosing it by prefix says so.
    #expect(throws: BorrowError.noBases(store: f.store.path)) {
        try f.store.proposeBorrows(BorrowProposeOptions(k: 2, modelSHA: "bbbb"))
    }
    #expect(try f.store.proposeBorrows(BorrowProposeOptions(k: 2, modelSHA: "aaaa")).results.count == 2)
    _ = try f.store.write { db in try Embedding.deleteAll(db) }
    let error = #expect(throws: BorrowError.self) { try propose(f) }
    #expect(error?.description.contains("vlpart features cache") == true)
}
