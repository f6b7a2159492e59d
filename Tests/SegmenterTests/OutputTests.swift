import Foundation
import Imaging
import Testing
import TestSupport
@testable import Segmenter

/// The label PNG decodes (through libpng) to the palette colour of each label.
@Test func labelPNGCarriesThePalette() throws {
    let labels: [Int32] = [0, 1, 2, 2, 1, 0]
    let palette = [Color.black, Color(230, 25, 75), Color(60, 180, 75)]
    let image = try Image.decode(LabelPNG.encode(labels: labels, width: 3, height: 2, palette: palette))
    #expect(image.width == 3 && image.height == 2)
    for (i, l) in labels.enumerated() {
        let c = palette[Int(l)]
        #expect([image[i % 3, i / 3, 0], image[i % 3, i / 3, 1],
                 image[i % 3, i / 3, 2]] == [c.r, c.g, c.b], "pixel \(i)")
    }
    // Larger than one stored deflate block (65535 bytes).
    let big = [Int32](repeating: 3, count: 300 * 250)
    #expect(try Image.decode(LabelPNG.encode(labels: big, width: 300, height: 250, palette: [])).width == 300)
}

/// A prediction equal to the ground truth scores 100 everywhere; shifting one class's pixels
/// into another lowers exactly those two classes.
@Test func evaluationOfAPerfectSegmentationIsPerfect() throws {
    let w = 8, h = 6
    func rect(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Mask { Mask(width: w, height: h) { x, y in x >= x0 && x < x1 && y >= y0 && y < y1 } }
    let truth = GroundTruthImage(fileName: "a.png", width: w, height: h,
                                 parts: [("dog:head", rect(0, 0, 3, 3)), ("dog:leg", rect(0, 3, 3, 6)), ("cat:tail", rect(5, 0, 8, 6))],
                                 objects: [("dog", rect(0, 0, 3, 6)), ("cat", rect(5, 0, 8, 6))])
    let names = ["cat:tail", "dog:head", "dog:leg", "dog:tail"]
    var labels = [Int32](repeating: 0, count: w * h)
    for (c, name) in names.enumerated() {
        for part in truth.parts where part.name == name { for p in 0..<(w * h) where part.mask.pixels[p] != 0 { labels[p] = Int32(c + 1) } }
    }
    let perfect = Segmentation(width: w, height: h, objectLabels: [], partLabels: labels,
                               partConfidence: [Float](repeating: 0.9, count: w * h))
    var evaluator = SegmentationEvaluator(partNames: names, novelObjects: ["dog"])
    evaluator.add(perfect, truth: truth)
    let s = evaluator.scores()
    #expect(s.classes.map(\.name) == ["cat:tail", "dog:head", "dog:leg"])   // dog:tail has no ground truth
    // AP divides by tp + fp + ε (COCOeval), so it is 100 only to rounding.
    for (name, value) in [("base mIoU", s.baseMIoU), ("novel mIoU", s.novelMIoU), ("base AP50", s.baseAP50),
                          ("novel AP50", s.novelAP50), ("pixel accuracy", s.pixelAccuracy)] {
        #expect(abs(value - 100) < 1e-9, "\(name) \(value)")
    }
    #expect(s.chanceNovelMIoU > 0 && s.chanceNovelMIoU < 50)

    // The document written by `segment` holds the same masks.
    let doc = perfect.document(image: "a.png", partNames: names, objectNames: [])
    #expect(doc.parts.map(\.name) == ["cat:tail", "dog:head", "dog:leg"])
    let head = try RLE(compressed: doc.parts[1].rle.counts, width: w, height: h).decode()
    #expect(head == rect(0, 0, 3, 3))

    // dog:leg predicted as dog:head: head IoU 9/18, leg 0; cat untouched.
    var wrong = labels
    for p in 0..<(w * h) where wrong[p] == 3 { wrong[p] = 2 }
    var second = SegmentationEvaluator(partNames: names, novelObjects: ["dog"])
    second.add(Segmentation(width: w, height: h, objectLabels: [], partLabels: wrong,
                            partConfidence: [Float](repeating: 0.9, count: w * h)), truth: truth)
    let t = second.scores()
    #expect(abs(t.baseMIoU - 100) < 1e-9)
    #expect(abs(t.novelMIoU - 25) < 1e-9)
}
