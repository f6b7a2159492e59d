/// Coat colours and patterns of the quadrupeds: one texture per body region plus an accent
/// colour for noses, hooves and tail tufts.
struct QuadrupedCoat {
    var body: Texture, head: Texture, legs: Texture, tail: Texture
    var accent: RGB

    static func make(_ name: String, _ r: inout SynthRandom) -> QuadrupedCoat {
        switch name {
        case "cat":
            let base = r.pick([0xD98C3A, 0x8A8A8A, 0x2A2A2A, 0xE8D8B8, 0x8B6B4A, 0xC9C0B0]).rgb.jittered(0.05, &r)
            let pattern: Pattern
            switch r.int(0...9) {
            case 0...4: pattern = .stripes(colour: base * 0.55, period: r.uniform(0.07, 0.11), angle: r.uniform(-0.2, 0.2), duty: 0.4)
            case 5...6: pattern = .patches(colour: r.pick([RGB(0.95, 0.95, 0.93), RGB(0.15, 0.13, 0.12)]),
                                           scale: 0.18, threshold: 0.55)
            default: pattern = .solid
            }
            let t = Texture(base: base, pattern: pattern, noise: 0.06, noiseScale: 0.02, shading: 0.3)
            return QuadrupedCoat(body: t, head: t, legs: t, tail: t, accent: RGB(0.85, 0.55, 0.55))
        case "dog":
            var base = r.pick([0x8B5A2B, 0xD4A24C, 0x222222, 0xEEEEEE, 0xC19A6B, 0x777777, 0x5A3A22]).rgb.jittered(0.05, &r)
            let pattern: Pattern
            switch r.int(0...9) {
            case 0...1: // dalmatian
                base = RGB(0.95, 0.94, 0.92)
                pattern = .spots(colour: RGB(0.08, 0.08, 0.08), cell: 0.09, radius: 0.03)
            case 2...4: pattern = .patches(colour: RGB(0.94, 0.93, 0.9), scale: 0.25, threshold: 0.58)
            default: pattern = .solid
            }
            let t = Texture(base: base, pattern: pattern, noise: 0.05, noiseScale: 0.03, shading: 0.3)
            var head = t
            if r.chance(0.4) { head.pattern = .gradient(to: base * 0.6, angle: 0) }
            return QuadrupedCoat(body: t, head: head, legs: t, tail: t, accent: RGB(0.1, 0.08, 0.08))
        case "horse":
            let base = r.pick([0x8B4513, 0x5C3317, 0x1E1E1E, 0xE8E8E8, 0x9A9A9A, 0xD9B36C]).rgb.jittered(0.04, &r)
            let pattern: Pattern = switch r.int(0...5) {
            case 0: .spots(colour: base * 1.25, cell: 0.1, radius: 0.04)
            case 1: .patches(colour: RGB(0.95, 0.95, 0.93), scale: 0.3, threshold: 0.6)
            default: .solid
            }
            let t = Texture(base: base, pattern: pattern, noise: 0.04, noiseScale: 0.05, shading: 0.35)
            var legs = t
            if r.chance(0.4) { legs.pattern = .gradient(to: RGB(0.92, 0.9, 0.86), angle: .pi / 2) }
            var tail = Texture(base: base * 0.45, pattern: .stripes(colour: base * 0.3, period: 0.03, angle: 0, duty: 0.4),
                               noise: 0.05, shading: 0.1)
            if r.chance(0.2) { tail.base = RGB(0.9, 0.88, 0.8) }
            return QuadrupedCoat(body: t, head: t, legs: legs, tail: tail, accent: RGB(0.15, 0.13, 0.12))
        case "cow":
            let base = r.pick([0xF2F0EA, 0xF2F0EA, 0x7B4A2A, 0x2A2420]).rgb.jittered(0.03, &r)
            let patch = base.r > 0.8 ? r.pick([RGB(0.1, 0.1, 0.1), RGB(0.45, 0.26, 0.14)]) : RGB(0.95, 0.94, 0.9)
            let pattern: Pattern = r.chance(0.75) ? .patches(colour: patch, scale: r.uniform(0.2, 0.3), threshold: 0.52) : .solid
            let t = Texture(base: base, pattern: pattern, noise: 0.03, noiseScale: 0.05, shading: 0.3)
            return QuadrupedCoat(body: t, head: t, legs: t, tail: t, accent: RGB(0.2, 0.17, 0.15))
        default: // sheep: pale fleece with coarse curl noise; dark or cream face and legs
            let wool = r.pick([0xEAE5D8, 0xDDD6C6, 0xF4F1EA, 0xC8C0B0]).rgb.jittered(0.03, &r)
            let fleece = Texture(base: wool, pattern: .spots(colour: wool * 0.86, cell: 0.05, radius: 0.022),
                                 noise: 0.16, noiseScale: 0.018, shading: 0.3)
            let skin = r.pick([0x1E1C1A, 0x2A2622, 0xD8CBB0]).rgb
            let face = Texture(base: skin, noise: 0.03, shading: 0.25)
            return QuadrupedCoat(body: fleece, head: face, legs: face, tail: fleece, accent: RGB(0.12, 0.1, 0.1))
        }
    }
}

extension Int {
    /// `0xRRGGBB` as a colour.
    var rgb: RGB { RGB(hex: UInt32(truncatingIfNeeded: self)) }
}
