import Features
import Foundation
import Imaging
import Store
import Testing
import TestSupport
@testable import Parsing

/// A store with the PACO fixture as the source (a car with wheel and body parts, a mug with a
/// handle) and the same images' objects without parts as the target, features cached with the
/// tiny DINO checkpoint, and a plan that lets the target car borrow the base car's parts. The
/// target car is the base car, so every patch finds itself: the parse must recover its parts.
private func parseFixture() throws -> (URL, Store, FeatureCache, FeatureCacheBuilder, [Int64: BorrowPlan]) {
    let dir = try makeTemporaryDirectory("vlpart-parse")
    let db = dir.appendingPathComponent("s.sqlite").path
    let images = fixtureURL("store", "images").path
    var paco = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("store", "paco.json"))) as! [String: Any]
    let objects = (paco["annotations"] as! [[String: Any]]).filter { ($0["id"] as! Int) == ($0["obj_ann_id"] as! Int) }
    paco["annotations"] = objects.map { $0.filter { $0.key != "obj_ann_id" } }
    paco["categories"] = (paco["categories"] as! [[String: Any]]).filter { !($0["name"] as! String).contains(":") }
    paco["part_categories"] = nil
    paco["attributes"] = nil
    let targetJSON = dir.appendingPathComponent("target.json")
    try JSONSerialization.data(withJSONObject: paco).write(to: targetJSON)
    for (format, file, name, role) in [("paco", fixtureURL("store", "paco.json").path, "base", "source"),
                                       ("coco", targetJSON.path, "tgt", "target")] {
        let r = try runVLPart(["import", format, file, "--images", images, "--dataset", name, "--role", role, "--db", db])
        #expect(r.status == 0, "\(r.stderr)")
    }
    let store = try Store(path: db)
    let extractor = try FeatureExtractor(checkpoint: fixtureURL("features", "dino_tiny.safetensors").path, heads: 2)
    let cache = FeatureCache(store: store, modelSHA: "test", settings: FeatureSettings(size: 64))
    let builder = FeatureCacheBuilder(store: store, extractor: extractor, cache: cache)
    try builder.run(objects: try store.objects(role: .source))
    let car = try #require(try store.objects(role: .source).first { $0.categoryName == "car_(automobile)" })
    let carParts = try store.partCategories(ofObject: car.annotation.categoryID)
    let plan = BorrowPlan(targetCategoryID: car.annotation.categoryID, baseCategoryIDs: [car.annotation.categoryID],
                          partNames: carParts.map(\.part), basePartCategoryIDs: carParts.map { [$0.id] })
    return (dir, store, cache, builder, [car.annotation.categoryID: plan])
}

private func parsedLabels(_ store: Store, run: Int64) throws -> [String] {
    try store.labels(matching: LabelFilter(runID: run)).map {
        "\($0.annotation.imageID)/\($0.category)/\($0.annotation.parentID ?? -1)/\($0.annotation.rle)"
    }.sorted()
}

@Test func parseRunWritesPartsInsideTargetsResumesAndShards() throws {
    let (dir, store, cache, builder, plans) = try parseFixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    let targets = try store.objects(role: .target).map { $0.annotation.id! }
    // A random tiny model's descriptors are nearly alike, so only a patch's own match is
    // trustworthy: one neighbour and every patch on its own vote make the transfer exact, which
    // tests the plumbing (crops, grids, masks, store) rather than the features.
    var options = ParseRunOptions()
    options.k = 2
    options.parameters.neighbours = 1

    let run = try store.createRun(kind: "parse", name: "first", params: nil)
    try store.addWorkItems(runID: run.id, annotationIDs: targets)
    let runner = ParseRunner(store: store, cache: cache, builder: builder, plans: plans, options: options)
    let stats = try runner.run(runID: run.id, limit: 2)
    #expect(stats.parsed + stats.skippedNoTaxonomy == 2)
    let rest = try runner.run(runID: run.id)
    #expect(try store.openWorkItems(runID: run.id).count == rest.skippedNoTaxonomy + rest.failed)
    #expect(stats.parsed + rest.parsed == 1, "only the car has an approved taxonomy")
    #expect(stats.parts + rest.parts > 0)
    let labels = try store.labels(matching: LabelFilter(runID: run.id))
    let errors = try store.workItemErrors(runID: run.id)
    try #require(!labels.isEmpty, "no parsed labels: \(stats) \(rest) \(errors)")
    #expect(!labels.isEmpty && labels.allSatisfy {
        $0.category.hasPrefix("car_(automobile):") && $0.annotation.source == .parsed && $0.annotation.score != nil
    })
    // Provenance says the masks were refined against the image (on by default).
    #expect(labels.allSatisfy { $0.annotation.provenance?.contains("\"refine_iterations\":10") == true })
    // …and, per retrieved base, which way it was turned.
    for label in labels {
        let json = try JSONSerialization.jsonObject(with: Data((label.annotation.provenance ?? "{}").utf8)) as? [String: Any]
        let bases = json?["bases"] as? [Any], mirrored = json?["mirrored"] as? [Bool]
        #expect(bases != nil && mirrored?.count == bases?.count, "provenance: \(label.annotation.provenance ?? "none")")
    }
    // Every parsed part lies inside its object's mask and overlaps the gold part it copies
    // (8×8 patches on a 39×42 box bound the overlap well below 1).
    let car = try #require(try store.objects(role: .target).first { $0.categoryName == "car_(automobile)" })
    let (w, h) = (car.image.width, car.image.height)
    let object = try RLE(compressed: car.annotation.rle, width: w, height: h).decode()
    let gold = try store.labels(matching: LabelFilter(dataset: "base", sources: [.gold]))
    for l in labels {
        let part = try RLE(compressed: l.annotation.rle, width: w, height: h).decode()
        #expect(part.subtracting(object).area == 0)
        let truth = try gold.filter { $0.category == l.category }
            .map { try RLE(compressed: $0.annotation.rle, width: w, height: h).decode() }
            .reduce(Mask(width: w, height: h)) { $0.union($1) }
        #expect(part.iou(truth) > 0.4, "\(l.category): IoU \(part.iou(truth)) with the gold part")
    }
    // A second run over the same objects: two shards give what one process gave, and a
    // label a person rejected stays rejected and is not re-proposed.
    let oneProcess = try parsedLabels(store, run: run.id)
    _ = try store.setStatus(.rejected, matching: LabelFilter(ids: [labels[0].annotation.id!]))
    let sharded = try store.createRun(kind: "parse", name: "sharded", params: nil)
    try store.addWorkItems(runID: sharded.id, annotationIDs: targets)
    for shard in 0..<2 { _ = try runner.run(runID: sharded.id, shard: shard, shards: 2) }
    let again = try parsedLabels(store, run: sharded.id)
    let first = try parsedLabels(store, run: run.id)
    #expect(first == oneProcess, "the first run keeps its labels: runs coexist, the rejected one stays rejected")
    #expect(try store.labels(matching: LabelFilter(runID: run.id, statuses: [.rejected])).count == 1)
    #expect(again.count == labels.count - 1, "the rejected part is not proposed again")
    let rejected = "\(labels[0].annotation.imageID)/\(labels[0].category)/\(labels[0].annotation.parentID ?? -1)/\(labels[0].annotation.rle)"
    #expect(Set(again) == Set(oneProcess).subtracting([rejected]), "shards reproduce the one-process labels")
    #expect(throws: StoreError.self) { try store.createRun(kind: "parse", name: "first", params: nil) }
    #expect(try store.run("sharded").id == sharded.id && (try store.run("\(run.id)")).name == "first")
}
