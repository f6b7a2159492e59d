import Foundation
import Testing
import TestSupport

@Test func taxonomyListShowsTheShippedFiles() throws {
    let result = try runVLPart(["taxonomy", "list"])
    #expect(result.status == 0, "\(result.stderr)")
    for line in ["pascal_part        14 objects, 93 parts", "partimagenet       11 objects, 40 parts",
                 "paco               75 objects, 456 parts", "vlpart_additional  11 objects, 55 parts"] {
        #expect(result.stdout.contains(line), "missing \(line) in \(result.stdout)")
    }
    #expect(result.stdout.contains("novel: bus, dog"))
}

@Test func taxonomyShowPrintsPartsAndSynonyms() throws {
    let result = try runVLPart(["taxonomy", "show", "pascal_part"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("dog (novel): head, leg, ear, eye, paw [foot], neck, nose, muzzle, tail, torso"))
    #expect(result.stdout.contains("split: novel bus, dog (16 parts), base 77 parts"))
    #expect(result.stdout.contains("cap → mouth for bottle"))
    let missing = try runVLPart(["taxonomy", "show", "nope"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("no taxonomy named 'nope'"))
}

@Test func taxonomyValidateReportsTheLine() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = dir.appendingPathComponent("good.yaml"), bad = dir.appendingPathComponent("bad.yaml")
    try "name: good\nnaming: \"object:part\"\nobjects:\n  cat: [head, tail]\n".write(to: good, atomically: true, encoding: .utf8)
    try "name: bad\nnaming: \"object:part\"\nobjects:\n  cat: [head, tail, head]\n".write(to: bad, atomically: true, encoding: .utf8)
    let ok = try runVLPart(["taxonomy", "validate", good.path])
    #expect(ok.status == 0)
    #expect(ok.stdout.contains("ok — good, 1 objects, 2 parts"))
    let failed = try runVLPart(["taxonomy", "validate", good.path, bad.path])
    #expect(failed.status != 0)
    #expect(failed.stderr.contains("\(bad.path):4: object 'cat' lists part 'head' twice"))
    let none = try runVLPart(["taxonomy", "validate"])
    #expect(none.status != 0)
}

@Test func taxonomyDirectoryComesFromTheEnvironment() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try "name: mine\nnaming: \"Object Part\"\nobjects:\n  Fish: [Head, Fin]\n"
        .write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
    let result = try runVLPart(["taxonomy", "list"], environment: ["VLPART_TAXONOMIES": dir.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1 taxonomies"))
    #expect(result.stdout.contains("mine  1 objects, 2 parts, naming \"Object Part\""))
}
