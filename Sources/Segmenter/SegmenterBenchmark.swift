import Foundation
import Tensor

/// Timings of the head alone on random cached-size features (`bench/segmenter/run.sh` compares
/// them with the same head in PyTorch).
public enum SegmenterBenchmark {
    /// Sizes of one benchmark; the defaults match a nano ViT (patch 8, 96-d) at 224 pixels and
    /// the synthetic benchmark's full vocabulary (16 objects, 89 parts).
    public struct Setup: Sendable {
        public var grid = 28
        public var inputDim = 96
        public var hiddenDim = 256
        public var blocks = 3
        public var embedDim = 384
        public var objects = 16
        public var parts = 89
        public var batch = 2
        public var pixels = 224
        public init() {}
    }

    /// Median seconds of one training step (`batch` images: forward, backward, AdamW) and of one
    /// segmentation (head, bilinear upsampling of the logits, per-pixel argmax) over `repeats`.
    public static func run(_ setup: Setup, repeats: Int) throws -> (trainStep: Double, segment: Double) {
        var rng = SplitMix64(seed: 1)
        let n = setup.grid * setup.grid
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float(rng.uniform(-1.0 as Double, 1.0)) } }
        let objects = try Vocabulary(names: (0..<setup.objects).map { "o\($0)" }, embeddings: random(setup.objects * setup.embedDim), dim: setup.embedDim)
        let parts = try Vocabulary(names: (0..<setup.parts).map { "p\($0)" }, embeddings: random(setup.parts * setup.embedDim), dim: setup.embedDim)
        let samples = (0..<setup.batch).map { i in
            TrainingSample(imageID: Int64(i), features: random(n * setup.inputDim), gridH: setup.grid, gridW: setup.grid,
                           targets: PatchTargets(object: (0..<n).map { _ in Int(rng.next() % UInt64(setup.objects + 1)) },
                                                 part: (0..<n).map { _ in Int(rng.next() % UInt64(setup.parts + 1)) },
                                                 weight: [Float](repeating: 1, count: n)))
        }
        var config = TrainerConfig()
        config.epochs = 1
        config.batch = setup.batch
        config.balancePower = 0
        let head = SegmenterHead(config: HeadConfig(inputDim: setup.inputDim, hiddenDim: setup.hiddenDim, embedDim: setup.embedDim,
                                                          blocks: setup.blocks))
        func median(_ body: () -> Void) -> Double {
            body()
            var times: [Double] = []
            for _ in 0..<max(1, repeats) {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        let trainer = SegmenterTrainer(head: head, objects: objects, parts: parts, config: config)
        // One epoch over `batch` samples is exactly one optimiser step.
        let step = median { trainer.train(training: samples, validation: []) }
        let features = samples[0].features
        let segment = median {
            _ = head.segment(features: features, gridH: setup.grid, gridW: setup.grid, objects: objects, parts: parts,
                             width: setup.pixels, height: setup.pixels)
        }
        return (step, segment)
    }
}
