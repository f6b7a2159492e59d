import Testing
import TestSupport
@testable import Segmenter

/// Four 4×4 "images" whose patch features encode their part directly (plus noise): a head
/// must overfit them, so the loss falls and validation mIoU rises to near 1.
@Test func tinyTrainingRunOverfitsAHandfulOfImages() throws {
    var rng = SplitMix64(seed: 5)
    let dim = 6
    func sample(_ id: Int64) -> TrainingSample {
        var features = [Float](), object = [Int](), part = [Int]()
        for i in 0..<16 {
            let p = (i / 4) % 3            // rows 0,3: part 0 (none); rows 1: part 1; row 2: part 2
            for d in 0..<dim { features.append((d == p ? 2 : 0) + Float.random(in: -0.3...0.3, using: &rng)) }
            object.append(p == 0 ? 0 : 1)
            part.append(p)
        }
        return TrainingSample(imageID: id, features: features, gridH: 4, gridW: 4,
                              targets: PatchTargets(object: object, part: part, weight: [Float](repeating: 1, count: 16)))
    }
    let train = (0..<4).map { sample(Int64($0)) }
    let val = [sample(9)]
    let objects = try Vocabulary(names: ["dog"], embeddings: (0..<8).map { _ in Float.random(in: -1...1, using: &rng) }, dim: 8)
    let parts = try Vocabulary(names: ["dog head", "dog leg"], embeddings: (0..<16).map { _ in Float.random(in: -1...1, using: &rng) }, dim: 8)
    var config = TrainerConfig()
    config.epochs = 40
    config.batch = 2
    config.learningRate = 1e-2
    config.patience = 100
    let trainer = SegmenterTrainer(head: SegmenterHead(config: HeadConfig(inputDim: dim, hiddenDim: 16, embedDim: 8), seed: 1),
                                   objects: objects, parts: parts, config: config)
    let before = trainer.validationMIoU(val)
    let report = trainer.train(training: train, validation: val)
    #expect(report.losses.last! < report.losses.first! * 0.5, "loss \(report.losses.first!) → \(report.losses.last!)")
    #expect(report.bestValidationMIoU > 0.9, "validation mIoU \(before) → \(report.bestValidationMIoU)")
    #expect(trainer.validationMIoU(val) == report.bestValidationMIoU)
}
