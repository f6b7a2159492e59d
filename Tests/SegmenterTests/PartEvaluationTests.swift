import Imaging
import Testing
@testable import Segmenter

@Test func pooledIoUAndAP50PerPartCategory() {
    func mask(_ rows: ClosedRange<Int>) -> Mask { Mask(width: 4, height: 4) { _, y in rows.contains(y) } }
    let truth = [PartInstance(image: "a.png", category: "dog:head", mask: mask(0...1)),
                 PartInstance(image: "a.png", category: "dog:leg", mask: mask(3...3)),
                 PartInstance(image: "b.png", category: "dog:head", mask: mask(0...0))]
    let predicted = [PartInstance(image: "a.png", category: "dog:head", mask: mask(0...1), score: 0.9),
                     PartInstance(image: "b.png", category: "dog:head", mask: mask(0...1), score: 0.8),
                     PartInstance(image: "a.png", category: "dog:leg", mask: mask(2...2), score: 0.7),
                     PartInstance(image: "elsewhere.png", category: "dog:leg", mask: mask(3...3), score: 0.9)]
    let scores = PartEvaluation.evaluate(predictions: predicted, groundTruth: truth)
    #expect(scores.map(\.category) == ["dog:head", "dog:leg"])
    // head: a: 8/8, b: 4/8 → 12/16; leg: 0/8; the prediction on an image without truth is ignored.
    #expect(scores[0].iou == 0.75 && scores[1].iou == 0)
    #expect(scores[1].predictions == 1 && scores[0].groundTruth == 2)
    // head: the a.png match is a TP at IoU 1, b.png's IoU 0.5 also counts (≥ 0.5): AP ≈ 1.
    #expect(abs(scores[0].ap50 - 1) < 1e-9)
    #expect(scores[1].ap50 == 0)
}
