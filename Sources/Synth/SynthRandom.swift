import Tensor

/// The synthetic dataset's generator: Tensor's SplitMix64, so a seed gives the same images
/// everywhere; a type of its own so Synth's sampling helpers do not leak onto every generator.
public struct SynthRandom: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    /// Seeds the stream; different seeds give unrelated streams.
    public init(seed: UInt64) { base = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    /// A uniform value in `[lo, hi)`.
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { base.uniform(lo, hi) }
}
