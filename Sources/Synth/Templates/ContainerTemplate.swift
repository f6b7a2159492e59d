import Foundation

/// Bottles, cans and jars: upright bodies of revolution seen from the front, with a cap (lid)
/// on top and a printed label band; bottles also narrow into a neck. Cylindrical shading and
/// a specular streak make them read as glass or metal. About one unit tall.
enum ContainerTemplate {
    static func draw(_ category: SynthCategory, _ r: inout SynthRandom) -> ObjectDrawing {
        var d = ObjectDrawing(category: category)
        let label = labelTexture(&r)
        switch category.name {
        case "bottle":
            let w = r.vary(0.17, 0.15), bodyH = r.vary(0.55, 0.12), shoulder = r.vary(0.14, 0.3)
            let neckW = r.vary(0.055, 0.15), neckH = r.vary(0.22, 0.3)
            let glass = r.pick([0x2E7D32, 0x6D4C2F, 0x9CC9DC, 0x1B5E3A, 0xB0BEC5]).rgb.jittered(0.03, &r)
            let glassTex = Texture(base: glass, pattern: .gradient(to: glass * 0.55, angle: 0), noise: 0.02, shading: 0.45)
            let top = -bodyH - shoulder
            d.add("body", Contour.rounded([Vec2(-w, 0), Vec2(-w, -bodyH), Vec2(-neckW, top), Vec2(neckW, top),
                                           Vec2(w, -bodyH), Vec2(w, 0)], radius: 0.05), glassTex)
            d.add("neck", Contour.rect(-neckW, top - neckH, 2 * neckW, neckH + 0.01), glassTex.variant(&r, shade: 0.95))
            d.add("neck", Contour.roundedRect(-neckW * 1.15, top - neckH * 0.8, neckW * 2.3, 0.025, radius: 0.01),
                  glassTex.variant(&r, shade: 0.8))
            let capColour = r.pick([0xC62828, 0xD4AF37, 0xE0E0E0, 0x1E4FA8, 0x222222]).rgb
            d.add("cap", Contour.roundedRect(-neckW * 1.1, top - neckH - 0.07, neckW * 2.2, 0.075, radius: 0.015),
                  Texture(base: capColour, pattern: .stripes(colour: capColour * 0.7, period: 0.02, angle: 0, duty: 0.3),
                          noise: 0.02, shading: 0.4))
            let labelTop = -bodyH * r.uniform(0.55, 0.85), labelBottom = -bodyH * r.uniform(0.12, 0.3)
            d.add("label", Contour.rect(-w, labelTop, 2 * w, labelBottom - labelTop), label)
            highlight(&d, "body", x: -w * 0.55, y0: -bodyH * 0.95, y1: labelTop - 0.02)
        case "can":
            let w = r.vary(0.2, 0.12), h = r.vary(0.7, 0.15)
            let metal = Texture(base: RGB(0.78, 0.79, 0.82), pattern: .gradient(to: RGB(0.45, 0.46, 0.5), angle: 0),
                                noise: 0.02, shading: 0.5)
            d.add("body", Contour.rounded([Vec2(-w * 0.92, 0), Vec2(-w, -0.04), Vec2(-w, -h + 0.04), Vec2(-w * 0.92, -h),
                                           Vec2(w * 0.92, -h), Vec2(w, -h + 0.04), Vec2(w, -0.04), Vec2(w * 0.92, 0)],
                                          radius: 0.02), metal)
            d.add("cap", Contour.ellipse(Vec2(0, -h), w * 0.92, 0.045), metal.variant(&r, shade: 1.1))
            d.add("cap", Contour.ellipse(Vec2(0, -h + 0.005), w * 0.75, 0.03), metal.variant(&r, shade: 0.8))
            d.add("cap", Contour.roundedRect(-w * 0.25, -h - 0.012, w * 0.5, 0.02, radius: 0.008), metal.variant(&r, shade: 0.6))
            d.add("label", Contour.rect(-w, -h + 0.08, 2 * w, h - 0.16), label)
            highlight(&d, "label", x: -w * 0.5, y0: -h + 0.1, y1: -0.1)
        default: // jar: wide glass body with rounded shoulders, a broad ribbed lid and a big label
            let w = r.vary(0.3, 0.12), h = r.vary(0.62, 0.15)
            let content = r.pick([0xB71C1C, 0xE6A23C, 0x6B8E23, 0x4E342E, 0xF5F0E1]).rgb.jittered(0.04, &r)
            let pattern: Pattern = r.chance(0.4) ? .spots(colour: content * 0.6, cell: 0.07, radius: 0.03) : .solid
            d.add("body", Contour.rounded([Vec2(-w, 0), Vec2(-w, -h), Vec2(-w * 0.8, -h - 0.06), Vec2(w * 0.8, -h - 0.06),
                                           Vec2(w, -h), Vec2(w, 0)], radius: 0.09),
                  Texture(base: content, pattern: pattern, noise: 0.05, noiseScale: 0.03, shading: 0.45))
            let lidColour = r.pick([0xD4AF37, 0xC62828, 0xF0F0F0, 0x2E7D32, 0x1E4FA8]).rgb
            d.add("cap", Contour.roundedRect(-w * 0.86, -h - 0.17, w * 1.72, 0.13, radius: 0.025),
                  Texture(base: lidColour, pattern: .stripes(colour: lidColour * 0.72, period: 0.025, angle: 0, duty: 0.35),
                          noise: 0.02, shading: 0.45))
            let labelTop = -h * r.uniform(0.65, 0.8), labelBottom = -h * r.uniform(0.15, 0.3)
            d.add("label", Contour.rect(-w, labelTop, 2 * w, labelBottom - labelTop), label)
            highlight(&d, "body", x: -w * 0.6, y0: -h * 0.95, y1: labelTop - 0.02)
        }
        return d
    }

    /// A printed label: a plain, striped or spotted paper colour, sometimes with a darker band.
    private static func labelTexture(_ r: inout SynthRandom) -> Texture {
        let paper = r.pick([0xF5F0E1, 0xFFFFFF, 0xE53935, 0xFBC02D, 0x1E88E5, 0x43A047, 0x212121]).rgb
        let ink = r.pick([0x212121, 0xC62828, 0x1565C0, 0xF9A825, 0xFFFFFF]).rgb
        let pattern: Pattern = switch r.int(0...3) {
        case 0: .stripes(colour: ink, period: r.uniform(0.05, 0.12), angle: .pi / 2, duty: 0.3)
        case 1: .spots(colour: ink, cell: 0.06, radius: 0.02)
        case 2: .stripes(colour: ink, period: r.uniform(0.04, 0.08), angle: r.uniform(-1, 1), duty: 0.5)
        default: .gradient(to: ink, angle: .pi / 2)
        }
        return Texture(base: paper, pattern: pattern, noise: 0.02, shading: 0.4, seed: r.seed32())
    }

    /// A soft vertical specular streak, labelled as `part`.
    private static func highlight(_ d: inout ObjectDrawing, _ part: String, x: Double, y0: Double, y1: Double) {
        guard y1 > y0 + 0.02 else { return }
        d.add(part, Contour.roundedRect(x, y0, 0.025, y1 - y0, radius: 0.012),
              Texture(base: RGB(0.95, 0.96, 0.98), noise: 0, shading: 0))
    }
}
