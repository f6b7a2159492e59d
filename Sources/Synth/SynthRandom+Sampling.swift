extension SynthRandom {
    /// An independent stream for item `index` of a run seeded with `seed`, so each image
    /// renders the same whatever order (or thread) it is rendered in.
    init(seed: UInt64, stream index: UInt64) {
        var mixer = SynthRandom(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: mixer.next())
    }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        precondition(!items.isEmpty, "SynthRandom.pick from an empty array")
        return items[int(0...(items.count - 1))]
    }

    /// `value` scaled by a random factor in `[1 − spread, 1 + spread]`.
    mutating func vary(_ value: Double, _ spread: Double) -> Double {
        value * uniform(1 - spread, 1 + spread)
    }

    /// A 32-bit seed for texture noise.
    mutating func seed32() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) }
}
