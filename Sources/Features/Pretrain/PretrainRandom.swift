import Foundation

/// The seeded generator behind every random choice in pretraining (initialisation, epoch order,
/// crops, augmentations): SplitMix64 plus the few distributions DINO needs.
///
/// Each stream is derived from `(seed, purpose, index)`, so step `k` draws the same crops whether
/// training ran straight through or resumed from a checkpoint at step `k`.
public struct PretrainRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A stream for `purpose` (a small constant) and `index` (epoch or step) under `seed`.
    public init(seed: UInt64, purpose: UInt64, index: Int) {
        var mix = PretrainRandom(seed: seed ^ (purpose &* 0xA24B_AED4_963E_E407))
        state = mix.next() ^ UInt64(truncatingIfNeeded: index) &* 0x9FB2_1C65_1E98_DF25
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[a, b)`.
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * Double(next() >> 11) / Double(1 << 53)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(0, 1), 1e-300), u2 = uniform(0, 1)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `timm.trunc_normal_(std:)` with bounds ±2 (absolute, as timm and DINO call it).
    public mutating func truncatedNormal(std: Double) -> Float {
        while true {
            let v = normal() * std
            if abs(v) <= 2 { return Float(v) }
        }
    }
}
