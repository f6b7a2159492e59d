import Foundation

/// Chairs and tables in a three-quarter view: a slab (seat or top) seen slightly from above,
/// four legs (the far pair shorter and darker), and for chairs a back that is solid, framed
/// (with a cut-out) or slatted. Wood grain, painted or plastic finishes. About one unit tall.
enum FurnitureTemplate {
    static func draw(_ category: SynthCategory, _ r: inout SynthRandom) -> ObjectDrawing {
        var d = ObjectDrawing(category: category)
        let finish = finishTexture(&r)
        let isChair = category.name == "chair"
        let width = isChair ? r.vary(0.55, 0.12) : r.vary(1.5, 0.15)
        let depth = isChair ? r.vary(0.12, 0.2) : r.vary(0.16, 0.2)    // vertical extent of the slab's top face
        let skew = isChair ? r.uniform(0.06, 0.12) : r.uniform(0.1, 0.2)
        let height = isChair ? r.vary(0.45, 0.1) : r.vary(0.75, 0.08)
        let thick = isChair ? 0.05 : r.uniform(0.05, 0.08)
        let legW = isChair ? r.vary(0.045, 0.2) : r.vary(0.07, 0.2)
        let slab = isChair ? "seat" : "top"
        let x0 = -width / 2, x1 = width / 2
        let frontY = -height, backY = -height - depth

        func leg(_ x: Double, _ top: Double, _ bottom: Double, far: Bool) {
            let taper = r.uniform(0.7, 1)
            let contour = Contour.rounded([Vec2(x - legW / 2, top), Vec2(x + legW / 2, top),
                                           Vec2(x + legW * taper / 2, bottom), Vec2(x - legW * taper / 2, bottom)],
                                          radius: legW * 0.2)
            d.add("leg", contour, finish.variant(&r, shade: far ? 0.7 : 0.92))
        }
        // Far legs stand on the ground further back, so they end higher in the picture.
        let inset = legW * 0.8
        leg(x0 + skew + inset, backY + 0.02, -depth * 0.9, far: true)
        leg(x1 + skew - inset, backY + 0.02, -depth * 0.9, far: true)

        // Chair back rises from the slab's far edge.
        if isChair {
            let backH = r.vary(0.5, 0.15), lean = r.uniform(0, 0.08)
            let bx0 = x0 + skew, bx1 = x1 + skew, top = backY - backH
            let outline = Contour.rounded([Vec2(bx0, backY), Vec2(bx0 - lean, top), Vec2(bx1 - lean, top),
                                           Vec2(bx1, backY)], radius: 0.04)
            let style = r.int(0...2)
            let backTex = finish.variant(&r, shade: 0.97)
            switch style {
            case 0:
                d.add("back", outline, backTex)
            case 1: // a frame with a cut-out: the background shows through
                let frame = 0.06
                let hole = Contour.rounded([Vec2(bx0 + frame, backY - 0.06), Vec2(bx0 + frame - lean * 0.8, top + frame),
                                            Vec2(bx1 - frame - lean * 0.8, top + frame), Vec2(bx1 - frame, backY - 0.06)],
                                           radius: 0.03)
                d.add("back", Shape(outline).cutting(hole), backTex)
            default: // two posts and horizontal slats
                for x in [bx0, bx1 - 0.05] {
                    d.add("back", Contour.rounded([Vec2(x, backY), Vec2(x - lean, top), Vec2(x - lean + 0.05, top),
                                                   Vec2(x + 0.05, backY)], radius: 0.015), backTex)
                }
                let slats = r.int(2...4)
                for k in 0..<slats {
                    let t = (Double(k) + 0.3) / Double(slats)
                    let y = top + t * (backY - top) * 0.85
                    d.add("back", Contour.roundedRect(bx0 - lean * (1 - t), y, bx1 - bx0, 0.05, radius: 0.015), backTex)
                }
            }
        }

        // The slab: top face (a parallelogram) and front edge.
        let face = [Vec2(x0, frontY), Vec2(x0 + skew, backY), Vec2(x1 + skew, backY), Vec2(x1, frontY)]
        d.add(slab, Contour.rounded(face, radius: 0.02), finish.variant(&r, shade: 1.05))
        d.add(slab, Contour.rounded([Vec2(x0, frontY), Vec2(x1, frontY), Vec2(x1 + skew * 0.5, frontY - depth * 0.5),
                                     Vec2(x1 + skew * 0.5, frontY - depth * 0.5 + thick), Vec2(x1, frontY + thick),
                                     Vec2(x0, frontY + thick)], radius: 0.01),
              finish.variant(&r, shade: 0.8))

        leg(x0 + inset, frontY + thick * 0.6, 0, far: false)
        leg(x1 - inset, frontY + thick * 0.6, 0, far: false)
        if !isChair && r.chance(0.4) {   // a stretcher bar between the front legs, part of the legs
            d.add("leg", Contour.rect(x0 + inset, -height * 0.3, width - 2 * inset, 0.035), finish.variant(&r, shade: 0.85))
        }
        return d
    }

    /// Wood grain in one of several stains, or a painted/plastic colour.
    private static func finishTexture(_ r: inout SynthRandom) -> Texture {
        if r.chance(0.6) {
            let wood = r.pick([0x8B5A2B, 0xA0703C, 0x5D3A1A, 0xC89B6A, 0x6B4226]).rgb.jittered(0.03, &r)
            return Texture(base: wood, pattern: .grain(colour: wood * 0.65, period: r.uniform(0.025, 0.05)),
                           noise: 0.04, noiseScale: 0.03, shading: 0.25, seed: r.seed32())
        }
        let paint = r.pick([0xF2F2F0, 0x222222, 0xC62828, 0x1E88E5, 0x43A047, 0xFBC02D]).rgb
        return Texture(base: paint, pattern: .solid, noise: 0.02, shading: 0.35, seed: r.seed32())
    }
}
