import Foundation

/// Cats, dogs, horses, cows and sheep: one four-legged skeleton (torso, neck, head with ears,
/// four articulated legs, tail) whose proportions, ear and tail kinds and coats differ by species.
/// Side view facing +x; the torso is about one unit long.
enum QuadrupedTemplate {
    enum EarKind { case pointy, floppy, sideways }
    enum TailKind { case curl, wag, hair, tuft, stub }

    struct Spec {
        var torsoLen = 1.0, torsoH = 0.4, legLen = 0.4, legW = 0.09, thighW = 0.16
        var neckLen = 0.12, neckAngle = 0.6, neckW = 0.2
        var headLen = 0.3, headH = 0.26, snoutLen = 0.12, snoutH = 0.12, headTilt = 0.2
        var ear = EarKind.pointy, earW = 0.12, earH = 0.13
        var tail = TailKind.curl, tailLen = 0.6, tailW = 0.06
        var hooves = false, fluffy = false, horns = false
    }

    /// Species proportions with per-instance jitter.
    static func spec(_ name: String, _ r: inout SynthRandom) -> Spec {
        var s = Spec()
        switch name {
        case "cat":
            s = Spec(torsoLen: 1.0, torsoH: r.vary(0.36, 0.1), legLen: r.vary(0.34, 0.1), legW: 0.08, thighW: 0.15,
                     neckLen: 0.08, neckAngle: 0.7, neckW: 0.2, headLen: r.vary(0.3, 0.08), headH: 0.28,
                     snoutLen: 0.08, snoutH: 0.1, headTilt: r.uniform(-0.1, 0.3), ear: .pointy, earW: 0.13,
                     earH: r.vary(0.15, 0.15), tail: .curl, tailLen: r.vary(0.75, 0.15), tailW: 0.055)
        case "dog":
            s = Spec(torsoLen: 1.0, torsoH: r.vary(0.4, 0.12), legLen: r.vary(0.45, 0.15), legW: 0.1, thighW: 0.18,
                     neckLen: r.vary(0.16, 0.2), neckAngle: 0.75, neckW: 0.2, headLen: r.vary(0.3, 0.1), headH: 0.24,
                     snoutLen: r.vary(0.2, 0.2), snoutH: 0.12, headTilt: r.uniform(0, 0.35),
                     ear: r.chance(0.65) ? .floppy : .pointy, earW: 0.12, earH: r.vary(0.2, 0.2),
                     tail: .wag, tailLen: r.vary(0.4, 0.2), tailW: 0.07)
        case "horse":
            s = Spec(torsoLen: 1.0, torsoH: r.vary(0.42, 0.08), legLen: r.vary(0.72, 0.08), legW: 0.08, thighW: 0.2,
                     neckLen: r.vary(0.42, 0.1), neckAngle: r.uniform(0.7, 1.1), neckW: 0.24, headLen: r.vary(0.2, 0.1),
                     headH: 0.2, snoutLen: r.vary(0.3, 0.1), snoutH: 0.14, headTilt: r.uniform(0.7, 1.2),
                     ear: .pointy, earW: 0.07, earH: 0.12, tail: .hair, tailLen: r.vary(0.6, 0.15), tailW: 0.13,
                     hooves: true)
        case "cow":
            s = Spec(torsoLen: 1.0, torsoH: r.vary(0.52, 0.08), legLen: r.vary(0.42, 0.1), legW: 0.11, thighW: 0.22,
                     neckLen: 0.12, neckAngle: r.uniform(-0.1, 0.4), neckW: 0.3, headLen: r.vary(0.22, 0.1), headH: 0.24,
                     snoutLen: r.vary(0.16, 0.15), snoutH: 0.17, headTilt: r.uniform(0.5, 1.1), ear: .sideways,
                     earW: 0.09, earH: 0.16, tail: .tuft, tailLen: r.vary(0.55, 0.1), tailW: 0.035,
                     hooves: true, horns: r.chance(0.6))
        default: // sheep
            s = Spec(torsoLen: 1.0, torsoH: r.vary(0.58, 0.08), legLen: r.vary(0.3, 0.12), legW: 0.07, thighW: 0.1,
                     neckLen: 0.1, neckAngle: 0.5, neckW: 0.26, headLen: r.vary(0.2, 0.1), headH: 0.18,
                     snoutLen: 0.1, snoutH: 0.12, headTilt: r.uniform(0.3, 1.0), ear: .sideways, earW: 0.07,
                     earH: 0.13, tail: .stub, tailLen: 0.12, tailW: 0.12, hooves: true, fluffy: true)
        }
        return s
    }

    static func draw(_ category: SynthCategory, _ r: inout SynthRandom) -> ObjectDrawing {
        let s = spec(category.name, &r)
        let coat = QuadrupedCoat.make(category.name, &r)
        var d = ObjectDrawing(category: category)
        let rx = s.torsoLen / 2, ry = s.torsoH / 2
        let cy = -(s.legLen + ry * 0.7)
        let hipY = cy + ry * 0.35

        // Legs: diagonal pairs swing together; far legs sit a little back and darker.
        let amplitude = r.chance(0.3) ? 0 : r.uniform(0.1, 0.45), phase = r.uniform(0, 2 * .pi)
        func leg(front: Bool, far: Bool) -> [PartShape] {
            let x = (front ? rx * 0.58 : -rx * 0.6) + (far ? rx * 0.12 : 0)
            let swing = amplitude * sin(phase + ((front != far) ? 0 : .pi))
            let total = -hipY, upper = total * 0.5, lower = total * 0.52
            let bend = (front ? -1.0 : 1.0) * abs(swing) * 0.7
            let hip = Vec2(x, hipY)
            let knee = hip + Vec2(sin(swing), cos(swing)) * upper
            let foot = knee + Vec2(sin(swing + bend), cos(swing + bend)) * lower
            var tex = coat.legs.variant(&r, shade: far ? 0.72 : 1)
            tex.shading = 0.15
            let path = Contour.curve([hip, knee, foot], steps: 4)
            let widths = Contour.curveWidths([s.thighW, s.legW, s.legW * 0.85], steps: 4)
            var out = [PartShape(shape: Shape(Contour.stroke(path, widths: widths)), part: 3, texture: tex)]
            if s.hooves {
                let hoof = Contour.rounded([foot + Vec2(-s.legW * 0.55, -0.03), foot + Vec2(s.legW * 0.6, -0.03),
                                            foot + Vec2(s.legW * 0.75, 0.02), foot + Vec2(-s.legW * 0.55, 0.02)],
                                           radius: 0.01)
                out.append(PartShape(shape: Shape(hoof), part: 3, texture: .plain(coat.accent * (far ? 0.7 : 1))))
            } else {
                out.append(PartShape(shape: Shape(Contour.ellipse(foot + Vec2(0.03, -0.01), s.legW * 0.75, s.legW * 0.4)),
                                     part: 3, texture: tex))
            }
            return out
        }
        d.shapes += leg(front: true, far: true) + leg(front: false, far: true)

        // Tail, drawn before the torso so its root tucks under the rump.
        let tailBase = Vec2(-rx * 0.92, cy - ry * 0.35)
        let tailTurn = Affine2.rotation(r.uniform(-0.35, 0.35))
        let tailPts: [Vec2], tailWs: [Double]
        let L = s.tailLen, W = s.tailW
        switch s.tail {
        case .curl:
            let curl = r.uniform(-0.15, 0.15)
            tailPts = [Vec2(0.05, 0), Vec2(-0.3, -0.05), Vec2(-0.5, -0.3), Vec2(-0.5 + curl, -0.6), Vec2(-0.38 + 2 * curl, -0.78)]
            tailWs = [W, W, W * 0.9, W * 0.85, W * 0.8]
        case .wag:
            let up = r.chance(0.75)
            tailPts = up ? [Vec2(0.05, 0), Vec2(-0.35, -0.25), Vec2(-0.55, -0.7), Vec2(-0.45, -1.0)]
                : [Vec2(0.05, 0), Vec2(-0.3, 0.2), Vec2(-0.45, 0.6), Vec2(-0.45, 0.9)]
            tailWs = [W * 1.1, W, W * 0.8, W * 0.5]
        case .hair:
            tailPts = [Vec2(0.05, 0), Vec2(-0.2, 0.1), Vec2(-0.3, 0.5), Vec2(-0.25, 0.9), Vec2(-0.2, 1.05)]
            tailWs = [W * 0.6, W, W * 1.1, W * 0.9, W * 0.4]
        case .tuft:
            tailPts = [Vec2(0.05, 0), Vec2(-0.1, 0.15), Vec2(-0.12, 0.6), Vec2(-0.1, 1.0)]
            tailWs = [W * 1.4, W, W, W]
        case .stub:
            tailPts = [Vec2(0.05, 0), Vec2(-0.45, -0.1), Vec2(-0.8, 0.2)]
            tailWs = [W, W * 1.1, W * 0.9]
        }
        let tailPath = Contour.curve(tailPts.map { tailBase + tailTurn.apply($0 * L) }, steps: 5)
        let tailWidths = Contour.curveWidths(tailWs, steps: 5)
        d.add("tail", Contour.stroke(tailPath, widths: tailWidths), coat.tail.variant(&r))
        if s.tail == .tuft, let end = tailPath.last {
            d.add("tail", Contour.ellipse(end + Vec2(0, 0.03), W * 1.3, W * 2.2), .plain(coat.accent))
        }

        // Head geometry (needed for the far ear before the torso is drawn).
        let neckBase = Vec2(rx * 0.7, cy - ry * 0.3)
        let neckDir = Vec2.polar(-s.neckAngle)
        let neckEnd = neckBase + neckDir * (s.neckLen + s.neckW * 0.3)
        let headRot = Affine2.rotation(s.headTilt)
        let skull = neckEnd + headRot.apply(Vec2(s.headLen * 0.15, 0))
        let earRoot = skull + headRot.apply(Vec2(-s.headLen * 0.12, -s.headH * 0.4))

        func ear(far: Bool) -> [Vec2] {
            let root = earRoot + (far ? headRot.apply(Vec2(s.headLen * 0.18, -0.01)) : Vec2(0, 0))
            switch s.ear {
            case .pointy:
                let up = Affine2.rotation(s.headTilt * 0.5 - 0.15)
                return Contour.rounded([root + up.apply(Vec2(-s.earW / 2, 0.03)), root + up.apply(Vec2(s.earW / 2, 0.03)),
                                        root + up.apply(Vec2(-s.earW * 0.05, -s.earH))], radius: s.earW * 0.2)
            case .floppy:
                let c = root + headRot.apply(Vec2(-s.earW * 0.2, s.earH * 0.35))
                return Contour.ellipse(c, s.earW * 0.45, s.earH * 0.55, angle: s.headTilt * 0.6 + 0.2)
            case .sideways:
                let c = root + headRot.apply(Vec2(-s.earH * 0.45, s.headH * 0.1))
                return Contour.ellipse(c, s.earH * 0.55, s.earW * 0.45, angle: s.headTilt - 0.35)
            }
        }
        d.add("ear", ear(far: true), coat.head.variant(&r, shade: 0.75))

        // Torso: a spline through chest, back, rump and belly; fluffy animals get a bumpy fleece.
        let jitter = { (r: inout SynthRandom) in r.uniform(0.94, 1.06) }
        var torsoPts = [Vec2(-0.88, -0.78), Vec2(0, -1.0 + r.uniform(-0.05, 0.1)), Vec2(0.72, -0.92), Vec2(1.0, -0.15),
                        Vec2(0.78, 0.82), Vec2(0, 0.95 + r.uniform(-0.1, 0.05)), Vec2(-0.78, 0.8), Vec2(-1.0, -0.1)]
        torsoPts = torsoPts.map { Vec2($0.x * rx * jitter(&r), cy + $0.y * ry * jitter(&r)) }
        var torso = Contour.spline(torsoPts, steps: 8)
        if s.fluffy {
            let centre = Vec2(0, cy)
            torso = torso.enumerated().map { i, p in
                let bump = 1 + 0.07 * abs(sin(Double(i) * .pi / 4))
                return centre + (p - centre) * bump
            }
        }
        d.add("torso", torso, coat.body.variant(&r))
        let neck = Contour.stroke([neckBase - neckDir * 0.08, neckEnd], widths: [s.neckW * 1.1, s.neckW * 0.75])
        d.add("torso", neck, coat.body.variant(&r))

        // Head: skull, muzzle, eye, nose and (cows) horns.
        d.add("head", Contour.ellipse(skull, s.headLen / 2, s.headH / 2, angle: s.headTilt), coat.head.variant(&r))
        let muzzle = skull + headRot.apply(Vec2(s.headLen * 0.35 + s.snoutLen * 0.4, s.headH * 0.12))
        d.add("head", Contour.ellipse(muzzle, s.snoutLen * 0.6 + 0.03, s.snoutH / 2, angle: s.headTilt), coat.head.variant(&r))
        let eye = skull + headRot.apply(Vec2(s.headLen * 0.12, -s.headH * 0.12))
        d.add("head", Contour.ellipse(eye, s.headH * 0.09, s.headH * 0.075), .plain(RGB(0.08, 0.07, 0.05), shading: 0))
        let nose = muzzle + headRot.apply(Vec2(s.snoutLen * 0.6 + 0.01, -s.snoutH * 0.15))
        d.add("head", Contour.ellipse(nose, 0.03, 0.025), .plain(coat.accent * 0.6, shading: 0))
        if s.horns {
            let base = earRoot + headRot.apply(Vec2(s.headLen * 0.1, 0))
            let horn = Contour.curve([base, base + Vec2(0.02, -0.08), base + Vec2(0.08, -0.12)], steps: 4)
            d.add("head", Contour.stroke(horn, widths: Contour.curveWidths([0.04, 0.03, 0.012], steps: 4)),
                  .plain(RGB(0.9, 0.85, 0.7)))
        }
        d.add("ear", ear(far: false), coat.head.variant(&r))
        d.shapes += leg(front: true, far: false) + leg(front: false, far: false)
        return d
    }
}
