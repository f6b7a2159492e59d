import Foundation

/// One rendered scene: the picture and its exact label maps.
public struct SynthScene: Sendable {
    /// An object visible in the scene.
    public struct Object: Sendable, Equatable {
        public let category: SynthCategory
        /// The value this object has in `instance`.
        public let label: UInt8
    }

    public let width: Int, height: Int
    public let kind: SceneKind
    /// Interleaved RGB bytes, `[height, width, 3]`.
    public var rgb: [UInt8]
    /// Visible object per pixel (0 = background), matching `Object.label`.
    public var instance: [UInt8]
    /// Visible part per pixel: 0 = none, p = `category.parts[p − 1]`.
    public var part: [UInt8]
    /// Objects in drawing order (farther first); every one has visible pixels.
    public var objects: [Object]

    /// Row-major 0/1 mask of the object labelled `label`.
    public func objectMask(_ label: UInt8) -> [UInt8] { instance.map { $0 == label ? 1 : 0 } }

    /// Row-major 0/1 mask of part `partIndex` (0-based) of the object labelled `label`.
    public func partMask(_ label: UInt8, part partIndex: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: instance.count)
        let p = UInt8(partIndex + 1)
        for i in out.indices where instance[i] == label && part[i] == p { out[i] = 1 }
        return out
    }
}

/// Places objects in a scene and renders them over a background, farther objects first so
/// nearer ones occlude them; the label maps keep only what stays visible.
public enum SceneComposer {
    /// Renders a scene of `kind` holding up to `count` objects drawn from `categories`.
    ///
    /// - Parameters:
    ///   - size: width and height in pixels.
    ///   - dominant: one large, central object (the class-folder variant); `count` is ignored.
    /// - Returns: a scene with at least one object unless no placement fitted.
    public static func render(kind: SceneKind, categories: [SynthCategory], count: Int, size: Int,
                              dominant: Bool = false, rng r: inout SynthRandom) -> SynthScene {
        render(kind: kind, categories: categories, count: count, size: size, dominant: dominant, solo: nil, rng: &r)
    }

    /// As above; with `solo` set, only the `solo`-th object (in drawing order) is painted while
    /// every random draw stays the same, so tests can compare an object's unoccluded mask.
    static func render(kind: SceneKind, categories: [SynthCategory], count: Int, size: Int,
                       dominant: Bool, solo: Int?, rng r: inout SynthRandom) -> SynthScene {
        precondition(!categories.isEmpty && size >= 16, "SceneComposer.render: empty categories or size \(size)")
        var canvas = Canvas(width: size, height: size)
        let S = Double(size)
        let groundY = Background.paint(kind, on: &canvas, &r)

        struct Placed { var drawing: ObjectDrawing; var transform: Affine2; var box: Box2; var bottom: Double }
        var placed: [Placed] = []
        let wanted = dominant ? 1 : count
        for _ in 0..<wanted {
            let drawing = drawObject(r.pick(categories), &r)
            let local = drawing.bounds
            for attempt in 0..<40 {
                let flip = r.chance(0.5) ? -1.0 : 1.0
                let tilt = drawing.category.family == .vehicle ? r.uniform(-0.04, 0.04) : r.uniform(-0.12, 0.12)
                let aspect = r.uniform(0.88, 1.12)
                let shrink = pow(0.97, Double(attempt))
                var bottom: Double, extent: Double
                if dominant {
                    extent = S * r.uniform(0.6, 0.85) * shrink
                    bottom = 0
                } else {
                    bottom = drawing.grounded ? r.uniform(max(groundY, S * 0.35), S * 0.98) : r.uniform(0.3, 0.6) * S
                    let depth = drawing.grounded ? (bottom - groundY) / max(1, S - groundY) : 0.5
                    let base = wanted == 1 ? r.uniform(0.45, 0.75) : r.uniform(0.3, 0.55)
                    let family: Double = switch drawing.category.family {
                    case .bird: 0.7
                    case .container: 0.8
                    default: 1
                    }
                    extent = S * base * (0.75 + 0.5 * depth) * family * shrink
                }
                let scale = extent / max(local.width, local.height)
                var x = dominant ? 0 : r.uniform(0.1, 0.9) * S
                func placement() -> (Affine2, Box2) {
                    let t = Affine2.translation(Vec2(x, bottom))
                        .concatenating(.rotation(tilt))
                        .concatenating(.scale(flip * scale * aspect, scale))
                        .concatenating(.translation(Vec2(-local.center.x, 0)))
                    let corners = [Vec2(local.minX, local.minY), Vec2(local.maxX, local.minY),
                                   Vec2(local.minX, local.maxY), Vec2(local.maxX, local.maxY)].map(t.apply)
                    return (t, Box2(points: corners))
                }
                var (t, box) = placement()
                if dominant {
                    // Centre the object, standing low in the frame if it stands on the ground.
                    x = S * r.uniform(0.45, 0.55) - box.center.x
                    let free = S - box.height
                    bottom = (drawing.grounded ? S * 0.97 - box.maxY : free * r.uniform(0.3, 0.7) - box.minY)
                    bottom = max(bottom, -box.minY)
                    (t, box) = placement()
                }
                let inside = box.overlap(Box2(minX: 0, minY: 0, maxX: S, maxY: S)) / box.area
                if inside < (dominant ? 0.97 : 0.85) { continue }
                let crowded = placed.contains { other in
                    box.overlap(other.box) > 0.35 * min(box.area, other.box.area)
                }
                if crowded { continue }
                placed.append(Placed(drawing: drawing, transform: t, box: box, bottom: box.maxY))
                break
            }
        }
        placed.sort { $0.bottom < $1.bottom }

        for (k, p) in placed.enumerated() where solo == nil || solo == k {
            for s in p.drawing.shapes {
                canvas.fill(s.shape, transform: p.transform, texture: s.texture,
                            instance: UInt8(k + 1), part: UInt8(s.part + 1))
            }
        }
        // Now and then an unlabelled foreground thing (a tuft, a stone) hides part of an object.
        if !dominant && r.chance(0.3) {
            Background.scatter(&canvas, count: r.int(1...3), yRange: (S * 0.7)...S, u: S / 224 * 1.8, &r)
        }

        // Keep objects with enough visible pixels; clear the labels of the rest.
        var counts = [Int](repeating: 0, count: placed.count + 1)
        for v in canvas.instance { counts[Int(v)] += 1 }
        var objects: [SynthScene.Object] = []
        var dropped = Set<UInt8>()
        for (k, p) in placed.enumerated() {
            let label = UInt8(k + 1)
            if counts[k + 1] >= 24 {
                objects.append(SynthScene.Object(category: p.drawing.category, label: label))
            } else {
                dropped.insert(label)
            }
        }
        if !dropped.isEmpty {
            for i in canvas.instance.indices where dropped.contains(canvas.instance[i]) {
                canvas.instance[i] = 0; canvas.part[i] = 0
            }
        }
        return SynthScene(width: size, height: size, kind: kind, rgb: canvas.bytes,
                          instance: canvas.instance, part: canvas.part, objects: objects)
    }
}
