import Foundation

/// A point or vector in the plane. Object templates use object-local units with y pointing
/// down and the origin on the ground under the object's centre; the canvas uses pixels.
struct Vec2: Sendable, Equatable {
    var x: Double
    var y: Double

    init(_ x: Double, _ y: Double) { self.x = x; self.y = y }

    static func + (a: Vec2, b: Vec2) -> Vec2 { Vec2(a.x + b.x, a.y + b.y) }
    static func - (a: Vec2, b: Vec2) -> Vec2 { Vec2(a.x - b.x, a.y - b.y) }
    static func * (a: Vec2, s: Double) -> Vec2 { Vec2(a.x * s, a.y * s) }
    static func * (s: Double, a: Vec2) -> Vec2 { Vec2(a.x * s, a.y * s) }

    var length: Double { (x * x + y * y).squareRoot() }
    /// The unit vector in this direction (the zero vector stays zero).
    var normalized: Vec2 { let l = length; return l > 0 ? Vec2(x / l, y / l) : self }
    /// This vector turned by +90° (counter-clockwise on screen because y points down).
    var perpendicular: Vec2 { Vec2(-y, x) }

    /// The unit vector at `angle` radians from +x (clockwise on screen because y points down).
    static func polar(_ angle: Double, _ radius: Double = 1) -> Vec2 {
        Vec2(cos(angle) * radius, sin(angle) * radius)
    }

    /// Linear interpolation `a + (b − a)·t`.
    static func lerp(_ a: Vec2, _ b: Vec2, _ t: Double) -> Vec2 { a + (b - a) * t }
}

/// An affine map `p ↦ (a·x + c·y + tx, b·x + d·y + ty)`.
struct Affine2: Sendable, Equatable {
    var a = 1.0, b = 0.0, c = 0.0, d = 1.0, tx = 0.0, ty = 0.0

    static let identity = Affine2()

    static func translation(_ t: Vec2) -> Affine2 { Affine2(tx: t.x, ty: t.y) }
    static func scale(_ sx: Double, _ sy: Double) -> Affine2 { Affine2(a: sx, d: sy) }
    static func rotation(_ angle: Double) -> Affine2 {
        Affine2(a: cos(angle), b: sin(angle), c: -sin(angle), d: cos(angle))
    }

    func apply(_ p: Vec2) -> Vec2 { Vec2(a * p.x + c * p.y + tx, b * p.x + d * p.y + ty) }

    /// `self ∘ other`: applies `other` first, then `self`.
    func concatenating(_ other: Affine2) -> Affine2 {
        Affine2(a: a * other.a + c * other.b, b: b * other.a + d * other.b,
                c: a * other.c + c * other.d, d: b * other.c + d * other.d,
                tx: a * other.tx + c * other.ty + tx, ty: b * other.tx + d * other.ty + ty)
    }

    var determinant: Double { a * d - b * c }

    /// The inverse map; the transform must not be degenerate.
    var inverted: Affine2 {
        let det = determinant
        precondition(abs(det) > 1e-12, "Affine2.inverted: degenerate transform \(self)")
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return Affine2(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ic * ty), ty: -(ib * tx + id * ty))
    }
}

/// An axis-aligned box `[minX, maxX] × [minY, maxY]`.
struct Box2: Sendable, Equatable {
    var minX, minY, maxX, maxY: Double

    /// The smallest box holding `points` (which must be non-empty).
    init(points: [Vec2]) {
        precondition(!points.isEmpty, "Box2(points:) needs at least one point")
        minX = .infinity; minY = .infinity; maxX = -.infinity; maxY = -.infinity
        for p in points {
            minX = min(minX, p.x); maxX = max(maxX, p.x)
            minY = min(minY, p.y); maxY = max(maxY, p.y)
        }
    }

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    var width: Double { maxX - minX }
    var height: Double { maxY - minY }
    var center: Vec2 { Vec2((minX + maxX) / 2, (minY + maxY) / 2) }
    var area: Double { max(0, width) * max(0, height) }

    func union(_ o: Box2) -> Box2 {
        Box2(minX: min(minX, o.minX), minY: min(minY, o.minY), maxX: max(maxX, o.maxX), maxY: max(maxY, o.maxY))
    }

    /// Area of the intersection with `o` (0 when disjoint).
    func overlap(_ o: Box2) -> Double {
        max(0, min(maxX, o.maxX) - max(minX, o.minX)) * max(0, min(maxY, o.maxY) - max(minY, o.minY))
    }
}
