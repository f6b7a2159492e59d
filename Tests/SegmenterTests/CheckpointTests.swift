import Foundation
import Testing
import TestSupport
@testable import Segmenter

/// Random features whose part is encoded in one channel, on a `side × side` grid.
func syntheticSamples(count: Int, side: Int, dim: Int, seed: UInt64) -> [TrainingSample] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { id in
        var features = [Float](), object = [Int](), part = [Int]()
        for i in 0..<(side * side) {
            let p = (i / side + id) % 3
            for d in 0..<dim { features.append((d == p ? 2 : 0) + Float(rng.uniform(-0.3 as Double, 0.3))) }
            object.append(p == 0 ? 0 : 1)
            part.append(p)
        }
        return TrainingSample(imageID: Int64(id), features: features, gridH: side, gridW: side,
                              targets: PatchTargets(object: object, part: part, weight: [Float](repeating: 1, count: side * side)))
    }
}

func randomVocabulary(_ names: [String], dim: Int, seed: UInt64) throws -> Vocabulary {
    var rng = SplitMix64(seed: seed)
    return try Vocabulary(names: names, embeddings: (0..<(names.count * dim)).map { _ in Float(rng.uniform(-1.0 as Double, 1.0)) }, dim: dim)
}

@Test func modelFileRoundTripsHeadAndMetadata() throws {
    let dir = try makeTemporaryDirectory("seg-ckpt")
    defer { try? FileManager.default.removeItem(at: dir) }
    let head = SegmenterHead(config: HeadConfig(inputDim: 6, hiddenDim: 8, embedDim: 5, blocks: 3), seed: 3)
    var report = TrainingReport()
    report.losses = [2, 1.5]
    report.bestEpoch = 1
    let model = SegmenterModel(head: head, backbonePath: "/x/vit.safetensors", backboneSHA256: "abc123",
                               settings: BackboneSettings(size: 96, stride: 4, layer: 2, facet: "key", heads: 3),
                               objectNames: ["dog", "car_(automobile)"], partNames: ["dog:head", "car_(automobile):wheel"],
                               report: report)
    let path = dir.appendingPathComponent("seg.safetensors").path
    try model.save(path: path)
    let loaded = try SegmenterModel.load(path: path)
    #expect(loaded.head.config == head.config)
    for name in head.parameterNames {
        #expect(loaded.head.parameters[name]!.data == head.parameters[name]!.data, "\(name)")
    }
    #expect(loaded.settings == model.settings)
    #expect(loaded.objectNames == model.objectNames && loaded.partNames == model.partNames)
    #expect(loaded.backbonePath == "/x/vit.safetensors" && loaded.backboneSHA256 == "abc123")
    #expect(loaded.report?.losses == [2, 1.5])

    // A file that is not a segmenter is refused with its path in the message.
    let bogus = dir.appendingPathComponent("bogus.safetensors").path
    try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: bogus))
    #expect { try SegmenterModel.load(path: bogus) } throws: { "\($0)".contains(bogus) }
}

/// Models written before heads had several blocks say nothing of `blocks`: they load as one block.
@Test func headConfigWithoutBlocksDecodesAsOneBlock() throws {
    let old = try JSONDecoder().decode(HeadConfig.self, from: Data(#"{"inputDim":96,"hiddenDim":256,"embedDim":384}"#.utf8))
    #expect(old == HeadConfig(inputDim: 96, hiddenDim: 256, embedDim: 384, blocks: 1))
    #expect(SegmenterHead(config: old).parameterNames.count == 11)
    #expect(throws: DecodingError.self) {
        try JSONDecoder().decode(HeadConfig.self, from: Data(#"{"inputDim":96,"hiddenDim":256,"embedDim":384,"blocks":0}"#.utf8))
    }
}

/// Training 4 epochs straight equals training 2, saving the state, and resuming for 2 more.
@Test func resumedTrainingMatchesAnUninterruptedRun() throws {
    let dir = try makeTemporaryDirectory("seg-resume")
    defer { try? FileManager.default.removeItem(at: dir) }
    let train = syntheticSamples(count: 5, side: 4, dim: 6, seed: 1), val = syntheticSamples(count: 2, side: 4, dim: 6, seed: 2)
    let objects = try randomVocabulary(["dog"], dim: 8, seed: 4)
    let parts = try randomVocabulary(["dog head", "dog leg"], dim: 8, seed: 5)
    var config = TrainerConfig()
    config.epochs = 4
    config.batch = 2
    config.patience = 100
    let head = SegmenterHead(config: HeadConfig(inputDim: 6, hiddenDim: 8, embedDim: 8, blocks: 2), seed: 1)
    let straight = SegmenterTrainer(head: head, objects: objects, parts: parts, config: config)
    let full = straight.train(training: train, validation: val)

    let statePath = dir.appendingPathComponent("state.safetensors").path
    let first = SegmenterTrainer(head: head, objects: objects, parts: parts, config: config)
    struct Stop: Error {}
    do {
        try first.train(training: train, validation: val) { epoch, _, _, state in
            try state.save(path: statePath, fingerprint: "f")
            if epoch == 1 { throw Stop() }
        }
    } catch is Stop {}
    #expect { try TrainerState.load(path: statePath, fingerprint: "other") } throws: { "\($0)".contains("other data") }
    let state = try TrainerState.load(path: statePath, fingerprint: "f")
    #expect(state.epochsDone == 2)
    let second = SegmenterTrainer(head: head, objects: objects, parts: parts, config: config)
    let resumed = second.train(training: train, validation: val, resume: state)
    #expect(resumed.losses == full.losses)
    #expect(resumed.bestEpoch == full.bestEpoch)
    for name in head.parameterNames {
        expectClose(second.head.parameters[name]!.data, straight.head.parameters[name]!.data, atol: 0, rtol: 0, label: name)
    }
}

@Test func featureCacheEntryRoundTripsInFloat16() throws {
    var rng = SplitMix64(seed: 9)
    let grid = ImageFeatureGrid(gridH: 3, gridW: 5, dim: 7, features: (0..<105).map { _ in Float(rng.uniform(-4.0 as Double, 4.0)) })
    let decoded = try #require(ImageFeatureCache.decode(ImageFeatureCache.encode(grid)))
    #expect(decoded.gridH == 3 && decoded.gridW == 5 && decoded.dim == 7)
    // float16 keeps 11 significant bits: relative error ≤ 2^-11.
    expectClose(decoded.features, grid.features, atol: 1e-6, rtol: 4.9e-4, label: "float16")
    var truncated = ImageFeatureCache.encode(grid)
    truncated.removeLast()
    #expect(ImageFeatureCache.decode(truncated) == nil)
}
