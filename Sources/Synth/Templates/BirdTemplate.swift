import Foundation

/// Pigeons, parrots and sparrows: an egg-shaped torso tilted by posture, a round head with a
/// species beak, a folded (or, in flight, raised) wing, a tail and two thin legs with toes.
/// Side view facing +x; the torso is about one unit long.
enum BirdTemplate {
    static func draw(_ category: SynthCategory, _ r: inout SynthRandom) -> ObjectDrawing {
        var d = ObjectDrawing(category: category)
        let name = category.name
        let flying = r.chance(0.2)
        d.grounded = !flying

        // Proportions: tilt raises the front (radians), parrots sit upright.
        let rx = 0.5, ry: Double, tilt: Double, headR: Double, legLen: Double, tailLen: Double, tailW: Double
        switch name {
        case "pigeon": ry = r.vary(0.3, 0.08); tilt = r.uniform(0.1, 0.3); headR = r.vary(0.14, 0.08)
            legLen = 0.18; tailLen = r.vary(0.42, 0.1); tailW = 0.2
        case "parrot": ry = r.vary(0.26, 0.08); tilt = r.uniform(0.9, 1.2); headR = r.vary(0.18, 0.08)
            legLen = 0.12; tailLen = r.vary(0.8, 0.15); tailW = 0.14
        default: ry = r.vary(0.34, 0.08); tilt = r.uniform(0.2, 0.5); headR = r.vary(0.19, 0.08)
            legLen = 0.16; tailLen = r.vary(0.3, 0.15); tailW = 0.14
        }
        let palette = BirdPalette.make(name, &r)
        let halfHeight = ((rx * sin(tilt)) * (rx * sin(tilt)) + (ry * cos(tilt)) * (ry * cos(tilt))).squareRoot()
        let centre = Vec2(0, -(flying ? 0.3 : legLen) - halfHeight * 0.9)
        let bodyRot = Affine2.rotation(-tilt)

        // Far leg, tail and far wing behind the torso.
        func leg(_ dx: Double, shade: Float) {
            let hip = centre + Vec2(dx, ry * 0.5)
            let knee = hip + Vec2(0.03, (-hip.y) * 0.5)
            let foot = Vec2(hip.x + r.uniform(-0.03, 0.05), 0)
            let tex = Texture.plain(palette.leg * shade, shading: 0.1)
            d.add("leg", Contour.stroke([hip, knee, foot], widths: [0.06, 0.03, 0.025]), tex)
            for toe in [Vec2(0.11, 0.005), Vec2(0.07, -0.01), Vec2(-0.06, 0.0)] {
                d.add("leg", Contour.stroke([foot, foot + toe], widths: [0.022, 0.015]), tex)
            }
        }
        if !flying { leg(0.06, shade: 0.7) }
        let tailRoot = centre + bodyRot.apply(Vec2(-rx * 0.75, 0))
        let tailDir = bodyRot.apply(Vec2(-1, r.uniform(-0.1, 0.35))).normalized
        let tailSide = tailDir.perpendicular
        let tailEnd = tailRoot + tailDir * tailLen
        let tail = Contour.rounded([tailRoot + tailSide * (ry * 0.4), tailEnd + tailSide * (tailW / 2),
                                    tailEnd + tailDir * (name == "parrot" ? 0.05 : -0.02),
                                    tailEnd - tailSide * (tailW / 2), tailRoot - tailSide * (ry * 0.4)], radius: 0.04)
        d.add("tail", tail, palette.tail.variant(&r))
        if flying {
            let wing = raisedWing(centre, rx: rx, ry: ry, spread: r.uniform(0.5, 1.0), tilt: tilt)
            d.add("wing", wing, palette.wing.variant(&r, shade: 0.7))
        }

        // Torso: an egg, fuller at the breast.
        let radii = (0..<12).map { i -> Double in
            let t = 2 * Double.pi * Double(i) / 12
            return 1 + 0.12 * cos(t) + r.uniform(-0.03, 0.03)
        }
        d.add("torso", Contour.blob(centre, radii: radii, sx: rx, sy: ry, angle: -tilt), palette.body.variant(&r))

        // Head and beak at the front-top of the torso.
        let head = centre + bodyRot.apply(Vec2(rx * 0.78, -ry * 0.55)) + Vec2(0.02, -headR * 0.5)
        d.add("head", Contour.ellipse(head, headR, headR * 0.95), palette.head.variant(&r))
        let beakDir = Vec2.polar(r.uniform(-0.15, 0.35))
        let beakRoot = head + beakDir * (headR * 0.85)
        let side = beakDir.perpendicular
        let beak: [Vec2]
        switch name {
        case "parrot": // a hooked bill: deep base, curving down to a point
            beak = Contour.spline([beakRoot + side * 0.09 - beakDir * 0.03, beakRoot + beakDir * 0.1 + side * 0.05,
                                   beakRoot + beakDir * 0.13 - side * 0.06, beakRoot + beakDir * 0.06 - side * 0.02,
                                   beakRoot - side * 0.08 - beakDir * 0.03], steps: 5)
        case "pigeon":
            beak = Contour.rounded([beakRoot + side * 0.03 - beakDir * 0.02, beakRoot + beakDir * 0.13,
                                    beakRoot - side * 0.025 - beakDir * 0.02], radius: 0.01)
        default: // sparrow: short, thick cone
            beak = Contour.rounded([beakRoot + side * 0.05 - beakDir * 0.02, beakRoot + beakDir * 0.1,
                                    beakRoot - side * 0.045 - beakDir * 0.02], radius: 0.012)
        }
        d.add("beak", beak, .plain(palette.beak, shading: 0.2))
        let eye = head + Vec2(headR * 0.3, -headR * 0.15)
        d.add("head", Contour.ellipse(eye, headR * 0.16, headR * 0.16), .plain(RGB(0.05, 0.05, 0.05), shading: 0))
        if name == "parrot" {
            d.add("head", Contour.ellipse(eye, headR * 0.3, headR * 0.3), .plain(RGB(0.95, 0.95, 0.92), shading: 0))
            d.add("head", Contour.ellipse(eye, headR * 0.14, headR * 0.14), .plain(RGB(0.05, 0.05, 0.05), shading: 0))
        }

        // Near wing: folded over the body, or raised in flight.
        if flying {
            d.add("wing", raisedWing(centre + Vec2(-0.05, 0.03), rx: rx, ry: ry, spread: r.uniform(0.2, 0.8), tilt: tilt),
                  palette.wing.variant(&r))
        } else {
            let wingCentre = centre + bodyRot.apply(Vec2(-rx * 0.12, -ry * 0.05))
            let wradii = [1.0, 0.9, 0.62, 0.5, 0.5, 0.55, 0.75, 0.95].map { $0 * r.uniform(0.95, 1.05) }
            let wing = Contour.blob(wingCentre, radii: wradii, sx: rx * 0.72, sy: ry * 0.62, angle: -tilt + .pi + 0.12)
            d.add("wing", wing, palette.wing.variant(&r))
            leg(-0.06, shade: 1)
        }
        return d
    }

    /// A wing lifted above the back: a swept, rounded polygon from the shoulder.
    private static func raisedWing(_ c: Vec2, rx: Double, ry: Double, spread: Double, tilt: Double) -> [Vec2] {
        let shoulder = c + Vec2(rx * 0.15, -ry * 0.4)
        let span = 0.75 + 0.25 * spread
        return Contour.spline([shoulder + Vec2(0.12, 0), shoulder + Vec2(-0.05, -span * 0.6),
                               shoulder + Vec2(-0.35, -span), shoulder + Vec2(-0.3, -span * 0.6),
                               shoulder + Vec2(-0.4, -0.05)], steps: 6)
    }
}

/// Species colours of the birds.
struct BirdPalette {
    var body: Texture, head: Texture, wing: Texture, tail: Texture
    var beak: RGB, leg: RGB

    static func make(_ name: String, _ r: inout SynthRandom) -> BirdPalette {
        switch name {
        case "pigeon":
            let grey = r.pick([0x8E929A, 0x9FA3AB, 0x6F7078, 0xB8B4AE]).rgb.jittered(0.04, &r)
            let neck = r.pick([0x4F7A62, 0x6B4F7A]).rgb
            let body = Texture(base: grey, pattern: .gradient(to: grey * 0.8, angle: .pi / 2), noise: 0.04, shading: 0.3)
            let head = Texture(base: grey * 0.85, pattern: .gradient(to: neck, angle: .pi / 2), noise: 0.04, shading: 0.2)
            let wing = Texture(base: grey * 1.08, pattern: .stripes(colour: grey * 0.45, period: 0.14, angle: 0.2, duty: 0.22),
                               noise: 0.04, shading: 0.2)
            let tail = Texture(base: grey * 0.9, pattern: .gradient(to: RGB(0.15, 0.15, 0.17), angle: .pi), noise: 0.03)
            return BirdPalette(body: body, head: head, wing: wing, tail: tail, beak: RGB(0.25, 0.2, 0.2), leg: RGB(0.85, 0.45, 0.45))
        case "parrot":
            let main = r.pick([0x2E9E3E, 0xD62A2A, 0x2A6FD6, 0xF2C230]).rgb.jittered(0.04, &r)
            let second = r.pick([0x2A6FD6, 0xF2C230, 0x2E9E3E, 0xE8731C]).rgb
            let body = Texture(base: main, pattern: .gradient(to: main * 0.8, angle: .pi / 2), noise: 0.03, shading: 0.3)
            let head = Texture(base: main * 1.1, pattern: .solid, noise: 0.03, shading: 0.25)
            let wing = Texture(base: second, pattern: .gradient(to: second * 0.5, angle: .pi), noise: 0.04, shading: 0.2)
            let tail = Texture(base: second, pattern: .stripes(colour: main, period: 0.12, angle: 0, duty: 0.35), noise: 0.03)
            return BirdPalette(body: body, head: head, wing: wing, tail: tail, beak: RGB(0.2, 0.2, 0.22), leg: RGB(0.45, 0.45, 0.48))
        default: // sparrow: brown, streaked back and wing, pale breast, grey-brown cap
            let brown = r.pick([0x8B6A45, 0x7A5A3A, 0x9C7B54]).rgb.jittered(0.04, &r)
            let body = Texture(base: RGB(0.86, 0.8, 0.7), pattern: .gradient(to: brown, angle: -.pi / 2), noise: 0.06,
                               noiseScale: 0.025, shading: 0.3)
            let head = Texture(base: RGB(0.55, 0.5, 0.48), pattern: .gradient(to: brown, angle: .pi / 2), noise: 0.05, shading: 0.2)
            let wing = Texture(base: brown, pattern: .stripes(colour: RGB(0.18, 0.13, 0.1), period: 0.06, angle: 0.5, duty: 0.35),
                               noise: 0.06, shading: 0.2)
            let tail = Texture(base: brown * 0.7, pattern: .solid, noise: 0.05)
            return BirdPalette(body: body, head: head, wing: wing, tail: tail, beak: RGB(0.3, 0.25, 0.2), leg: RGB(0.6, 0.48, 0.38))
        }
    }
}
