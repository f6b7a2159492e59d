import Foundation

/// A linear RGB colour with channels in `[0, 1]`.
struct RGB: Sendable, Equatable {
    var r: Float, g: Float, b: Float

    init(_ r: Float, _ g: Float, _ b: Float) { self.r = r; self.g = g; self.b = b }
    /// From 0–255 components, e.g. `RGB(hex: 0x8B5A2B)`.
    init(hex: UInt32) {
        self.init(Float((hex >> 16) & 0xFF) / 255, Float((hex >> 8) & 0xFF) / 255, Float(hex & 0xFF) / 255)
    }

    static func * (c: RGB, s: Float) -> RGB { RGB(c.r * s, c.g * s, c.b * s) }
    static func + (a: RGB, b: RGB) -> RGB { RGB(a.r + b.r, a.g + b.g, a.b + b.b) }

    /// `a·(1 − t) + b·t`.
    static func mix(_ a: RGB, _ b: RGB, _ t: Float) -> RGB { a * (1 - t) + b * t }

    /// This colour with each channel moved by up to `amount` at random (clamped to [0, 1]).
    func jittered(_ amount: Double, _ rng: inout SynthRandom) -> RGB {
        func j(_ v: Float) -> Float { min(1, max(0, v + Float(rng.uniform(-amount, amount)))) }
        return RGB(j(r), j(g), j(b))
    }
}

/// The pattern a part is painted with, evaluated in object-local units so it moves, scales and
/// turns with the object.
enum Pattern: Sendable {
    case solid
    /// Linear blend from the base colour to `to` along direction `angle` across the shape.
    case gradient(to: RGB, angle: Double)
    /// Parallel bands of `colour`, `period` units apart, covering `duty` of each period.
    case stripes(colour: RGB, period: Double, angle: Double, duty: Double)
    /// Round spots of `colour` on a jittered grid of `cell` units, radius up to `radius`.
    case spots(colour: RGB, cell: Double, radius: Double)
    /// Large irregular patches of `colour` (cow coat, camouflage) where smooth noise exceeds `threshold`.
    case patches(colour: RGB, scale: Double, threshold: Float)
    /// Rectangles of `colour` filling `fill` of each `cellW × cellH` cell (windows on a facade, tiles).
    case grid(colour: RGB, cellW: Double, cellH: Double, fill: Double)
    /// A wavy-plank wood grain with darker `colour` lines.
    case grain(colour: RGB, period: Double)
}

/// How one part is painted: a base colour, a pattern, fine per-pixel noise and shading.
struct Texture: Sendable {
    var base: RGB
    var pattern: Pattern = .solid
    /// Amplitude of fine value noise added to every channel (0 = flat).
    var noise: Float = 0.04
    /// Size of the noise features in object-local units.
    var noiseScale: Double = 0.04
    /// Strength of top-lit, rounded shading across the shape's bounding box (0 = none).
    var shading: Float = 0.35
    /// Seeds the noise so two parts with the same parameters still differ.
    var seed: UInt32 = 0

    /// The colour at object-local point `p` of a shape whose local bounds are `box`.
    func colour(at p: Vec2, in box: Box2) -> RGB {
        var c = base
        switch pattern {
        case .solid:
            break
        case let .gradient(to, angle):
            let d = Vec2.polar(angle)
            let half = 0.5 * (abs(d.x) * box.width + abs(d.y) * box.height)
            let t = half > 0 ? ((p.x - box.center.x) * d.x + (p.y - box.center.y) * d.y) / (2 * half) + 0.5 : 0.5
            c = RGB.mix(base, to, Float(min(1, max(0, t))))
        case let .stripes(colour, period, angle, duty):
            let d = Vec2.polar(angle)
            let u = (p.x * d.x + p.y * d.y) / period + 0.15 * valueNoise(p.x / period, p.y / period, seed &+ 7)
            let f = u - floor(u)
            if f < duty { c = colour }
        case let .spots(colour, cell, radius):
            if spotCoverage(p, cell: cell, radius: radius, seed: seed) { c = colour }
        case let .patches(colour, scale, threshold):
            let v = fbm(p.x / scale, p.y / scale, seed &+ 3, octaves: 3)
            if v > threshold { c = colour }
        case let .grid(colour, cw, ch, fill):
            let fx = p.x / cw - floor(p.x / cw), fy = p.y / ch - floor(p.y / ch)
            let margin = (1 - fill) / 2
            if fx > margin && fx < 1 - margin && fy > margin && fy < 1 - margin { c = colour }
        case let .grain(colour, period):
            let warp = 0.6 * fbm(p.x / (period * 6), p.y / (period * 1.5), seed &+ 11, octaves: 2)
            let u = p.y / period + Double(warp) * 2
            let f = Float(u - floor(u))
            c = RGB.mix(base, colour, max(0, 1 - abs(f - 0.5) * 5) * 0.8)
        }
        var light: Float = 1
        if shading > 0, box.width > 0, box.height > 0 {
            let ty = Float((p.y - box.minY) / box.height)          // 0 at top, 1 at bottom
            let ux = Float((p.x - box.center.x) / (box.width / 2)) // −1 … 1 across
            light = 1 + shading * (0.3 - 0.6 * ty) - shading * 0.45 * min(1, ux * ux)
        }
        if noise > 0 {
            light += noise * (fbm(p.x / noiseScale, p.y / noiseScale, seed, octaves: 2) - 0.5) * 2
        }
        return RGB(min(1, max(0, c.r * light)), min(1, max(0, c.g * light)), min(1, max(0, c.b * light)))
    }
}

/// Whether `p` falls in a spot of a jittered grid with cells of size `cell`.
private func spotCoverage(_ p: Vec2, cell: Double, radius: Double, seed: UInt32) -> Bool {
    let gx = Int(floor(p.x / cell)), gy = Int(floor(p.y / cell))
    for j in (gy - 1)...(gy + 1) {
        for i in (gx - 1)...(gx + 1) {
            let h = hash3(Int32(truncatingIfNeeded: i), Int32(truncatingIfNeeded: j), seed)
            if h & 3 == 0 { continue }  // a quarter of the cells stay empty
            let cx = (Double(i) + unit(h >> 2)) * cell, cy = (Double(j) + unit(h >> 12)) * cell
            let r = radius * (0.5 + 0.5 * unit(h >> 22))
            let dx = p.x - cx, dy = p.y - cy
            if dx * dx + dy * dy < r * r { return true }
        }
    }
    return false
}

/// A 32-bit integer hash of a lattice point and seed (a Murmur-style finaliser).
func hash3(_ x: Int32, _ y: Int32, _ seed: UInt32) -> UInt32 {
    var h = UInt32(bitPattern: x) &* 0x8DA6_B343 ^ UInt32(bitPattern: y) &* 0xD816_3841 ^ seed &* 0xCB1A_B31F
    h ^= h >> 16; h &*= 0x7FEB_352D; h ^= h >> 15; h &*= 0x846C_A68B; h ^= h >> 16
    return h
}

/// The low 10 bits of `h` as a value in `[0, 1)`.
private func unit(_ h: UInt32) -> Double { Double(h & 1023) / 1024 }

/// Smooth value noise in `[0, 1]` on the integer lattice.
func valueNoise(_ x: Double, _ y: Double, _ seed: UInt32) -> Double {
    let fx = floor(x), fy = floor(y)
    let ix = Int32(truncatingIfNeeded: Int(fx)), iy = Int32(truncatingIfNeeded: Int(fy))
    let tx = x - fx, ty = y - fy
    let sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty)
    func v(_ i: Int32, _ j: Int32) -> Double { Double(hash3(i, j, seed) >> 8) / Double(1 << 24) }
    let a = v(ix, iy), b = v(ix &+ 1, iy), c = v(ix, iy &+ 1), d = v(ix &+ 1, iy &+ 1)
    return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy
}

/// Fractal sum of `octaves` value-noise layers, normalised to `[0, 1]`.
func fbm(_ x: Double, _ y: Double, _ seed: UInt32, octaves: Int) -> Float {
    var sum = 0.0, amp = 1.0, freq = 1.0, norm = 0.0
    for o in 0..<octaves {
        sum += amp * valueNoise(x * freq, y * freq, seed &+ UInt32(o) &* 101)
        norm += amp; amp *= 0.5; freq *= 2.03
    }
    return Float(sum / norm)
}
