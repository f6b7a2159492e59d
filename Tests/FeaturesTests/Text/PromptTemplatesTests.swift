import Foundation
import Testing
import TestSupport
@testable import Features

// The same examples as Tests/TaxonomyTests/PartNameTests.swift: the two rules must agree.
@Test func readableNamesFollowThePartNameRule() {
    #expect(PromptTemplates.readable("car_(automobile):wheel") == "wheel of a car")
    #expect(PromptTemplates.readable("traffic_light:base") == "base of a traffic light")
    #expect(PromptTemplates.readable("fire_hydrant") == "fire hydrant")
    #expect(PromptTemplates.readable("dog") == "dog")
    #expect(PromptTemplates.readable("a:b:c") == "c of a a:b")    // split at the last colon
    #expect(PromptTemplates.readable(":head") == ":head")          // not object:part
    #expect(PromptTemplates.readable("  teddy__bear ") == "teddy bear")
}

@Test func templatesExpandInOrder() throws {
    let templates = try PromptTemplates(["a photo of a {}.", "{}"])
    #expect(templates.prompts(for: "dog:head") == ["a photo of a head of a dog.", "head of a dog"])
    #expect(PromptTemplates.plain.prompts(for: "car_(automobile):wheel") == ["wheel of a car"])
    #expect(PromptTemplates.default.templates.count == 5)
    #expect(PromptTemplates.default.prompts(for: "dog").first == "a photo of a dog.")
}

@Test func badTemplatesAreRejected() throws {
    #expect(throws: TextEncoderError.badTemplate(template: "no placeholder")) {
        try PromptTemplates(["no placeholder"])
    }
    #expect(throws: TextEncoderError.self) { try PromptTemplates(["{} and {}"]) }
    #expect(throws: TextEncoderError.self) { try PromptTemplates([]) }

    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("templates.txt")
    try "# my prompts\na photo of a {}.\n\n  a sketch of a {}.  \n".write(to: file, atomically: true, encoding: .utf8)
    #expect(try PromptTemplates(contentsOfFile: file.path).templates == ["a photo of a {}.", "a sketch of a {}."])
    #expect(throws: TextEncoderError.self) { try PromptTemplates(contentsOfFile: dir.appendingPathComponent("none").path) }
}
