import Foundation

/// Polygon and box rasterisation, bit-identical to pycocotools (`frPoly`, `frBbox`,
/// `frPyObjects`).
///
/// pycocotools does not fill polygons by pixel centres. It scales the vertices by 5, rounds
/// them to integers, walks every edge with a DDA to get dense boundary points, keeps the
/// points where the boundary crosses a pixel column centre, and turns those crossings into
/// column-major runs. The areas of COCO annotations were computed this way, so reproducing it
/// (including its rounding quirks) is what makes our areas and masks equal to the datasets'.
extension RLE {
    /// The largest absolute coordinate ``fromPolygon(_:width:height:)`` accepts.
    public static let maximumPolygonCoordinate = 1_000_000.0

    /// Rasterises one polygon `[x0, y0, x1, y1, …]` (pixel coordinates, edges between pixel
    /// centres) like pycocotools `frPoly`. An odd trailing value is ignored; fewer than two
    /// points give an empty mask.
    ///
    /// - Precondition: coordinates are finite with magnitude at most
    ///   ``maximumPolygonCoordinate``; check data from files with
    ///   ``validatePolygons(_:width:height:source:)`` first.
    public static func fromPolygon(_ xy: [Double], width: Int, height: Int) -> RLE {
        precondition(width >= 0 && height >= 0, "RLE.fromPolygon: negative size \(width)x\(height)")
        precondition(xy.allSatisfy { $0.isFinite && abs($0) <= maximumPolygonCoordinate },
                     "RLE.fromPolygon: coordinate not finite or beyond ±\(maximumPolygonCoordinate)")
        let w = width, h = height
        if w * h == 0 { return RLE(width: w, height: h, counts: [0]) }
        let k = xy.count / 2
        if k == 0 { return RLE(width: w, height: h, counts: [UInt32(w * h)]) }
        let scale = 5.0

        // 1. Upsample the vertices ×5 and walk each edge, one point per step along its major axis.
        var px = [Int](repeating: 0, count: k + 1), py = [Int](repeating: 0, count: k + 1)
        for j in 0..<k {
            px[j] = cTruncate(scale * xy[2 * j] + 0.5)
            py[j] = cTruncate(scale * xy[2 * j + 1] + 0.5)
        }
        px[k] = px[0]
        py[k] = py[0]
        var u: [Int] = [], v: [Int] = []
        for j in 0..<k {
            var xs = px[j], xe = px[j + 1], ys = py[j], ye = py[j + 1]
            let dx = abs(xe - xs), dy = abs(ys - ye)
            let flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye)
            if flip { swap(&xs, &xe); swap(&ys, &ye) }
            // 0/0 for a repeated vertex gives NaN, as in C; cTruncate maps it like x86 does.
            let slope = dx >= dy ? Double(ye - ys) / Double(dx) : Double(xe - xs) / Double(dy)
            if dx >= dy {
                for d in 0...dx {
                    let t = flip ? dx - d : d
                    u.append(t + xs)
                    v.append(cTruncate(Double(ys) + slope * Double(t) + 0.5))
                }
            } else {
                for d in 0...dy {
                    let t = flip ? dy - d : d
                    v.append(t + ys)
                    u.append(cTruncate(Double(xs) + slope * Double(t) + 0.5))
                }
            }
        }

        // 2. Keep the points where the boundary crosses a column centre; downsample to pixels.
        var positions: [UInt32] = []
        for j in 1..<max(u.count, 1) where u[j] != u[j - 1] {
            var xd = Double(u[j] < u[j - 1] ? u[j] : u[j] - 1)
            xd = (xd + 0.5) / scale - 0.5
            if xd.rounded(.down) != xd || xd < 0 || xd > Double(w - 1) { continue }
            var yd = Double(min(v[j], v[j - 1]))
            yd = (yd + 0.5) / scale - 0.5
            if yd < 0 { yd = 0 } else if yd > Double(h) { yd = Double(h) }
            yd.round(.up)
            positions.append(UInt32(truncatingIfNeeded: Int(xd) * h + Int(yd)))
        }

        // 3. Crossings sorted in column-major order are run boundaries; coincident ones cancel.
        positions.append(UInt32(h * w))
        positions.sort()
        var previous: UInt32 = 0
        for j in positions.indices {
            let t = positions[j]
            positions[j] = t &- previous
            previous = t
        }
        var counts: [UInt32] = [positions[0]]
        var j = 1
        while j < positions.count {
            if positions[j] > 0 {
                counts.append(positions[j])
                j += 1
            } else {
                j += 1
                if j < positions.count { counts[counts.count - 1] &+= positions[j]; j += 1 }
            }
        }
        return RLE(width: w, height: h, counts: counts)
    }

    /// Rasterises a box `[x, y, width, height]` as pycocotools `frBbox` does (the box's corner
    /// polygon through ``fromPolygon(_:width:height:)``).
    public static func fromBox(_ xywh: [Double], width: Int, height: Int) -> RLE {
        precondition(xywh.count == 4, "RLE.fromBox: \(xywh.count) values, expected [x, y, w, h]")
        let xs = xywh[0], xe = xywh[0] + xywh[2], ys = xywh[1], ye = xywh[1] + xywh[3]
        return fromPolygon([xs, ys, xs, ye, xe, ye, xe, ys], width: width, height: height)
    }

    /// A COCO polygon segmentation (`[[x0, y0, …], …]`) as one mask, like pycocotools'
    /// `merge(frPyObjects(segmentation, h, w))`, which `COCO.annToRLE` uses for areas.
    ///
    /// Every entry is rasterised as a polygon (`frPoly`). pycocotools' `frPyObjects` reads a
    /// list whose *first* entry has exactly four numbers as boxes (older versions) or raises
    /// (2.0.11); a two-point polygon is a degenerate line either way, so we rasterise it as a
    /// polygon, which gives the empty mask. An empty list gives an empty mask.
    /// - Precondition: as for ``fromPolygon(_:width:height:)``.
    public static func fromPolygons(_ polygons: [[Double]], width: Int, height: Int) -> RLE {
        guard !polygons.isEmpty else {
            return RLE(width: width, height: height, counts: [UInt32(width * height)])
        }
        return merge(polygons.map { fromPolygon($0, width: width, height: height) })
    }

    /// Checks polygons read from a file before rasterising them.
    ///
    /// - Throws: ``MaskError/invalidSize(source:width:height:)`` for a bad image size and
    ///   ``MaskError/invalidPolygon(source:polygon:reason:)`` for a NaN or infinite coordinate
    ///   or one beyond `8·max(width, height) + 1024` pixels from the origin (points slightly
    ///   outside the image are normal in COCO data and are clipped by rasterisation).
    public static func validatePolygons(_ polygons: [[Double]], width: Int, height: Int,
                                        source: String = "<memory>") throws {
        try checkSize(width: width, height: height, source: source)
        let limit = min(Double(8 * max(width, height) + 1024), maximumPolygonCoordinate)
        for (i, polygon) in polygons.enumerated() {
            for value in polygon {
                guard value.isFinite else {
                    throw MaskError.invalidPolygon(source: source, polygon: i, reason: "coordinate \(value) is not finite")
                }
                guard abs(value) <= limit else {
                    throw MaskError.invalidPolygon(source: source, polygon: i,
                                                   reason: "coordinate \(value) is far outside a \(width)x\(height) image")
                }
            }
        }
    }
}

/// C's `(int)` conversion of a double as x86-64 performs it: truncation toward zero, and
/// `INT_MIN` for NaN or out-of-range values (`cvttsd2si`), which pycocotools hits on 0/0.
@inline(__always)
private func cTruncate(_ value: Double) -> Int {
    guard value.isFinite, value > -2_147_483_649.0, value < 2_147_483_648.0 else { return Int(Int32.min) }
    return Int(value.rounded(.towardZero))
}
