import Foundation
import Features
import Store
import Testing
import TestSupport
@testable import Parsing

/// `--facing learned` learns from every source category carrying the borrowed parts by name: a
/// dog borrowing the cat's parts learns front and back from the other quadrupeds too, never
/// from birds or vehicles (which share some names, not all), each mapped by part name.
@Test func facingPoolTakesTheCategoriesCarryingEveryBorrowedPart() throws {
    let dir = try makeTemporaryDirectory("vlpart-facing-pool")
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data").path, db = dir.appendingPathComponent("s.sqlite").path
    for args in [["synth", data, "--seed", "3", "--images", "24", "--size", "48", "--folder-images", "0"],
                 ["import", "paco", data + "/source.json", "--images", data + "/images", "--dataset", "src", "--role", "source", "--db", db]] {
        let r = try runVLPart(args)
        #expect(r.status == 0, "\(args[0]): \(r.stderr)")
    }
    let store = try Store(path: db)
    let extractor = try FeatureExtractor(checkpoint: fixtureURL("features", "dino_tiny.safetensors").path, heads: 2)
    let cache = FeatureCache(store: store, modelSHA: "test", settings: FeatureSettings(size: 64))
    let builder = FeatureCacheBuilder(store: store, extractor: extractor, cache: cache)
    let sources = try store.objects(role: .source)
    try builder.run(objects: sources)
    let categoryOf = Dictionary(sources.map { ($0.categoryName, $0.annotation.categoryID) }, uniquingKeysWith: { a, _ in a })
    let cat = try #require(categoryOf["cat"], "the synthetic set has no cat: \(categoryOf.keys.sorted())")
    let catParts = try store.partCategories(ofObject: cat)
    let plan = BorrowPlan(targetCategoryID: 999, baseCategoryIDs: [cat], partNames: catParts.map(\.part),
                          basePartCategoryIDs: catParts.map { [$0.id] })
    let runner = ParseRunner(store: store, cache: cache, builder: builder, plans: [999: plan], options: ParseRunOptions())
    try runner.loadBaseBank()

    let pool = try runner.facingPoolPlans(plan)
    let quadrupeds = Set(["cat", "horse", "cow", "sheep"].compactMap { categoryOf[$0] })
    #expect(pool.first?.category == cat, "the borrowed category comes first")
    #expect(Set(pool.map(\.category)) == quadrupeds, "pool \(pool.map(\.category)), quadrupeds \(quadrupeds)")
    #expect(quadrupeds.count >= 2, "too few quadruped categories in the synthetic set to test a pool")
    for (category, p) in pool where category != cat {
        // Each pool plan maps the borrowed names onto the pool category's own part categories.
        let names = Dictionary(try store.partCategories(ofObject: category).map { ($0.id, $0.part) }, uniquingKeysWith: { a, _ in a })
        #expect(p.basePartCategoryIDs.map { $0.compactMap { names[$0] } } == catParts.map { [$0.part] })
    }
    // The model learns the quadrupeds' head and tail at opposite ends of the box.
    let model = try #require(try runner.facingModel(plan))
    let head = try #require(catParts.firstIndex { $0.part == "head" }), tail = try #require(catParts.firstIndex { $0.part == "tail" })
    #expect(model.partFront[head + 1] * model.partFront[tail + 1] < 0, "partFront \(model.partFront)")
    #expect(abs(model.partFront[head + 1]) > 0.2 && abs(model.partFront[tail + 1]) > 0.2, "partFront \(model.partFront)")
}
