/// One filled shape of an object, labelled with the part it belongs to.
struct PartShape: Sendable {
    /// Object-local units: y down, origin on the ground under the object.
    var shape: Shape
    /// Index into the category's `parts`.
    var part: Int
    var texture: Texture
}

/// An object instance ready to place: its shapes in drawing order (later ones cover earlier
/// ones) and how it sits in a scene.
struct ObjectDrawing: Sendable {
    var category: SynthCategory
    var shapes: [PartShape] = []
    /// False for things that float (a flying bird): the composer then places it above the ground.
    var grounded = true

    init(category: SynthCategory) { self.category = category }

    /// Local bounds of all shapes.
    var bounds: Box2 {
        shapes.dropFirst().reduce(shapes[0].shape.bounds) { $0.union($1.shape.bounds) }
    }

    /// Appends a shape for the part called `partName` (which must be one of the category's parts).
    mutating func add(_ partName: String, _ contour: [Vec2], _ texture: Texture) {
        add(partName, Shape(contour), texture)
    }

    mutating func add(_ partName: String, _ shape: Shape, _ texture: Texture) {
        guard let index = category.parts.firstIndex(of: partName) else {
            preconditionFailure("\(category.name) has no part \(partName)")
        }
        shapes.append(PartShape(shape: shape, part: index, texture: texture))
    }
}

/// Builds the drawing of one instance of `category` with fresh random shape, pose and colours.
func drawObject(_ category: SynthCategory, _ rng: inout SynthRandom) -> ObjectDrawing {
    var d = drawFamily(category, &rng)
    // Nothing reaches below the ground: a parrot's long tail props it up instead.
    let lowest = d.bounds.maxY
    if d.grounded && lowest > 0 {
        let lift = Affine2.translation(Vec2(0, -lowest))
        for i in d.shapes.indices { d.shapes[i].shape = d.shapes[i].shape.transformed(lift) }
    }
    return d
}

private func drawFamily(_ category: SynthCategory, _ rng: inout SynthRandom) -> ObjectDrawing {
    switch category.family {
    case .quadruped: QuadrupedTemplate.draw(category, &rng)
    case .bird: BirdTemplate.draw(category, &rng)
    case .vehicle: VehicleTemplate.draw(category, &rng)
    case .container: ContainerTemplate.draw(category, &rng)
    case .furniture: FurnitureTemplate.draw(category, &rng)
    }
}

extension Texture {
    /// A copy with a new noise seed and the colour scaled by `shade` (far limbs are darker).
    func variant(_ rng: inout SynthRandom, shade: Float = 1) -> Texture {
        var t = self
        t.seed = rng.seed32()
        t.base = t.base * shade
        switch t.pattern {
        case let .stripes(c, p, a, d): t.pattern = .stripes(colour: c * shade, period: p, angle: a, duty: d)
        case let .spots(c, cell, r): t.pattern = .spots(colour: c * shade, cell: cell, radius: r)
        case let .patches(c, s, th): t.pattern = .patches(colour: c * shade, scale: s, threshold: th)
        case let .gradient(to, a): t.pattern = .gradient(to: to * shade, angle: a)
        case let .grain(c, p): t.pattern = .grain(colour: c * shade, period: p)
        case let .grid(c, w, h, f): t.pattern = .grid(colour: c * shade, cellW: w, cellH: h, fill: f)
        case .solid: break
        }
        return t
    }

    /// A flat, lightly shaded colour.
    static func plain(_ c: RGB, shading: Float = 0.25, noise: Float = 0.03) -> Texture {
        Texture(base: c, pattern: .solid, noise: noise, shading: shading)
    }
}
