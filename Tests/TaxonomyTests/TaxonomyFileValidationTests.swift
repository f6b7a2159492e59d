import Testing
@testable import Taxonomy

private func parse(_ yaml: String) throws -> TaxonomyFile {
    try TaxonomyFile(yaml: yaml, path: "t.yaml")
}

private let header = "name: t\nnaming: \"object:part\"\n"

@Test func readsAWellFormedFile() throws {
    let file = try parse("""
        name: t
        title: Test
        naming: "object:part"
        split:
          novel: [dog]
        objects:
          cat: [head, paw]
          dog: [head, paw, Torso]
          ball: []
        synonyms:
          - canonical: foot
            aliases: [paw]
            also: [Hand]
            objects: [cat, dog]
        """)
    #expect(file.objects.map(\.name) == ["cat", "dog", "ball"])
    #expect(file.objects[1].line == 8)
    #expect(file.synonyms == [SynonymRule(canonical: "foot", aliases: ["paw"], also: ["hand"], objects: ["cat", "dog"], line: 11)])
    #expect(file.novelObjects == ["dog"])
    #expect(file.partName(category: "dog:paw") == PartName(object: "dog", part: "paw"))
}

@Test func errorsNameTheFileAndLine() throws {
    let cases: [(String, TaxonomyError)] = [
        (header + "objects:\n  cat: [head, ear, head]\n",
         .duplicatePart(path: "t.yaml", line: 4, object: "cat", part: "head")),
        (header + "objects:\n  cat: [head, Left_Ear, left ear]\n",
         .duplicatePart(path: "t.yaml", line: 4, object: "cat", part: "left ear")),
        (header + "objects:\n  cat: [head]\n  dog:\n",
         .emptyObject(path: "t.yaml", line: 5, object: "dog")),
        (header + "objects: {}\n", .emptyObject(path: "t.yaml", line: 1, object: "")),
        (header + "objects:\n  cat: [head]\n  Cat: [tail]\n", .duplicateObject(path: "t.yaml", line: 5, object: "Cat")),
        (header + "objects:\n  cat: [head]\nsynonyms:\n  - canonical: foot\n    aliases: [paw]\n",
         .unknownSynonym(path: "t.yaml", line: 6, alias: "paw")),
        (header + "objects:\n  cat: [head, paw]\n  dog: [paw]\nsynonyms:\n  - canonical: foot\n    aliases: [paw]\n    objects: [cat, cow]\n",
         .unknownObject(path: "t.yaml", line: 7, object: "cow")),
        (header + "objects:\n  cat: [paw, foot]\nsynonyms:\n  - canonical: foot\n    aliases: [paw]\n",
         .conflictingSynonym(path: "t.yaml", line: 6, alias: "paw", reason: "→ 'foot' would merge two parts of 'cat'")),
        (header + "split:\n  novel: [cow]\nobjects:\n  cat: [paw]\n", .unknownObject(path: "t.yaml", line: 4, object: "cow")),
        (header + "objects:\n  cat: [a:b]\n",
         .invalidName(path: "t.yaml", line: 4, name: "a:b", reason: "':' separates object and part in \"object:part\" names")),
        ("name: t\nnaming: part-of\nobjects:\n  cat: [a]\n", .unknownNaming(path: "t.yaml", line: 2, value: "part-of")),
        ("name: t\nobjects:\n  cat: [a]\n", .missingKey(path: "t.yaml", line: 1, key: "naming")),
        (header + "objects:\n  cat: head\n", .wrongType(path: "t.yaml", line: 4, key: "cat", expected: "a list [a, b, …]")),
        (header + "objects:\n  cat: [a]\ncolour: red\n", .unknownKey(path: "t.yaml", line: 5, key: "colour")),
        (header, .missingKey(path: "t.yaml", line: 1, key: "objects")),
    ]
    for (yaml, expected) in cases {
        #expect(throws: expected, "\(expected)") { try parse(yaml) }
    }
}

@Test func conflictingAliasesAreRejected() {
    let yaml = header + """
        objects:
          cat: [paw]
        synonyms:
          - canonical: foot
            aliases: [paw]
          - canonical: hand
            aliases: [paw]
        """
    #expect(throws: TaxonomyError.self) { try parse(yaml) }
    // Disjoint scopes may map one alias two ways.
    let scoped = header + """
        objects:
          cat: [paw]
          monkey: [paw]
        synonyms:
          - canonical: foot
            aliases: [paw]
            objects: [cat]
          - canonical: hand
            aliases: [paw]
            objects: [monkey]
        """
    #expect(throws: Never.self) { try parse(scoped) }
}

@Test func yamlSyntaxErrorsAreOneLine() {
    do {
        _ = try parse(header + "objects:\n  cat: [head\n  dog: [tail]\n")
        Issue.record("expected a syntax error")
    } catch let error as TaxonomyError {
        guard case let .syntax(path, line, _) = error else { Issue.record("got \(error)"); return }
        #expect(path == "t.yaml" && line >= 4)
        #expect(!error.description.contains("\n"))
        #expect(error.description.hasPrefix("t.yaml:\(line): YAML error"))
    } catch {
        Issue.record("unexpected \(error)")
    }
    #expect(throws: TaxonomyError.self) { try parse(header + "objects:\n  cat: [a]\n  cat: [b]\n") }
    #expect(throws: TaxonomyError.self) { try parse("") }
    #expect(throws: TaxonomyError.self) { try parse("- just\n- a list\n") }
}

@Test func spaceSeparatedNamesSplitOnKnownObjects() {
    #expect(PartName(spaceSeparated: "Car Side Mirror", objects: ["Car", "Bicycle"])
            == PartName(object: "Car", part: "Side Mirror"))
    #expect(PartName(spaceSeparated: "Potted Plant Pot", objects: ["Potted Plant", "Plant"])
            == PartName(object: "Potted Plant", part: "Pot"))
    #expect(PartName(spaceSeparated: "Car", objects: ["Car"]) == nil)
    #expect(PartName(spaceSeparated: "Train Wheel", objects: ["Car"]) == nil)
    #expect(PartNames.key("  Side_Mirror ") == "side mirror")
    #expect(PartNames.objectKey("drum_(musical_instrument)") == "drum")
}
