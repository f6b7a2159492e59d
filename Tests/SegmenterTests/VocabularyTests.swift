import Foundation
import Imaging
import Testing
import TestSupport
@testable import Segmenter

@Test func vocabularyListsAreTrimmedAndDeduplicated() throws {
    #expect(try Vocabulary.parseList("dog head") == ["dog head"])
    #expect(try Vocabulary.parseList(" dog  head , dog leg,,Dog Head, dog leg ") == ["dog head", "dog leg"])
    #expect(try Vocabulary.parseList("car_(automobile):wheel, mug:handle!, rock 'n' roll") ==
            ["car_(automobile):wheel", "mug:handle!", "rock 'n' roll"])
    #expect(throws: SegmenterError.self) { try Vocabulary.parseList(" , ,") }
    #expect(throws: SegmenterError.self) { try Vocabulary(names: ["a", "a"], embeddings: [1, 0, 0, 1], dim: 2) }
    #expect(throws: SegmenterError.self) { try Vocabulary(names: ["a", "b"], embeddings: [1, 0, 0], dim: 2) }
    let many = (0..<300).map { "class \($0)" }.joined(separator: ",")
    #expect(try Vocabulary.parseList(many).count == 300)
}

/// The head segments with a one-class and a 300-class vocabulary alike, and the 300-class
/// label map is written as a 16-bit PNG that libpng reads back.
@Test(arguments: [1, 300]) func segmentationWorksForAnyVocabularySize(classes: Int) throws {
    let head = SegmenterHead(config: HeadConfig(inputDim: 4, hiddenDim: 6, embedDim: 8), seed: 2)
    let parts = try randomVocabulary((0..<classes).map { "part \($0)" }, dim: 8, seed: UInt64(classes))
    var rng = SplitMix64(seed: 7)
    let features = (0..<(3 * 3 * 4)).map { _ in Float(rng.uniform(-2.0 as Double, 2.0)) }
    // Scale up so every class can win somewhere.
    var scaled = head
    scaled.parameters["logScale"] = .init(shape: [1], data: [5])
    let s = scaled.segment(features: features, gridH: 3, gridW: 3, objects: nil, parts: parts, width: 12, height: 9)
    #expect(s.partLabels.count == 108)
    #expect(s.partLabels.allSatisfy { $0 >= 0 && Int($0) <= classes })
    #expect(s.partConfidence.allSatisfy { $0 > 0 && $0 <= 1 + 1e-6 })
    var labels = s.partLabels
    labels[0] = Int32(classes)      // make sure the largest index is present
    let png = LabelPNG.encode(labels: labels, width: 12, height: 9, palette: [.black, .white])
    let decoded = try Image.decode(png)
    #expect(decoded.width == 12 && decoded.height == 9)
}
