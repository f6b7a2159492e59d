import Foundation
import Tensor

/// The seeded generator behind every random choice in pretraining (initialisation, epoch order,
/// crops, augmentations): SplitMix64 plus the few distributions DINO needs.
///
/// Each stream is derived from `(seed, purpose, index)`, so step `k` draws the same crops whether
/// training ran straight through or resumed from a checkpoint at step `k`.
public struct PretrainRandom: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    /// The generator's whole state (SplitMix64's counter).
    public var state: UInt64 { base.state }

    public init(seed: UInt64) { base = SplitMix64(seed: seed) }

    /// A stream for `purpose` (a small constant) and `index` (epoch or step) under `seed`.
    public init(seed: UInt64, purpose: UInt64, index: Int) {
        var mix = SplitMix64(seed: seed ^ (purpose &* 0xA24B_AED4_963E_E407))
        base = SplitMix64(seed: mix.next() ^ UInt64(truncatingIfNeeded: index) &* 0x9FB2_1C65_1E98_DF25)
        _ = next()
    }

    public mutating func next() -> UInt64 { base.next() }

    /// Uniform in `[a, b)`.
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { base.uniform(a, b) }

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
