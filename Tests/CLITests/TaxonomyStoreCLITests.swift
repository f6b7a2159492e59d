import Foundation
import GRDB
import Store
import Testing
import TestSupport

/// A store with a source dataset (cat with head/paw/tail, car with wheel) and a target
/// dataset (dog, bus), object CLS vectors written by hand; returns the folder and store path.
private func borrowStore() throws -> (URL, String) {
    let folder = try makeTemporaryDirectory("vlpart-cli-borrow")
    let path = folder.appendingPathComponent("s.sqlite").path
    let store = try Store(path: path, create: true)
    try store.write { db in
        var ids: [String: Int64] = [:]
        for name in ["cat", "car", "dog", "bus"] {
            var c = Category(level: .object, name: name)
            try c.insert(db)
            ids[name] = c.id
        }
        for (object, part) in [("cat", "head"), ("cat", "paw"), ("cat", "tail"), ("car", "wheel")] {
            var c = Category(level: .part, name: "\(object):\(part)", objectCategoryID: ids[object], partName: part)
            try c.insert(db)
        }
        let vectors: [(String, DatasetRole, [Float])] = [
            ("cat", .source, [1, 0, 0]), ("cat", .source, [0.9, 0.1, 0]), ("car", .source, [0, 1, 0]),
            ("car", .source, [0.1, 0.9, 0]), ("dog", .target, [0.95, 0.2, 0]), ("bus", .target, [0.1, 0.95, 0]),
        ]
        var images: [DatasetRole: Int64] = [:]
        for role in [DatasetRole.source, .target] {
            var d = Dataset(name: role == .source ? "base" : "novel", role: role, format: "coco", root: ".")
            try d.insert(db)
            var image = ImageRecord(datasetID: d.id!, fileName: "a.jpg", width: 4, height: 4)
            try image.insert(db)
            images[role] = image.id
        }
        for (name, role, vector) in vectors {
            var a = Annotation(imageID: images[role]!, categoryID: ids[name]!, level: .object, bbox: [0, 0, 4, 4],
                               rle: "0", area: 16, source: .gold, status: .accepted)
            try a.insert(db)
            var e = Embedding(owner: "annotation", ownerID: a.id!, modelSHA: "feedbeef", facet: "cls", layer: 11, vector: vector)
            try e.insert(db)
        }
    }
    return (folder, path)
}

@Test func taxonomyImportProposeReviewExportFromTheCLI() throws {
    let (folder, db) = try borrowStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = folder.appendingPathComponent("parts.yaml").path
    try "name: base\nnaming: \"object:part\"\nobjects:\n  cat: [head, paw, tail]\nsynonyms:\n  - canonical: foot\n    aliases: [paw]\n"
        .write(toFile: yaml, atomically: true, encoding: .utf8)
    let imported = try runVLPart(["taxonomy", "import", yaml, "--db", db])
    #expect(imported.status == 0 && imported.stdout.contains("created taxonomy 'base'"), "\(imported.stderr)")
    let again = try runVLPart(["taxonomy", "import", yaml, "--db", db])
    #expect(again.stdout.contains("unchanged"))
    let badFolder = folder.appendingPathComponent("bad")
    try FileManager.default.createDirectory(at: badFolder, withIntermediateDirectories: true)
    let badYAML = badFolder.appendingPathComponent("bad.yaml").path
    try "name: bad\nnaming: \"object:part\"\nobjects:\n  cat: [head, head]\n".write(toFile: badYAML, atomically: true, encoding: .utf8)
    let bad = try runVLPart(["taxonomy", "import", badYAML, "--db", db])
    #expect(bad.status != 0 && bad.stderr.contains("\(badYAML):4:"))

    let proposed = try runVLPart(["taxonomy", "propose", "--no-text", "--json", "--k", "2", "--db", db,
                                  "--taxonomies", folder.path])
    #expect(proposed.status == 0, "\(proposed.stderr)")
    #expect(proposed.stderr.contains("vision only"))
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any])
    let rows = try #require(doc["proposals"] as? [[String: Any]])
    #expect(rows.map { $0["target"] as? String } == ["bus", "dog"])
    #expect(rows.map { $0["base"] as? String } == ["car", "cat"])
    // Renamed through the synonyms of the taxonomies in --taxonomies (paw → foot).
    #expect(rows[1]["parts"] as? [String] == ["dog:head", "dog:foot", "dog:tail"])
    #expect(doc["model_sha"] as? String == "feedbeef")
    let table = try runVLPart(["taxonomy", "propose", "--no-text", "--k", "2", "--db", db])
    #expect(table.status == 0 && table.stdout.contains("runner-up") && table.stdout.contains("refreshed"))

    let pending = try runVLPart(["taxonomy", "review", "--db", db])
    #expect(pending.status == 0 && pending.stdout.contains("dog") && pending.stderr.contains("--approve CAT"))
    let approved = try runVLPart(["taxonomy", "review", "--approve", "dog", "--edit", "bus", "--parts", "tire=wheel", "--db", db])
    #expect(approved.status == 0, "\(approved.stderr)")
    #expect(approved.stdout.contains("dog: approved ← cat") && approved.stdout.contains("bus: edited ← car (bus:tire)"))
    let override = try runVLPart(["taxonomy", "review", "--reject", "bus", "--db", db])
    #expect(override.stdout.contains("replaces the earlier decision 'edited'"))
    let unknown = try runVLPart(["taxonomy", "review", "--approve", "cow", "--db", db])
    #expect(unknown.status != 0 && unknown.stderr.contains("no borrow proposal for category 'cow'"))

    let out = folder.appendingPathComponent("borrowed.yaml").path
    let exported = try runVLPart(["taxonomy", "export", "--out", out, "--db", db])
    #expect(exported.status == 0 && exported.stdout.contains("1 borrowed"), "\(exported.stderr)")
    let validated = try runVLPart(["taxonomy", "validate", out])
    #expect(validated.status == 0 && validated.stdout.contains("1 objects, 3 parts"), "\(validated.stderr)")
}

@Test func interactiveReviewIsDrivenThroughStandardInput() throws {
    let (folder, db) = try borrowStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try runVLPart(["taxonomy", "propose", "--no-text", "--k", "2", "--db", db]).status == 0)
    let session = try runVLPart(["taxonomy", "review", "--interactive", "--db", db], stdin: "r\na\n")
    #expect(session.status == 0, "\(session.stderr)")
    #expect(session.stdout.contains("[1/2] bus ← car") && session.stdout.contains("bus now borrows from cat"))
    #expect(session.stdout.contains("approved 1, edited 1, rejected 0, skipped 0"))
    let none = try runVLPart(["taxonomy", "propose", "--db", db, "--model-sha", "0000"])
    #expect(none.status != 0 && none.stderr.contains("--model-sha 0000"))
}
