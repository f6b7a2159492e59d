import Foundation
import Testing
import TestSupport
@testable import Segmenter

private struct APFixture: Decodable {
    struct Instance: Decodable { let image: Int; let category: Int; let score: Float?; let mask: [UInt8] }
    struct Case: Decodable { let groundTruth: [Instance]; let predictions: [Instance]; let ap50: [String: Double] }
    let generator_version: Int
    let cases: [Case]
}

/// pycocotools' COCOeval (segm, IoU 0.5, area all, maxDets 100) on random masks; tolerance 1e-9.
@Test func ap50MatchesPycocotoolsCOCOeval() throws {
    let data = try Data(contentsOf: fixtureURL("segmenter", "ap_cases.json"))
    let fixture = try JSONDecoder().decode(APFixture.self, from: data)
    #expect(fixture.generator_version == 1, "stale fixture: rerun tools/make_segmenter_fixtures.py")
    for (n, c) in fixture.cases.enumerated() {
        let gts = c.groundTruth.map { ScoredInstance(image: $0.image, category: $0.category, score: 1, mask: $0.mask) }
        let dts = c.predictions.map { ScoredInstance(image: $0.image, category: $0.category, score: $0.score ?? 0, mask: $0.mask) }
        let ap = AveragePrecision.perCategory(predictions: dts, groundTruth: gts)
        // COCOeval only reports categories when there are detections at all; compare those.
        for (key, expected) in c.ap50 {
            let got = try #require(ap[Int(key)!], "case \(n) category \(key) missing")
            #expect(abs(got - expected) < 1e-9, "case \(n) category \(key): got \(got) want \(expected)")
        }
    }
}

@Test func perfectAndEmptyPredictions() {
    let m: [UInt8] = [1, 1, 0, 0]
    let gt = [ScoredInstance(image: 1, category: 7, score: 1, mask: m)]
    // pycocotools divides by tp + fp + eps, so a perfect score is 1 - 1e-16, not exactly 1.
    #expect(abs(AveragePrecision.perCategory(predictions: gt, groundTruth: gt)[7]! - 1) < 1e-12)
    #expect(AveragePrecision.perCategory(predictions: [], groundTruth: gt)[7] == 0)
    #expect(AveragePrecision.iou([0, 0], [0, 0]) == 0)
}
