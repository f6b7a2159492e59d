import Testing
@testable import Segmenter

@Test func iouAndAccuracyFromHandCountedPixels() {
    var cm = ConfusionMatrix(classes: 3)
    // truth:     0 0 1 1 1 2 255
    // predicted: 0 1 1 1 2 2 0
    cm.add(truth: [0, 0, 1, 1, 1, 2, 255], predicted: [0, 1, 1, 1, 2, 2, 0])
    #expect(cm.iou(0) == 1.0 / 2.0)   // tp 1, truth 2, pred 1
    #expect(cm.iou(1) == 2.0 / 4.0)   // tp 2, truth 3, pred 3
    #expect(cm.iou(2) == 1.0 / 2.0)   // tp 1, truth 1, pred 2
    #expect(abs(cm.pixelAccuracy - 4.0 / 6.0) < 1e-12)
    #expect(cm.meanIoU(over: [1, 2]) == 0.5)
}

@Test func absentClassesAreSkippedNotCountedAsZero() {
    var cm = ConfusionMatrix(classes: 4)
    cm.add(truth: [1, 1], predicted: [1, 1])
    #expect(cm.iou(3) == nil)
    #expect(cm.meanIoU() == 1.0)
}
