import ArgumentParser
import Features
import Foundation
import Tensor

/// `vlpart bench …`: throughput measurements of library hot paths.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput of vlpart's numeric kernels on this machine.",
        subcommands: [BenchFeatures.self]
    )
}

/// `vlpart bench features`: ViT forward throughput.
struct BenchFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Time ViT forward passes on random images and print images/s and GFLOP/s.",
        discussion: """
        Loads --model like `vlpart features extract`, builds a batch of random --size×--size images \
        and runs forward passes through every block for --seconds after one warm-up batch. \
        Example (VLPart's parser setting): vlpart bench features --model dino_deitsmall8_pretrain.pth --batch 1 --stride 4
        """
    )

    @Option(help: "Checkpoint: .safetensors, .pth, or a directory with model.safetensors + config.json.")
    var model: String
    @Option(help: "Attention heads, when neither config.json nor the standard head width 64 gives them.")
    var heads: Int?
    @Option(help: "Images per forward pass.")
    var batch: Int = 8
    @Option(help: "Square image side in pixels.")
    var size: Int = 224
    @Option(help: "Patch-embedding stride (default: the patch size).")
    var stride: Int?
    @Option(help: "Minimum measuring time in seconds.")
    var seconds: Double = 10
    @Option(help: "Threads for BLAS and parallel loops (default: all cores).")
    var threads: Int?
    @OptionGroup var arithmetic: PrecisionOption

    func validate() throws {
        guard batch > 0, size > 0, seconds >= 0 else { throw ValidationError("--batch and --size must be positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let threads { setParallelWidth(threads) }
        let precision = arithmetic.resolved()
        let vit = try ViTCheckpoint.load(path: model, heads: heads).with(precision: precision)
        let r = try FeatureBenchmark.run(model: vit, batch: batch, size: size, stride: stride, seconds: seconds) { n, t in
            FileHandle.standardError.write(Data("\r\(n) batches, \(String(format: "%.1f", t)) s".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(String(format: "images/s: %.3f", r.imagesPerSecond))
        print(String(format: "GFLOP/s: %.1f", r.gflopsPerSecond))
        print("tokens: \(r.tokens), batches: \(r.batches), seconds: \(String(format: "%.2f", r.seconds)), threads: \(parallelWidth), precision: \(precision.rawValue)")
    }
}
