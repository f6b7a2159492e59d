import Foundation
import Testing
import TestSupport
import Tensor
@testable import Features

/// `table.npy` is written by numpy in tools/make_text_fixtures.py: rows (1,0,0,0), (0.6,0.8,0,0), (0,0,3,4).
@Test func numpyTableLoadsWithNamesAndNormalisedRows() throws {
    let table = try EmbeddingTable.load(embeddings: fixtureURL("text", "table.npy").path,
                                        names: fixtureURL("text", "table_names.txt").path, expectedDimension: 4)
    #expect(table.names == ["dog:head", "dog:leg", "car_(automobile):wheel"])
    #expect(table.dimension == 4)
    expectClose(try #require(table.vector(named: "car_(automobile):wheel")), [0, 0, 0.6, 0.8], label: "row 2")
    #expect(table.vector(named: "cat") == nil)
    let hits = table.nearest(to: [1, 0, 0, 0], k: 2)
    #expect(hits.map(\.name) == ["dog:head", "dog:leg"])
    expectClose(hits.map(\.cosine), [1, 0.6], label: "cosines")
    #expect(try table.rows(for: ["dog:leg", "dog:head"]).shape == [2, 4])
    #expect(throws: TextEncoderError.self) { try table.rows(for: ["cat"]) }
}

@Test func tableMismatchesAreReportedClearly() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let npy = fixtureURL("text", "table.npy").path
    // Width differs from what the caller needs.
    do {
        _ = try EmbeddingTable.load(embeddings: npy, names: fixtureURL("text", "table_names.txt").path, expectedDimension: 384)
        Issue.record("expected a dimension mismatch")
    } catch let error as TextEncoderError {
        #expect(error.description == "\(npy): embedding width 4 does not match the expected 384")
    }
    // Row count differs from the names.
    let two = dir.appendingPathComponent("two.txt")
    try "a\n\nb\n".write(to: two, atomically: true, encoding: .utf8)
    #expect(throws: TextEncoderError.tableMismatch(path: npy, reason: "3 rows but \(two.path) has 2 names")) {
        try EmbeddingTable.load(embeddings: npy, names: two.path)
    }
    // Duplicate names.
    let dup = dir.appendingPathComponent("dup.txt")
    try "a\nb\na\n".write(to: dup, atomically: true, encoding: .utf8)
    #expect(throws: TextEncoderError.self) { try EmbeddingTable.load(embeddings: npy, names: dup.path) }
    // A rank-1 table, and a file that is not .npy at all.
    let flat = dir.appendingPathComponent("flat.npy")
    try Npy.write(Tensor(shape: [3], data: [1, 2, 3]), path: flat.path)
    #expect(throws: TextEncoderError.self) { try EmbeddingTable.load(embeddings: flat.path, names: two.path) }
    #expect(throws: (any Error).self) { try EmbeddingTable.load(embeddings: two.path, names: two.path) }
}

@Test func categoryNamesComeFromPlainLists() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let list = dir.appendingPathComponent("names.txt")
    try "  dog:head \n\ncar_(automobile):wheel\r\n".write(to: list, atomically: true, encoding: .utf8)
    #expect(try CategoryNameList.readLines(path: list.path) == ["dog:head", "car_(automobile):wheel"])
    #expect(throws: TextEncoderError.unreadable(path: "/nonexistent.txt", reason: "no such file")) {
        try CategoryNameList.readLines(path: "/nonexistent.txt")
    }
}
