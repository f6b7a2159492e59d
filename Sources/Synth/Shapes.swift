import Foundation

/// A filled region: one or more closed contours under the non-zero winding rule. Holes are
/// contours wound opposite to their outer contour (`Shape.cutting` arranges that).
struct Shape: Sendable {
    var contours: [[Vec2]]

    init(_ contour: [Vec2]) { contours = [contour] }
    init(contours: [[Vec2]]) { self.contours = contours }

    /// This shape with every contour mapped through `t`.
    func transformed(_ t: Affine2) -> Shape {
        Shape(contours: contours.map { $0.map(t.apply) })
    }

    var bounds: Box2 { Box2(points: contours.flatMap { $0 }) }

    /// This shape with `hole` removed (the hole must lie inside one outer contour).
    func cutting(_ hole: [Vec2]) -> Shape {
        guard let outer = contours.first else { return self }
        let sameSense = (signedArea(outer) > 0) == (signedArea(hole) > 0)
        return Shape(contours: contours + [sameSense ? hole.reversed() : hole])
    }
}

/// Twice-halved shoelace area; the sign gives the winding direction.
func signedArea(_ contour: [Vec2]) -> Double {
    var s = 0.0
    for i in contour.indices {
        let p = contour[i], q = contour[(i + 1) % contour.count]
        s += p.x * q.y - q.x * p.y
    }
    return s / 2
}

/// Closed-contour builders in any unit; all return points in order around the contour.
enum Contour {
    /// An ellipse with semi-axes `rx`, `ry`, turned by `angle` radians about `center`.
    static func ellipse(_ center: Vec2, _ rx: Double, _ ry: Double, angle: Double = 0,
                        segments: Int = 40) -> [Vec2] {
        let rot = Affine2.rotation(angle)
        return (0..<segments).map { i in
            let t = 2 * Double.pi * Double(i) / Double(segments)
            return center + rot.apply(Vec2(cos(t) * rx, sin(t) * ry))
        }
    }

    /// A closed Catmull–Rom spline through `points` (at least 3), `steps` samples per segment.
    static func spline(_ points: [Vec2], steps: Int = 8) -> [Vec2] {
        let n = points.count
        precondition(n >= 3, "Contour.spline needs at least 3 points, got \(n)")
        var out: [Vec2] = []
        out.reserveCapacity(n * steps)
        for i in 0..<n {
            let p0 = points[(i + n - 1) % n], p1 = points[i], p2 = points[(i + 1) % n], p3 = points[(i + 2) % n]
            for s in 0..<steps {
                out.append(catmullRom(p0, p1, p2, p3, Double(s) / Double(steps)))
            }
        }
        return out
    }

    /// A star-shaped organic blob: a spline through `radii.count` points around `center`,
    /// each at its own radius, scaled by (`sx`, `sy`) and turned by `angle`.
    static func blob(_ center: Vec2, radii: [Double], sx: Double = 1, sy: Double = 1,
                     angle: Double = 0, steps: Int = 6) -> [Vec2] {
        let rot = Affine2.rotation(angle)
        let pts = radii.enumerated().map { i, r in
            let t = 2 * Double.pi * Double(i) / Double(radii.count)
            return center + rot.apply(Vec2(cos(t) * r * sx, sin(t) * r * sy))
        }
        return spline(pts, steps: steps)
    }

    /// A polygon whose corners are rounded with radius up to `radius` (clamped to half of the
    /// shorter adjacent edge); each corner is a quadratic Bézier through the original vertex.
    static func rounded(_ points: [Vec2], radius: Double, steps: Int = 5) -> [Vec2] {
        let n = points.count
        guard radius > 0, n >= 3 else { return points }
        var out: [Vec2] = []
        for i in 0..<n {
            let prev = points[(i + n - 1) % n], p = points[i], next = points[(i + 1) % n]
            let r = min(radius, (p - prev).length / 2, (next - p).length / 2)
            let a = p + (prev - p).normalized * r, b = p + (next - p).normalized * r
            for s in 0...steps {
                let t = Double(s) / Double(steps)
                let u = 1 - t
                out.append(a * (u * u) + p * (2 * u * t) + b * (t * t))
            }
        }
        return out
    }

    /// A rectangle `[x, x+w] × [y, y+h]` with rounded corners.
    static func roundedRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, radius: Double) -> [Vec2] {
        rounded([Vec2(x, y), Vec2(x + w, y), Vec2(x + w, y + h), Vec2(x, y + h)], radius: radius)
    }

    /// The outline of a stroke along an open polyline `path` whose half-width at each point
    /// is `widths[i] / 2`, with round caps. Used for legs, necks, tails and beaks.
    static func stroke(_ path: [Vec2], widths: [Double], capSegments: Int = 6) -> [Vec2] {
        precondition(path.count >= 2 && widths.count == path.count,
                     "Contour.stroke: \(path.count) points, \(widths.count) widths")
        let n = path.count
        var normals: [Vec2] = []
        for i in 0..<n {
            let d = (path[min(i + 1, n - 1)] - path[max(i - 1, 0)]).normalized
            normals.append(d.perpendicular)
        }
        var left: [Vec2] = [], right: [Vec2] = []
        for i in 0..<n {
            left.append(path[i] + normals[i] * (widths[i] / 2))
            right.append(path[i] - normals[i] * (widths[i] / 2))
        }
        func cap(_ center: Vec2, _ from: Vec2, _ radius: Double) -> [Vec2] {
            let a0 = atan2(from.y, from.x)
            return (1..<capSegments).map { s in
                center + Vec2.polar(a0 - Double.pi * Double(s) / Double(capSegments), radius)
            }
        }
        var out = left
        out += cap(path[n - 1], normals[n - 1], widths[n - 1] / 2)
        out += right.reversed()
        out += cap(path[0], normals[0] * -1, widths[0] / 2)
        return out
    }

    /// Samples of an open Catmull–Rom curve through `points` (ends repeated), `steps` per segment.
    static func curve(_ points: [Vec2], steps: Int = 6) -> [Vec2] {
        let n = points.count
        guard n >= 3 else { return points }
        var out: [Vec2] = []
        for i in 0..<(n - 1) {
            let p0 = points[max(i - 1, 0)], p1 = points[i], p2 = points[i + 1], p3 = points[min(i + 2, n - 1)]
            for s in 0..<steps { out.append(catmullRom(p0, p1, p2, p3, Double(s) / Double(steps))) }
        }
        out.append(points[n - 1])
        return out
    }

    /// Interpolates `values` (one per control point) along a curve built by `curve(_:steps:)`.
    static func curveWidths(_ values: [Double], steps: Int = 6) -> [Double] {
        let n = values.count
        guard n >= 3 else { return values }
        var out: [Double] = []
        for i in 0..<(n - 1) {
            for s in 0..<steps {
                let t = Double(s) / Double(steps)
                out.append(values[i] * (1 - t) + values[i + 1] * t)
            }
        }
        out.append(values[n - 1])
        return out
    }
}

/// The uniform Catmull–Rom point between `p1` (t = 0) and `p2` (t = 1).
private func catmullRom(_ p0: Vec2, _ p1: Vec2, _ p2: Vec2, _ p3: Vec2, _ t: Double) -> Vec2 {
    let t2 = t * t, t3 = t2 * t
    let a = p1 * 2
    let b = (p2 - p0) * t
    let c = (p0 * 2 - p1 * 5 + p2 * 4 - p3) * t2
    let d = (p1 * 3 - p0 - p2 * 3 + p3) * t3
    return (a + b + c + d) * 0.5
}
