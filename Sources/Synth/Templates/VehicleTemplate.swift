import Foundation

/// Cars, trucks and buses: a rounded body on wheels with side windows, door panels and a
/// headlight. They share wheel, window, door and headlight drawing; the body outline, length,
/// window layout and number of axles differ. Side view facing +x, car length about two units.
enum VehicleTemplate {
    static func draw(_ category: SynthCategory, _ r: inout SynthRandom) -> ObjectDrawing {
        var d = ObjectDrawing(category: category)
        let paint = r.pick([0xC62828, 0x1E4FA8, 0xF2F2F0, 0x1F1F22, 0xA9ADB3, 0xF2C230, 0x2E7D32, 0x6A2A8A]).rgb
            .jittered(0.04, &r)
        let body = Texture(base: paint, pattern: .gradient(to: paint * 0.7, angle: .pi / 2), noise: 0.02, shading: 0.3)
        let glass = Texture(base: RGB(0.55, 0.7, 0.82), pattern: .gradient(to: RGB(0.2, 0.28, 0.38), angle: 2.0),
                            noise: 0.02, shading: 0.1, seed: r.seed32())
        let wheelR: Double, axles: [Double]
        switch category.name {
        case "car":
            wheelR = r.vary(0.2, 0.1)
            let len = r.vary(1.0, 0.08), roof = r.vary(0.8, 0.1), tail = r.pick([0.5, 0.62, 0.72])
            axles = [-len * 0.62, len * 0.62]
            let outline = Contour.rounded([
                Vec2(-len, -0.14), Vec2(-len * 1.02, -0.48), Vec2(-len * 0.78, -tail), Vec2(-len * 0.45, -roof),
                Vec2(len * 0.18, -roof), Vec2(len * 0.48, -0.55), Vec2(len * 0.98, -0.48), Vec2(len, -0.14),
            ], radius: 0.1)
            d.add("body", outline, body)
            archesAndSkirt(&d, axles: axles, wheelR: wheelR, paint: paint)
            let split = len * r.uniform(-0.12, -0.02)
            door(&d, x0: split, x1: len * 0.46, top: -0.53, bottom: -0.18, paint: paint, &r)
            door(&d, x0: -len * 0.5, x1: split, top: -0.53, bottom: -0.18, paint: paint, &r)
            d.add("window", Contour.rounded([Vec2(-len * 0.42, -roof + 0.05), Vec2(split - 0.02, -roof + 0.05),
                                              Vec2(split - 0.02, -0.56), Vec2(-len * 0.62, -0.56)], radius: 0.03), glass)
            d.add("window", Contour.rounded([Vec2(split + 0.02, -roof + 0.05), Vec2(len * 0.16, -roof + 0.05),
                                              Vec2(len * 0.42, -0.56), Vec2(split + 0.02, -0.56)], radius: 0.03), glass)
            headlight(&d, at: Vec2(len * 0.95, -0.42), size: 0.06, &r)
            d.add("body", Contour.ellipse(Vec2(-len * 0.99, -0.42), 0.025, 0.045), .plain(RGB(0.8, 0.1, 0.1)))
        case "truck":
            wheelR = r.vary(0.22, 0.08)
            let cargoH = r.vary(1.15, 0.1), cab = 0.45
            axles = [-0.95, -0.5, 0.9]
            let cargoPaint = r.pick([0xECECEC, 0xB0B4B8, 0x8B5A2B, 0x2E7D32]).rgb
            d.add("body", Contour.roundedRect(-1.25, -0.3, 2.5, 0.14, radius: 0.03), .plain(RGB(0.15, 0.15, 0.16)))
            d.add("body", Contour.roundedRect(-1.25, -cargoH, 1.6, cargoH - 0.26, radius: 0.05),
                  Texture(base: cargoPaint, pattern: .stripes(colour: cargoPaint * 0.85, period: 0.2, angle: 0, duty: 0.08),
                          noise: 0.03, shading: 0.2))
            d.add("body", Contour.rounded([Vec2(cab, -0.2), Vec2(cab, -1.0), Vec2(0.95, -1.0), Vec2(1.2, -0.6),
                                           Vec2(1.25, -0.2)], radius: 0.08), body)
            archesAndSkirt(&d, axles: axles, wheelR: wheelR, paint: paint)
            door(&d, x0: cab + 0.07, x1: 0.98, top: -0.62, bottom: -0.26, paint: paint, &r)
            d.add("window", Contour.rounded([Vec2(cab + 0.1, -0.93), Vec2(0.92, -0.93), Vec2(1.1, -0.64),
                                              Vec2(cab + 0.1, -0.64)], radius: 0.03), glass)
            headlight(&d, at: Vec2(1.2, -0.4), size: 0.065, &r)
        default: // bus: a long rounded box with a row of windows and folding doors
            wheelR = r.vary(0.21, 0.06)
            let len = r.vary(1.4, 0.1), h = r.vary(1.15, 0.06)
            axles = [-len * 0.65, len * 0.62]
            d.add("body", Contour.rounded([Vec2(-len, -0.15), Vec2(-len, -h), Vec2(len * 0.97, -h), Vec2(len, -h + 0.1),
                                           Vec2(len * 1.02, -0.15)], radius: 0.12), body)
            let band = paint.r + paint.g + paint.b > 1.8 ? RGB(0.15, 0.35, 0.7) : RGB(0.95, 0.95, 0.92)
            d.add("body", Contour.rect(-len, -0.42, 2 * len, 0.08), .plain(band, shading: 0.1))
            archesAndSkirt(&d, axles: axles, wheelR: wheelR, paint: paint)
            let doorW = 0.26, frontDoor = len * 0.72
            door(&d, x0: frontDoor - doorW, x1: frontDoor, top: -h + 0.12, bottom: -0.17, paint: paint, glazed: glass, &r)
            let rearDoor = r.chance(0.6)
            if rearDoor {
                door(&d, x0: -0.05, x1: doorW - 0.05, top: -h + 0.12, bottom: -0.17, paint: paint, glazed: glass, &r)
            }
            let count = r.int(5...7)
            let x0 = -len + 0.1, x1 = frontDoor - doorW - 0.05
            let pitch = (x1 - x0) / Double(count)
            for i in 0..<count {
                let wx = x0 + Double(i) * pitch
                if rearDoor && wx < doorW - 0.05 && wx + pitch - 0.06 > -0.05 { continue }
                d.add("window", Contour.roundedRect(wx, -h + 0.12, pitch - 0.06, 0.38, radius: 0.03), glass)
            }
            d.add("window", Contour.rounded([Vec2(frontDoor + 0.05, -h + 0.1), Vec2(len * 0.95, -h + 0.1),
                                              Vec2(len * 0.99, -0.6), Vec2(frontDoor + 0.05, -0.6)], radius: 0.04), glass)
            headlight(&d, at: Vec2(len * 0.97, -0.3), size: 0.06, &r)
        }
        let spin = r.uniform(0, 2 * .pi)   // wheels turn: the spoke pattern's phase
        for x in axles { wheel(&d, centre: Vec2(x, -wheelR), radius: wheelR, spin: spin + x) }
        return d
    }

    /// Dark wheel arches: half discs over each axle, part of the body.
    private static func archesAndSkirt(_ d: inout ObjectDrawing, axles: [Double], wheelR: Double, paint: RGB) {
        for x in axles {
            let arch = (0...16).map { i in
                Vec2(x, -wheelR) + Vec2.polar(Double.pi * (1 + Double(i) / 16), wheelR * 1.2)
            }
            d.add("body", arch, .plain(RGB(0.08, 0.08, 0.09)))
        }
    }

    /// A door panel: a slightly darker outline around a body-coloured panel with a handle.
    private static func door(_ d: inout ObjectDrawing, x0: Double, x1: Double, top: Double, bottom: Double,
                             paint: RGB, glazed: Texture? = nil, _ r: inout SynthRandom) {
        d.add("door", Contour.roundedRect(x0, top, x1 - x0, bottom - top, radius: 0.03), .plain(paint * 0.55, shading: 0.1))
        let inset = 0.015
        let panel = Texture(base: paint * 0.96, pattern: .gradient(to: paint * 0.75, angle: .pi / 2), noise: 0.02,
                            shading: 0.2, seed: r.seed32())
        d.add("door", Contour.roundedRect(x0 + inset, top + inset, x1 - x0 - 2 * inset, bottom - top - 2 * inset,
                                          radius: 0.02), panel)
        if let glazed {
            let w = x1 - x0 - 6 * inset
            d.add("door", Contour.roundedRect(x0 + 3 * inset, top + 3 * inset, w, (bottom - top) * 0.55, radius: 0.02), glazed)
            d.add("door", Contour.rect((x0 + x1) / 2 - 0.006, top + inset, 0.012, bottom - top - 2 * inset),
                  .plain(paint * 0.5))
        } else {
            d.add("door", Contour.roundedRect(x1 - 0.12, top + 0.08, 0.07, 0.025, radius: 0.01), .plain(RGB(0.75, 0.75, 0.78)))
        }
    }

    private static func headlight(_ d: inout ObjectDrawing, at p: Vec2, size: Double, _ r: inout SynthRandom) {
        let lamp = Texture(base: RGB(1, 0.97, 0.8), pattern: .gradient(to: RGB(0.85, 0.8, 0.55), angle: 0.5),
                           noise: 0.01, shading: 0.1, seed: r.seed32())
        d.add("headlight", Contour.ellipse(p, size * r.uniform(0.7, 1.0), size * r.uniform(0.55, 0.75)), lamp)
    }

    /// A tyre, a rim and spokes; `spin` turns the spokes so each instance's wheels differ.
    private static func wheel(_ d: inout ObjectDrawing, centre: Vec2, radius: Double, spin: Double) {
        d.add("wheel", Contour.ellipse(centre, radius, radius, segments: 48),
              Texture(base: RGB(0.1, 0.1, 0.11), noise: 0.04, noiseScale: 0.02, shading: 0.2))
        d.add("wheel", Contour.ellipse(centre, radius * 0.6, radius * 0.6), .plain(RGB(0.72, 0.73, 0.76), shading: 0.4))
        for k in 0..<5 {
            let a = spin + Double(k) * 2 * .pi / 5
            d.add("wheel", Contour.stroke([centre, centre + Vec2.polar(a, radius * 0.52)],
                                          widths: [radius * 0.14, radius * 0.1]), .plain(RGB(0.42, 0.43, 0.46), shading: 0))
        }
        d.add("wheel", Contour.ellipse(centre, radius * 0.15, radius * 0.15), .plain(RGB(0.3, 0.3, 0.32), shading: 0))
    }
}

extension Contour {
    /// The rectangle `[x, x+w] × [y, y+h]`.
    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> [Vec2] {
        [Vec2(x, y), Vec2(x + w, y), Vec2(x + w, y + h), Vec2(x, y + h)]
    }
}
