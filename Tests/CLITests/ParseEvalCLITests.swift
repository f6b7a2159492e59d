import Foundation
import Testing
import TestSupport

/// The whole command-line loop on the store fixtures: import a source with parts and a target
/// without, cache features, propose and auto-approve a borrowed taxonomy, parse, resume, and
/// score the parse against ground truth.
@Test func importCacheProposeParseEvaluate() throws {
    let dir = try makeTemporaryDirectory("vlpart-loop")
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("s.sqlite").path
    let images = fixtureURL("store", "images").path
    var paco = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("store", "paco.json"))) as! [String: Any]
    // The target holds the car alone (objects only); a category is never its own base, so the
    // car borrows from the mug, the one other base category with parts.
    let all = (paco["categories"] as! [[String: Any]])
    let car = all.first { ($0["name"] as! String) == "car_(automobile)" }!
    paco["annotations"] = (paco["annotations"] as! [[String: Any]])
        .filter { ($0["id"] as! Int) == ($0["obj_ann_id"] as! Int) && ($0["category_id"] as! Int) == (car["id"] as! Int) }
        .map { $0.filter { $0.key != "obj_ann_id" } }
    paco["categories"] = [car]
    paco["part_categories"] = nil
    paco["attributes"] = nil
    let target = dir.appendingPathComponent("target.json")
    try JSONSerialization.data(withJSONObject: paco).write(to: target)

    let model = fixtureURL("features", "dino_tiny.safetensors").path
    let steps: [[String]] = [
        ["import", "paco", fixtureURL("store", "paco.json").path, "--images", images, "--dataset", "base", "--role", "source"],
        ["import", "coco", target.path, "--images", images, "--dataset", "tgt", "--role", "target"],
        ["features", "cache", "--model", model, "--heads", "2", "--size", "64"],
        ["taxonomy", "propose", "--no-text"],
    ]
    for args in steps {
        let r = try runVLPart(args + ["--db", db])
        #expect(r.status == 0, "\(args.prefix(2)): \(r.stderr)")
    }
    let noTaxonomy = try runVLPart(["parse", "--model", model, "--heads", "2", "--size", "64", "--db", db])
    #expect(noTaxonomy.status != 0 && noTaxonomy.stderr.contains("taxonomy"), "\(noTaxonomy.stderr)")
    let parse = try runVLPart(["parse", "--model", model, "--heads", "2", "--size", "64", "--run", "r1", "--auto-approve",
                               "--limit", "0", "--db", db])
    #expect(parse.status == 0, "\(parse.stderr)")
    #expect(parse.stdout.contains("run r1") && parse.stdout.contains("1 objects still open"), "\(parse.stdout)")
    let resumed = try runVLPart(["parse", "--model", model, "--heads", "2", "--size", "64", "--resume", "r1", "--db", db])
    #expect(resumed.status == 0 && resumed.stdout.contains("parsed 1 objects") && !resumed.stdout.contains("still open"),
            "\(resumed.stdout)\(resumed.stderr)")
    let taken = try runVLPart(["parse", "--model", model, "--heads", "2", "--size", "64", "--run", "r1", "--db", db])
    #expect(taken.status != 0 && taken.stderr.contains("--resume r1"))

    let eval = try runVLPart(["eval", "parse", "--gt", fixtureURL("store", "paco.json").path, "--run", "r1", "--json", "--db", db])
    #expect(eval.status == 0, "\(eval.stderr)")
    let runs = try #require((try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
    try #require(runs.count == 1)
    let report = runs[0]
    let categories = (report["categories"] as! [[String: Any]]).map { $0["name"] as! String }
    #expect(categories == ["car_(automobile):body", "car_(automobile):wheel", "mug:handle"])
    let miou = report["miou"] as! Double
    #expect(miou >= 0 && miou <= 100)
    #expect(report["objects"] as! Int == 1 && report["run"] as? String == "r1" && report["method"] as? String == "cluster")

    // A prior run on the same objects keeps r1's labels, and both score in one table.
    let prior = try runVLPart(["parse", "--model", model, "--heads", "2", "--size", "64", "--method", "prior", "--run", "p",
                               "--db", db])
    #expect(prior.status == 0 && prior.stdout.contains("parsed 1 objects"), "\(prior.stdout)\(prior.stderr)")
    let both = try runVLPart(["eval", "parse", "--gt", fixtureURL("store", "paco.json").path, "--json", "--db", db])
    let compared = (try JSONSerialization.jsonObject(with: Data(both.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]
    #expect(compared?.map { $0["run"] as? String } == ["r1", "p"] && compared?.last?["method"] as? String == "prior",
            "\(both.stdout)\(both.stderr)")
    #expect(compared?.first?["miou"] as? Double == miou, "a later run leaves r1's labels and score as they were")
    let table = try runVLPart(["eval", "parse", "--gt", fixtureURL("store", "paco.json").path, "--run", "r1", "--run", "p", "--db", db])
    #expect(table.status == 0 && table.stdout.contains("r1 (cluster)") && table.stdout.contains("p (prior)")
            && table.stdout.contains("mIoU / AP50"), "\(table.stdout)")
    let badShard = try runVLPart(["parse", "--model", model, "--shard", "2/2", "--db", db])
    #expect(badShard.status != 0 && badShard.stderr.contains("--shard"))
    let badFacing = try runVLPart(["parse", "--model", model, "--facing", "sideways", "--db", db])
    #expect(badFacing.status != 0 && badFacing.stderr.contains("--facing must be learned, features or silhouette, not 'sideways'"),
            "\(badFacing.stderr)")
}
