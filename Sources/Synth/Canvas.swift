import Foundation

/// Fractional pixel coverage of a shape over its clipped pixel bounding box.
struct Coverage {
    /// Top-left pixel of the box and its size in pixels.
    let x0: Int, y0: Int, width: Int, height: Int
    /// Row-major coverage in `[0, 1]`, `width · height` values.
    var values: [Float]
}

/// Sub-scanlines per pixel row: vertical anti-aliasing; horizontal coverage is exact.
private let subRows = 4

/// Rasterises `shape` (pixel coordinates, non-zero winding) clipped to a `width × height`
/// canvas. Each pixel row is sampled on 4 sub-scanlines; along each, span ends contribute
/// their exact fractional overlap, so edges are smooth at any angle.
/// - Returns: nil when the shape misses the canvas.
func rasterize(_ shape: Shape, width: Int, height: Int) -> Coverage? {
    let box = shape.bounds
    let x0 = max(0, Int(floor(box.minX))), x1 = min(width, Int(ceil(box.maxX)))
    let y0 = max(0, Int(floor(box.minY))), y1 = min(height, Int(ceil(box.maxY)))
    guard x1 > x0, y1 > y0 else { return nil }
    let w = x1 - x0, h = y1 - y0

    // Edges as (ya, yb, xa, slope, direction), horizontal edges dropped.
    var edges: [(ya: Double, yb: Double, xa: Double, dxdy: Double, dir: Int)] = []
    for contour in shape.contours where contour.count >= 3 {
        for i in contour.indices {
            let p = contour[i], q = contour[(i + 1) % contour.count]
            if p.y == q.y { continue }
            let (lo, hi, dir) = p.y < q.y ? (p, q, 1) : (q, p, -1)
            edges.append((lo.y, hi.y, lo.x, (hi.x - lo.x) / (hi.y - lo.y), dir))
        }
    }
    edges.sort { $0.ya < $1.ya }

    var values = [Float](repeating: 0, count: w * h)
    var crossings: [(x: Double, dir: Int)] = []
    let weight = 1 / Float(subRows)
    let left = Double(x0), right = Double(x1)
    values.withUnsafeMutableBufferPointer { cov in
        for row in y0..<y1 {
            let rowBase = (row - y0) * w
            for s in 0..<subRows {
                let sy = Double(row) + (Double(s) + 0.5) / Double(subRows)
                crossings.removeAll(keepingCapacity: true)
                for e in edges {
                    if e.ya > sy { break }
                    if sy < e.yb { crossings.append((e.xa + (sy - e.ya) * e.dxdy, e.dir)) }
                }
                if crossings.count < 2 { continue }
                crossings.sort { $0.x < $1.x }
                var winding = 0, start = 0.0
                for c in crossings {
                    let before = winding
                    winding += c.dir
                    if before == 0 && winding != 0 {
                        start = c.x
                    } else if before != 0 && winding == 0 {
                        let a = max(start, left) - left, b = min(c.x, right) - left
                        if b <= a { continue }
                        let ia = Int(a), ib = Int(b)
                        if ia == ib {
                            cov[rowBase + ia] += Float(b - a) * weight
                        } else {
                            cov[rowBase + ia] += Float(Double(ia + 1) - a) * weight
                            if ia + 1 < ib { for i in (ia + 1)..<ib { cov[rowBase + i] += weight } }
                            if ib < w { cov[rowBase + ib] += Float(b - Double(ib)) * weight }
                        }
                    }
                }
            }
        }
    }
    return Coverage(x0: x0, y0: y0, width: w, height: h, values: values)
}

/// An RGB drawing surface with an exact label map: every pixel records which object instance
/// and which of its parts is visible there, decided by coverage ≥ ½ in painter's order.
struct Canvas {
    let width: Int, height: Int
    /// Interleaved RGB in `[0, 1]`, `[height, width, 3]`.
    var rgb: [Float]
    /// Visible object per pixel: 0 = background, k = the k-th object (1-based).
    var instance: [UInt8]
    /// Visible part per pixel: 0 = none, p = part index p − 1 of that object's category.
    var part: [UInt8]

    init(width: Int, height: Int) {
        self.width = width; self.height = height
        rgb = [Float](repeating: 0, count: width * height * 3)
        instance = [UInt8](repeating: 0, count: width * height)
        part = instance
    }

    /// Paints `shape`, given in local units and placed by `transform` (local → pixels), with
    /// `texture` evaluated in local units, and labels the pixels it covers at least half.
    mutating func fill(_ shape: Shape, transform: Affine2, texture: Texture,
                       instance inst: UInt8 = 0, part partLabel: UInt8 = 0) {
        guard let cov = rasterize(shape.transformed(transform), width: width, height: height) else { return }
        let inverse = transform.inverted
        let localBox = shape.bounds
        for yy in 0..<cov.height {
            let py = cov.y0 + yy
            for xx in 0..<cov.width {
                let a = min(1, cov.values[yy * cov.width + xx])
                if a <= 0 { continue }
                let px = cov.x0 + xx
                let local = inverse.apply(Vec2(Double(px) + 0.5, Double(py) + 0.5))
                let c = texture.colour(at: local, in: localBox)
                let i = py * width + px
                rgb[3 * i] += (c.r - rgb[3 * i]) * a
                rgb[3 * i + 1] += (c.g - rgb[3 * i + 1]) * a
                rgb[3 * i + 2] += (c.b - rgb[3 * i + 2]) * a
                if a >= 0.5 { instance[i] = inst; part[i] = partLabel }
            }
        }
    }

    /// Fills every pixel from `colour(x, y)` (pixel centres), clearing the labels.
    mutating func paintAll(_ colour: (Double, Double) -> RGB) {
        for y in 0..<height {
            for x in 0..<width {
                let c = colour(Double(x) + 0.5, Double(y) + 0.5)
                let i = y * width + x
                rgb[3 * i] = c.r; rgb[3 * i + 1] = c.g; rgb[3 * i + 2] = c.b
                instance[i] = 0; part[i] = 0
            }
        }
    }

    /// The RGB bytes, rounded and clamped: `[height, width, 3]`.
    var bytes: [UInt8] {
        rgb.map { UInt8(min(255, max(0, ($0 * 255).rounded()))) }
    }
}
