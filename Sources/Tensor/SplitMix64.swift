/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, well-mixed generator, so anything seeded in
/// vlpart (initialisation, k-means, benchmark inputs, tests) is reproducible on every platform.
///
/// ```swift
/// var rng = SplitMix64(seed: 7)
/// let x = Float.random(in: -1...1, using: &rng)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    /// Seeds the stream; different seeds give unrelated streams.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)` from the top 53 bits.
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }

    /// Uniform in `[lo, hi)` as a `Float`.
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(Double(next() >> 11) / Double(1 << 53))
    }
}
