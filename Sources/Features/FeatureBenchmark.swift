import Dispatch
import Tensor

/// Throughput measurement of `VisionTransformer.forward` on random inputs, for `vlpart bench features`.
public enum FeatureBenchmark {
    /// Measured throughput.
    public struct Result: Sendable {
        public var imagesPerSecond: Double
        public var gflopsPerSecond: Double
        public var tokens: Int
        public var batches: Int
        public var seconds: Double
    }

    /// Runs forward passes of `batch` random `size × size` images (seeded) for at least `seconds`
    /// after one warm-up batch, through the final block (no facet capture).
    public static func run(model: VisionTransformer, batch: Int, size: Int, stride: Int?, seconds: Double,
                           progress: (Int, Double) -> Void = { _, _ in }) throws -> Result {
        var rng = SplitMix64(seed: 42)
        let pixels = Tensor(shape: [batch, 3, size, size],
                            data: (0..<(batch * 3 * size * size)).map { _ in Float.random(in: -2...2, using: &rng) })
        let options = ViTForwardOptions(stride: stride)
        let warm = try model.forward(pixels, options: options, name: "benchmark")
        let patches = warm.gridHeight * warm.gridWidth
        var batches = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            _ = try model.forward(pixels, options: options, name: "benchmark")
            batches += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress(batches, elapsed)
        } while elapsed < seconds
        let images = Double(batches * batch)
        let flops = model.config.flops(tokens: warm.tokens, patches: patches) * images
        return Result(imagesPerSecond: images / elapsed, gflopsPerSecond: flops / elapsed / 1e9,
                      tokens: warm.tokens, batches: batches, seconds: elapsed)
    }
}
