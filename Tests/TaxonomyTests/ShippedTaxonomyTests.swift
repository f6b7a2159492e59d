import Foundation
import Testing
import TestSupport
@testable import Taxonomy

private var shippedDirectory: URL { packageRoot.appendingPathComponent("taxonomies") }

/// Counts from ../shared/reference/README.md (the datasets' published category lists).
@Test(arguments: [("pascal_part", 14, 93), ("partimagenet", 11, 40), ("paco", 75, 456), ("vlpart_additional", 11, 55)])
func shippedFilesHaveTheReferenceCounts(name: String, objects: Int, parts: Int) throws {
    let file = try Taxonomy.loadShippedFile(named: name, directory: shippedDirectory)
    #expect(file.objects.count == objects)
    #expect(file.partCount == parts)
}

@Test func pascalPartSplitIsVLPartsBaseNovel() throws {
    let file = try Taxonomy.loadShippedFile(named: "pascal_part", directory: shippedDirectory)
    #expect(file.naming == .objectColonPart)
    #expect(file.novelObjects == ["bus", "dog"])
    let novelParts = file.objects.filter { file.isNovel($0.name) }.reduce(0) { $0 + $1.parts.count }
    #expect(novelParts == 16)
    #expect(file.partCount - novelParts == 77)
    #expect(!file.isNovel("cat") && file.isNovel("Dog"))
}

@Test func partImageNetOrderIsTheAnnotationIdOrder() throws {
    let file = try Taxonomy.loadShippedFile(named: "partimagenet", directory: shippedDirectory)
    #expect(file.naming == .objectSpacePart)
    let names = file.categoryNames
    #expect(names.prefix(5) == ["Quadruped Head", "Quadruped Body", "Quadruped Foot", "Quadruped Tail", "Biped Head"])
    #expect(names.count == 40)
    #expect(names.last == "Bottle Body")
}

@Test func normalisationAcrossDatasets() throws {
    let taxonomy = try Taxonomy.loadShipped(directory: shippedDirectory)
    // PartImageNet "Body" of an animal is a torso; of a car it stays body.
    let quadrupedBody = try #require(taxonomy.normalize(category: "Quadruped Body", dataset: "partimagenet"))
    #expect(quadrupedBody.object == "quadruped" && quadrupedBody.part == "torso")
    #expect(quadrupedBody.original == PartName(object: "Quadruped", part: "Body"))
    let mirror = try #require(taxonomy.normalize(category: "Car Side Mirror", dataset: "partimagenet"))
    #expect(mirror.description == "car:mirror" && mirror.original.part == "Side Mirror")
    #expect(taxonomy.normalize(category: "Car Body", dataset: "partimagenet")?.part == "body")
    // PASCAL-Part paw → foot (also hand); cap → mouth for bottles only.
    let paw = try #require(taxonomy.normalize(category: "dog:paw", dataset: "pascal_part"))
    #expect(paw.part == "foot" && paw.alternatives == ["hand"] && paw.candidates == ["foot", "hand"])
    #expect(taxonomy.normalize(category: "bottle:cap", dataset: "pascal_part")?.part == "mouth")
    // PACO keeps its spelling; the LVIS qualifier is dropped from the object key.
    let wheel = try #require(taxonomy.normalize(category: "car_(automobile):wheel", dataset: "paco"))
    #expect(wheel.object == "car" && wheel.part == "wheel")
    #expect(wheel.original.description == "car_(automobile):wheel")
    #expect(taxonomy.normalize(category: "dog:body", dataset: "paco")?.part == "torso")
    #expect(taxonomy.normalize(category: "nonsense", dataset: "pascal_part") == nil)
    #expect(taxonomy.normalize(category: "Quadruped Head", dataset: "no_such") == nil)
}

@Test func partsOfAnObjectUniteFilesThroughSynonyms() throws {
    let taxonomy = try Taxonomy.loadShipped(directory: shippedDirectory)
    let dog = taxonomy.parts(of: "dog")
    // PASCAL-Part's paw and PACO's foot are one part; PACO's body is PASCAL's torso.
    #expect(dog.filter { $0 == "foot" }.count == 1)
    #expect(dog.contains("torso") && !dog.contains("body") && !dog.contains("paw"))
    #expect(dog.contains("teeth") && dog.contains("muzzle"))
    #expect(taxonomy.parts(of: "Car").contains("license plate"))
    #expect(taxonomy.parts(of: "elephant") == ["head", "torso", "leg", "foot", "tail"])
    #expect(taxonomy.parts(of: "unicorn").isEmpty)
    #expect(taxonomy.objects.contains("potted plant") && taxonomy.objects.contains("quadruped"))
    #expect(taxonomy.isNovel("bus") && !taxonomy.isNovel("elephant"))
}

@Test func mergeRefusesTwoFilesWithOneName() throws {
    let a = try TaxonomyFile(yaml: "name: x\nnaming: \"object:part\"\nobjects:\n  dog: [head]\n", path: "a.yaml")
    let b = try TaxonomyFile(yaml: "name: x\nnaming: \"object:part\"\nobjects:\n  cat: [head]\n", path: "b.yaml")
    #expect(throws: TaxonomyError.duplicateTaxonomy(name: "x", firstPath: "a.yaml", secondPath: "b.yaml")) {
        try Taxonomy(files: [a, b])
    }
    let c = try TaxonomyFile(yaml: "name: y\nnaming: \"object:part\"\nobjects:\n  dog: [tail, Head]\n", path: "c.yaml")
    let merged = try Taxonomy(files: [a]).merged(with: Taxonomy(files: [c]))
    #expect(merged.parts(of: "dog") == ["head", "tail"])
}

@Test func locatesTheShippedDirectory() throws {
    let env = [TaxonomyDirectory.environmentKey: shippedDirectory.path]
    #expect(try TaxonomyDirectory.locate(environment: env, executable: nil).path == shippedDirectory.path)
    // Walking up from an executable inside the checkout finds <root>/taxonomies.
    let fakeExecutable = packageRoot.appendingPathComponent(".build/release/vlpart")
    #expect(try TaxonomyDirectory.locate(environment: [:], executable: fakeExecutable).standardized.path
            == shippedDirectory.standardized.path)
    let empty = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(throws: TaxonomyError.self) {
        try TaxonomyDirectory.locate(environment: [TaxonomyDirectory.environmentKey: empty.appendingPathComponent("none").path],
                                     executable: nil, currentDirectory: empty)
    }
    // Falls back to ./taxonomies.
    try FileManager.default.createDirectory(at: empty.appendingPathComponent("taxonomies"), withIntermediateDirectories: true)
    #expect(try TaxonomyDirectory.locate(environment: [:], executable: nil, currentDirectory: empty).lastPathComponent
            == "taxonomies")
}
