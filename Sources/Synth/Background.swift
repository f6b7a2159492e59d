import Foundation

/// Paints a textured, cluttered backdrop for each kind of scene. Everything drawn here is
/// background (label 0). Units are pixels; sizes scale with the canvas.
enum Background {
    /// Paints `kind` onto `canvas` and returns the y (pixels) where the ground begins: objects
    /// stand between it and the bottom edge.
    static func paint(_ kind: SceneKind, on canvas: inout Canvas, _ r: inout SynthRandom) -> Double {
        let W = Double(canvas.width), H = Double(canvas.height), u = W / 224
        let seed = r.seed32()
        switch kind {
        case .farm, .park:
            let horizon = H * r.uniform(0.3, 0.45)
            let sky = r.pick([0x8EC5F0, 0xA8D4F5, 0xC9DDE8, 0xF2D9B8]).rgb
            let grass = r.pick([0x6FA23A, 0x5C8F32, 0x8DAE4A, 0xA8A050]).rgb.jittered(0.04, &r)
            canvas.paintAll { x, y in
                if y < horizon { return RGB.mix(sky * 0.85, sky * 1.1, Float(y / horizon)) }
                let n = fbm(x / (9 * u), y / (5 * u), seed, octaves: 3)
                return grass * (0.75 + 0.45 * n) * Float(0.85 + 0.2 * (y - horizon) / (H - horizon))
            }
            clouds(&canvas, below: horizon, u: u, &r)
            hills(&canvas, horizon: horizon, colour: grass * 0.7, u: u, &r)
            if kind == .farm && r.chance(0.6) { fence(&canvas, y: horizon + r.uniform(6, 20) * u, u: u, &r) }
            for _ in 0..<r.int(1...4) { tree(&canvas, groundY: horizon + r.uniform(0, 8) * u, u: u, &r) }
            if kind == .park && r.chance(0.7) {
                let y0 = r.uniform(horizon, H), y1 = r.uniform(horizon, H)
                let path = Contour.stroke([Vec2(-10, y0), Vec2(W / 2, (y0 + y1) / 2 + r.uniform(-20, 20) * u), Vec2(W + 10, y1)],
                                          widths: [18 * u, 24 * u, 32 * u])
                canvas.fill(Shape(path), transform: .identity,
                            texture: Texture(base: RGB(0.78, 0.7, 0.55), noise: 0.08, noiseScale: 3 * u, shading: 0))
            }
            scatter(&canvas, count: r.int(4...12), yRange: horizon...H, u: u, &r)
            return horizon + 4 * u
        case .street:
            let horizon = H * r.uniform(0.38, 0.5), curb = horizon + H * r.uniform(0.06, 0.1)
            let sky = r.pick([0x9CC8EE, 0xC8D6E0, 0xE8D2B8]).rgb
            canvas.paintAll { x, y in
                if y < horizon { return RGB.mix(sky * 0.9, sky * 1.08, Float(y / horizon)) }
                let n = fbm(x / (3 * u), y / (3 * u), seed, octaves: 2)
                return y < curb ? RGB(0.68, 0.66, 0.62) * (0.85 + 0.3 * n) : RGB(0.33, 0.33, 0.35) * (0.8 + 0.4 * n)
            }
            var x = -r.uniform(0, 30) * u
            while x < W {
                let bw = r.uniform(35, 80) * u, top = r.uniform(0.05, 0.8) * horizon
                let colour = r.pick([0xB5835A, 0xC9B79C, 0x8D8D8D, 0xD8C3A5, 0x9E5A4A]).rgb.jittered(0.05, &r)
                let wall = Texture(base: colour, pattern: .grid(colour: RGB(0.25, 0.3, 0.38), cellW: r.uniform(9, 14) * u, cellH: r.uniform(11, 16) * u, fill: 0.55),
                                   noise: 0.05, noiseScale: 4 * u, shading: 0.15, seed: r.seed32())
                canvas.fill(Shape(Contour.rect(x, top, bw - 2 * u, horizon - top + 1)), transform: .identity, texture: wall)
                x += bw
            }
            let laneY = curb + (H - curb) * r.uniform(0.4, 0.7)
            var lx = -r.uniform(0, 30) * u
            while lx < W {
                canvas.fill(Shape(Contour.rect(lx, laneY, 18 * u, 2.5 * u)), transform: .identity,
                            texture: .plain(RGB(0.92, 0.9, 0.8), shading: 0))
                lx += 34 * u
            }
            scatter(&canvas, count: r.int(2...6), yRange: horizon...H, u: u, &r)
            return curb - 6 * u
        case .kitchen, .livingRoom:
            let floorY = H * r.uniform(0.45, 0.62)
            let wall = r.pick([0xE8E0D0, 0xD9E4E8, 0xF0E6C8, 0xCFD8C0, 0xE8D0C8]).rgb.jittered(0.03, &r)
            let floor = r.pick([0x9A6B42, 0xB08560, 0x7A7A78, 0xC8B8A0]).rgb.jittered(0.03, &r)
            let tile = kind == .kitchen, tileSize = r.uniform(10, 18) * u, stripe = r.uniform(8, 16) * u
            let wallpaper = r.int(0...2)
            canvas.paintAll { x, y in
                if y < floorY {
                    if tile {
                        let grout = x.truncatingRemainder(dividingBy: tileSize) < 1.2 * u
                            || y.truncatingRemainder(dividingBy: tileSize) < 1.2 * u
                        return grout ? wall * 0.75 : wall * (0.95 + 0.1 * fbm(x / (5 * u), y / (5 * u), seed, octaves: 1))
                    }
                    switch wallpaper {
                    case 0: return Int(x / stripe) % 2 == 0 ? wall : wall * 0.9
                    case 1: return wall * (0.9 + 0.15 * fbm(x / (6 * u), y / (6 * u), seed, octaves: 2))
                    default:
                        let cx = (x / stripe).rounded() * stripe, cy = (y / stripe).rounded() * stripe
                        return (x - cx) * (x - cx) + (y - cy) * (y - cy) < 4 * u * u ? wall * 0.8 : wall
                    }
                }
                let plank = Int((x + 13 * Double(Int(y / (14 * u)) % 3) * u) / (40 * u))
                let n = fbm(x / (20 * u), y / (2 * u), seed &+ UInt32(plank & 7), octaves: 2)
                let seam = (y / (14 * u)).truncatingRemainder(dividingBy: 1) < 0.06
                return floor * (seam ? 0.7 : 0.82 + 0.3 * n)
            }
            if tile { // a counter edge and cabinet doors below it
                let counterY = floorY - r.uniform(4, 10) * u
                canvas.fill(Shape(Contour.rect(0, counterY, W, 6 * u)), transform: .identity,
                            texture: .plain(r.pick([0x5A5A5E, 0xE8E4DC, 0x8B6B4A]).rgb, shading: 0.2))
            } else {
                let wx = r.uniform(0.05, 0.6) * W, wy = r.uniform(0.05, 0.2) * H
                let ww = r.uniform(40, 70) * u, wh = min(floorY - wy - 8 * u, r.uniform(40, 70) * u)
                if wh > 10 * u {
                    canvas.fill(Shape(Contour.rect(wx - 3 * u, wy - 3 * u, ww + 6 * u, wh + 6 * u)), transform: .identity,
                                texture: .plain(RGB(0.95, 0.95, 0.93)))
                    canvas.fill(Shape(Contour.rect(wx, wy, ww, wh)), transform: .identity,
                                texture: Texture(base: RGB(0.6, 0.8, 0.95), pattern: .gradient(to: RGB(0.85, 0.92, 0.98), angle: .pi / 2),
                                                 noise: 0, shading: 0))
                }
                if r.chance(0.6) {
                    let rug = Contour.ellipse(Vec2(r.uniform(0.3, 0.7) * W, floorY + (H - floorY) * 0.55), W * 0.35, (H - floorY) * 0.3)
                    canvas.fill(Shape(rug), transform: .identity,
                                texture: Texture(base: r.pick([0xA03030, 0x305070, 0x6A5A8A]).rgb,
                                                 pattern: .stripes(colour: RGB(0.9, 0.85, 0.7), period: 9 * u, angle: 0.3, duty: 0.25),
                                                 noise: 0.06, noiseScale: 2 * u, shading: 0))
                }
            }
            scatter(&canvas, count: r.int(2...6), yRange: floorY...H, u: u, &r)
            return floorY + 2 * u
        }
    }

    private static func clouds(_ c: inout Canvas, below horizon: Double, u: Double, _ r: inout SynthRandom) {
        for _ in 0..<r.int(0...3) {
            let centre = Vec2(r.uniform(0, Double(c.width)), r.uniform(0.1, 0.8) * horizon)
            let radii = (0..<9).map { _ in r.uniform(0.7, 1.2) }
            c.fill(Shape(Contour.blob(centre, radii: radii, sx: r.uniform(18, 35) * u, sy: r.uniform(6, 11) * u)),
                   transform: .identity, texture: Texture(base: RGB(0.97, 0.97, 0.98), noise: 0.03, noiseScale: 6 * u, shading: 0.1))
        }
    }

    private static func hills(_ c: inout Canvas, horizon: Double, colour: RGB, u: Double, _ r: inout SynthRandom) {
        let W = Double(c.width)
        var pts = [Vec2(-20, horizon + 3 * u)]
        for i in 0...5 { pts.append(Vec2(W * Double(i) / 5, horizon - r.uniform(2, 22) * u)) }
        pts.append(Vec2(W + 20, horizon + 3 * u))
        c.fill(Shape(Contour.spline(pts, steps: 6)), transform: .identity,
               texture: Texture(base: colour, noise: 0.06, noiseScale: 8 * u, shading: 0.1))
    }

    private static func fence(_ c: inout Canvas, y: Double, u: Double, _ r: inout SynthRandom) {
        let wood = Texture(base: r.pick([0x8B6B4A, 0xD8D0C0, 0x6B4A2A]).rgb, noise: 0.06, noiseScale: 3 * u, shading: 0.1)
        let gap = r.uniform(22, 36) * u, h = r.uniform(16, 26) * u
        for k in 0...2 { c.fill(Shape(Contour.rect(0, y - h * (0.3 + 0.35 * Double(k)), Double(c.width), 2.5 * u)), transform: .identity, texture: wood) }
        var x = r.uniform(0, gap)
        while x < Double(c.width) {
            c.fill(Shape(Contour.rect(x, y - h, 4 * u, h)), transform: .identity, texture: wood)
            x += gap
        }
    }

    private static func tree(_ c: inout Canvas, groundY: Double, u: Double, _ r: inout SynthRandom) {
        let x = r.uniform(0, Double(c.width)), h = r.uniform(30, 70) * u
        c.fill(Shape(Contour.rect(x - 3 * u, groundY - h * 0.6, 6 * u, h * 0.6)), transform: .identity,
               texture: .plain(RGB(0.35, 0.25, 0.17)))
        let radii = (0..<10).map { _ in r.uniform(0.75, 1.15) }
        let leaf = r.pick([0x2F6B2A, 0x3F7F32, 0x557A2A, 0x8A6A2A]).rgb
        c.fill(Shape(Contour.blob(Vec2(x, groundY - h * 0.75), radii: radii, sx: h * 0.35, sy: h * 0.35)), transform: .identity,
               texture: Texture(base: leaf, pattern: .spots(colour: leaf * 0.7, cell: 6 * u, radius: 2.5 * u),
                                noise: 0.1, noiseScale: 3 * u, shading: 0.3, seed: r.seed32()))
    }

    /// Small unlabelled clutter on the ground: stones, tufts, leaves and boxes.
    static func scatter(_ c: inout Canvas, count: Int, yRange: ClosedRange<Double>, u: Double, _ r: inout SynthRandom) {
        for _ in 0..<count {
            let p = Vec2(r.uniform(0, Double(c.width)), r.uniform(yRange.lowerBound, yRange.upperBound))
            let size = r.uniform(3, 11) * u
            let colour = r.pick([0x8A8580, 0x6B5A45, 0x4A6A30, 0xB0A890, 0x905030, 0x303A50]).rgb.jittered(0.06, &r)
            let shape: [Vec2]
            switch r.int(0...2) {
            case 0: shape = Contour.blob(p, radii: (0..<7).map { _ in r.uniform(0.6, 1.1) }, sx: size, sy: size * 0.6)
            case 1: shape = Contour.roundedRect(p.x, p.y - size, size * 1.4, size, radius: 1.5 * u)
            default:
                shape = Contour.rounded([p + Vec2(-size, 0), p + Vec2(0, -size * 1.6), p + Vec2(size, 0)], radius: u)
            }
            c.fill(Shape(shape), transform: .identity,
                   texture: Texture(base: colour, noise: 0.1, noiseScale: 2 * u, shading: 0.35, seed: r.seed32()))
        }
    }
}
