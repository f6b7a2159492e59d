import ArgumentParser
import Foundation
import Segmenter

/// `vlpart bench-segmenter` (hidden): times the segmenter head for `bench/segmenter/run.sh`.
struct BenchSegmenterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-segmenter",
        abstract: "Time segmenter head training steps and segmentation (used by bench/segmenter/run.sh).",
        discussion: "Prints `train_steps_per_s X` and `segment_images_per_s Y`, medians of --repeat runs after a warm-up.",
        shouldDisplay: false
    )

    @Option(help: "Patch grid side (224 px / patch 8 = 28).") var grid: Int = 28
    @Option(help: "Backbone feature channels.") var dim: Int = 96
    @Option(help: "Head hidden channels.") var hidden: Int = 256
    @Option(help: "Head spatial blocks.") var blocks: Int = 3
    @Option(help: "Images per training step.") var batch: Int = 2
    @Option(help: "Output side, pixels.") var pixels: Int = 224
    @Option(help: "Timed repetitions.") var `repeat`: Int = 10

    func run() throws {
        var setup = SegmenterBenchmark.Setup()
        setup.grid = grid
        setup.inputDim = dim
        setup.hiddenDim = hidden
        setup.blocks = blocks
        setup.batch = batch
        setup.pixels = pixels
        let (step, segment) = try SegmenterBenchmark.run(setup, repeats: `repeat`)
        print(String(format: "train_steps_per_s %.3f", 1 / step))
        print(String(format: "segment_images_per_s %.3f", 1 / segment))
    }
}
