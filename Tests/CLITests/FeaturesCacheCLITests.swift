import Foundation
import Testing
import TestSupport

/// `features cache` on the PACO-style store fixture with the tiny DINO checkpoint: every object
/// gets a sidecar and a CLS row, and a second run computes nothing.
@Test func featuresCacheComputesOnceAndResumes() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("s.sqlite").path
    #expect(try runVLPart(["init", "--db", db]).status == 0)
    let imported = try runVLPart(["import", "paco", fixtureURL("store", "paco.json").path, "--images",
                                  fixtureURL("store", "images").path, "--dataset", "paco", "--role", "source", "--db", db])
    #expect(imported.status == 0, "\(imported.stderr)")
    let model = fixtureURL("features", "dino_tiny.safetensors").path
    let first = try runVLPart(["features", "cache", "--model", model, "--size", "32", "--heads", "2", "--db", db])
    #expect(first.status == 0, "\(first.stderr)")
    let objects = try #require(Int(first.stdout.split(separator: " ").first ?? ""), "\(first.stdout)")
    #expect(objects > 0)
    #expect(first.stdout.contains("\(objects) computed, 0 already cached"))
    let cacheRoot = dir.appendingPathComponent("s.sqlite.features")
    let sub = try #require(try FileManager.default.contentsOfDirectory(atPath: cacheRoot.path).first)
    let files = try FileManager.default.contentsOfDirectory(atPath: cacheRoot.appendingPathComponent(sub).path)
    #expect(files.filter { $0.hasSuffix(".vlpf") }.count == objects)

    let second = try runVLPart(["features", "cache", "--model", model, "--size", "32", "--heads", "2", "--db", db])
    #expect(second.stdout.contains("0 computed, \(objects) already cached"), "\(second.stdout)")

    let badFacet = try runVLPart(["features", "cache", "--model", model, "--facet", "attn", "--db", db])
    #expect(badFacet.status != 0 && badFacet.stderr.contains("--facet"))
    let missing = try runVLPart(["features", "cache", "--model", dir.appendingPathComponent("nope.pth").path, "--db", db])
    #expect(missing.status != 0 && missing.stderr.contains("nope.pth"))
}

/// An image that went missing after import: `features cache` fails with one line that names the
/// file once (the image error already names it; wrapping it used to print the path twice).
@Test func featuresCacheNamesAMissingImageOnce() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let images = dir.appendingPathComponent("images")
    try FileManager.default.copyItem(at: fixtureURL("store", "images"), to: images)
    let db = dir.appendingPathComponent("s.sqlite").path
    #expect(try runVLPart(["init", "--db", db]).status == 0)
    let imported = try runVLPart(["import", "paco", fixtureURL("store", "paco.json").path, "--images", images.path,
                                  "--dataset", "paco", "--role", "source", "--db", db])
    #expect(imported.status == 0, "\(imported.stderr)")
    try FileManager.default.removeItem(at: images)
    let model = fixtureURL("features", "dino_tiny.safetensors").path
    let failed = try runVLPart(["features", "cache", "--model", model, "--size", "32", "--heads", "2", "--db", db])
    #expect(failed.status != 0)
    let line = failed.stderr.split(separator: "\n").last.map(String.init) ?? ""
    let named = line.components(separatedBy: images.path).count - 1
    #expect(named == 1, "the path should appear once: \(line)")
}
