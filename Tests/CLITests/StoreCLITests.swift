import Foundation
import Testing
import TestSupport

/// A temporary folder with a store path in it; the caller removes the folder.
private func scratch() throws -> (URL, String) {
    let folder = try makeTemporaryDirectory("vlpart-cli-store")
    return (folder, folder.appendingPathComponent("s.sqlite").path)
}

/// Imports the PACO-shaped store fixture as a source dataset (shared by the CLI tests).
func importPACO(_ db: String, dataset: String = "paco") throws -> CommandResult {
    try runVLPart(["import", "paco", fixtureURL("store", "paco.json").path, "--images", fixtureURL("store", "images").path,
                   "--dataset", dataset, "--role", "source", "--db", db])
}

@Test func initImportStatsExportWork() throws {
    let (folder, db) = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let created = try runVLPart(["init", "--db", db])
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stdout.contains("v1-core"))
    let imported = try importPACO(db)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("2 objects, 4 parts"))
    let again = try importPACO(db)
    #expect(again.status == 0 && again.stdout.contains("already imported"))
    let stats = try runVLPart(["stats", "--json"], environment: ["VLPART_DB": db])
    #expect(stats.status == 0, "\(stats.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
    let datasets = json?["datasets"] as? [[String: Any]]
    #expect(datasets?.first?["parts"] as? Int == 4)
    let table = try runVLPart(["stats", "--db", db])
    #expect(table.stdout.contains("car_(automobile):wheel"))
    let out = folder.appendingPathComponent("out.json").path
    let exported = try runVLPart(["export", "coco", out, "--dataset", "paco", "--db", db])
    #expect(exported.status == 0, "\(exported.stderr)")
    let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
    #expect((doc?["annotations"] as? [Any])?.count == 6)
    #expect(doc?["vlpart"] != nil)
}

@Test func otherContentUnderTheSameNameNeedsReplace() throws {
    let (folder, db) = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try importPACO(db, dataset: "d").status == 0)
    let args = ["import", "coco", fixtureURL("store", "coco.json").path, "--images", fixtureURL("store", "images").path,
                "--dataset", "d", "--role", "source", "--db", db]
    let refused = try runVLPart(args)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("--replace"))
    #expect(try runVLPart(args + ["--replace"]).status == 0)
}

@Test func malformedImportExitsNonZeroAndLeavesTheStoreIdentical() throws {
    let (folder, db) = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try importPACO(db).status == 0)
    // The import closed its connection cleanly, so the file alone holds the store.
    #expect(!FileManager.default.fileExists(atPath: db + "-wal"))
    let bad = folder.appendingPathComponent("bad.json")
    try Data(#"{"images": [{"id": 1, "file_name": "x.png", "width": 4, "height": 4}], "categories": [{"id": 1, "name": "dog"}], "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 4], "counts": 3}}]}"#.utf8).write(to: bad)
    let before = try Data(contentsOf: URL(fileURLWithPath: db))
    let result = try runVLPart(["import", "coco", bad.path, "--images", folder.path, "--dataset", "bad", "--role", "source", "--db", db])
    #expect(result.status != 0)
    #expect(result.stderr.contains("annotations[0].segmentation.counts: expected string or array"), "\(result.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    let strict = try runVLPart(["import", "coco", fixtureURL("store", "coco.json").path, "--images", folder.path,
                                "--dataset", "strict", "--role", "source", "--strict", "--db", db])
    #expect(strict.status != 0 && strict.stderr.contains("missing image file"), "\(strict.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
}

@Test func labelCommandsListRejectAcceptAndRelabel() throws {
    let (folder, db) = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try importPACO(db).status == 0)
    let listed = try runVLPart(["label", "list", "--category", "car_(automobile):wheel", "--db", db])
    #expect(listed.status == 0)
    let ids = listed.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.flatMap { Int64($0) } }
    #expect(ids.count == 2)
    let idsFile = folder.appendingPathComponent("ids.txt")
    try Data("\(ids[0])\n".utf8).write(to: idsFile)
    let rejected = try runVLPart(["label", "reject", "--ids-file", idsFile.path, "--db", db])
    #expect(rejected.stdout.contains("rejected 1"), "\(rejected.stderr)")
    let pending = try runVLPart(["label", "list", "--status", "rejected", "--db", db])
    #expect(pending.stdout.contains("\(ids[0]) "))
    let relabel = try runVLPart(["label", "relabel", "--id", "\(ids[1])", "--to", "car_(automobile):body", "--db", db])
    #expect(relabel.status == 0 && relabel.stdout.contains("relabelled 1"))
    let everything = try runVLPart(["label", "accept", "--db", db])
    #expect(everything.status != 0 && everything.stderr.contains("select labels"))
    let badStatus = try runVLPart(["label", "list", "--status", "maybe", "--db", db])
    #expect(badStatus.status != 0 && badStatus.stderr.contains("pending, accepted, rejected"))
}

@Test func folderImportWithClassMap() throws {
    let (folder, db) = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runVLPart(["import", "folder", fixtureURL("store", "images/classes").path, "--dataset", "imagenet",
                                "--role", "target", "--class-map", fixtureURL("store", "class_map.txt").path, "--db", db])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("3 images, 3 objects"))
    let list = try runVLPart(["label", "list", "--dataset", "imagenet", "--db", db])
    #expect(list.stdout.contains("chihuahua") && list.stdout.contains("tench fish"))
}

@Test func statsReadsWhileAnImportWrites() throws {
    let (folder, db) = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try importPACO(db).status == 0)
    // 100,000 annotations: long enough an import for several `stats` runs to overlap it.
    let images = 2000, perImage = 50
    var text = #"{"categories": [{"id": 1, "name": "dog"}], "images": ["#
    text += (1...images).map { #"{"id": \#($0), "file_name": "x\#($0).png", "width": 64, "height": 64}"# }
        .joined(separator: ",")
    text += #"], "annotations": ["#
    text += (0..<(images * perImage)).map { n in
        #"{"id": \#(n + 1), "image_id": \#(n / perImage + 1), "category_id": 1, "segmentation": {"size": [64, 64], "counts": [\#(n % 97), 300, \#(4096 - 300 - n % 97)]}}"#
    }.joined(separator: ",\n")
    text += "]}"
    let big = folder.appendingPathComponent("big.json")
    try Data(text.utf8).write(to: big)

    let importer = Process()
    importer.executableURL = vlpartExecutable
    importer.arguments = ["import", "coco", big.path, "--images", folder.path, "--dataset", "big", "--role", "source", "--db", db]
    importer.standardOutput = FileHandle.nullDevice
    importer.standardError = FileHandle.nullDevice
    try importer.run()
    var overlapping = 0
    while importer.isRunning {
        let stats = try runVLPart(["stats", "--json", "--db", db])
        let stillRunning = importer.isRunning
        #expect(stats.status == 0, "\(stats.stderr)")
        // While the import's transaction is open, readers see the store as it was before.
        if stillRunning {
            overlapping += 1
            #expect(stats.stdout.contains(#""name" : "paco""#) && !stats.stdout.contains(#""name" : "big""#))
        }
    }
    importer.waitUntilExit()
    #expect(importer.terminationStatus == 0)
    #expect(overlapping > 0, "no stats run overlapped the import")
    #expect(try runVLPart(["stats", "--db", db]).stdout.contains("big"))
}
