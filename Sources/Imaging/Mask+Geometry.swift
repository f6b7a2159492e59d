/// Crop, paste, resize and 3×3 morphology on masks.
extension Mask {
    /// The `width`×`height` window whose top-left pixel is `(x, y)`.
    ///
    /// The window may extend past the mask (or lie wholly outside it): pixels outside read as
    /// background, so cropping a box that touches the image border is safe.
    /// - Precondition: `width, height ≥ 0`.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> Mask {
        precondition(width >= 0 && height >= 0, "Mask.cropped: negative size \(width)x\(height)")
        var out = Mask(width: width, height: height)
        let x0 = max(x, 0), x1 = min(x + width, self.width)
        let y0 = max(y, 0), y1 = min(y + height, self.height)
        guard x0 < x1, y0 < y1 else { return out }
        for sy in y0..<y1 {
            let src = sy * self.width, dst = (sy - y) * width - x
            for sx in x0..<x1 { out.pixels[dst + sx] = pixels[src + sx] }
        }
        return out
    }

    /// Writes `other` with its top-left pixel at `(x, y)`, clipped to this mask.
    ///
    /// - Parameters:
    ///   - other: the mask to paste; may hang over any edge.
    ///   - union: when `true`, background pixels of `other` leave this mask unchanged (OR);
    ///     when `false` (default) the covered window is overwritten.
    public mutating func paste(_ other: Mask, x: Int, y: Int, union: Bool = false) {
        let x0 = max(x, 0), x1 = min(x + other.width, width)
        let y0 = max(y, 0), y1 = min(y + other.height, height)
        guard x0 < x1, y0 < y1 else { return }
        for dy in y0..<y1 {
            let dst = dy * width, src = (dy - y) * other.width - x
            for dx in x0..<x1 {
                let v = other.pixels[src + dx]
                pixels[dst + dx] = union ? (pixels[dst + dx] | v) : v
            }
        }
    }

    /// Nearest-neighbour resize with PyTorch's `F.interpolate(mode="nearest")` convention:
    /// output pixel `i` reads source `floor(i · in/out)` (the scale computed in `Float`).
    ///
    /// - Precondition: `width, height ≥ 0`; a non-empty output needs a non-empty source.
    public func resizedNearest(width: Int, height: Int) -> Mask {
        precondition(width >= 0 && height >= 0, "Mask.resizedNearest: negative size")
        var out = Mask(width: width, height: height)
        guard width > 0, height > 0 else { return out }
        precondition(self.width > 0 && self.height > 0, "Mask.resizedNearest: empty source")
        let sx = Self.nearestIndices(from: self.width, to: width)
        let sy = Self.nearestIndices(from: self.height, to: height)
        for y in 0..<height {
            let src = sy[y] * self.width, dst = y * width
            for x in 0..<width { out.pixels[dst + x] = pixels[src + sx[x]] }
        }
        return out
    }

    /// Downscale where an output pixel is set when *any* source pixel in its cell is set, as
    /// VLPart does when it brings part masks to the feature grid (max pooling over the cell).
    ///
    /// Cells follow PyTorch `adaptive_max_pool2d`: output `i` covers source
    /// `floor(i·in/out) ..< ceil((i+1)·in/out)`, so cells may overlap when the ratio is not
    /// integral and every source pixel belongs to some cell. Upscaling with this rule is the
    /// same as nearest resizing.
    public func resizedAny(width: Int, height: Int) -> Mask {
        precondition(width >= 0 && height >= 0, "Mask.resizedAny: negative size")
        var out = Mask(width: width, height: height)
        guard width > 0, height > 0, self.width > 0, self.height > 0 else { return out }
        for oy in 0..<height {
            let y0 = oy * self.height / height, y1 = ((oy + 1) * self.height + height - 1) / height
            for ox in 0..<width {
                let x0 = ox * self.width / width, x1 = ((ox + 1) * self.width + width - 1) / width
                var any: UInt8 = 0
                cell: for yy in y0..<y1 {
                    let row = yy * self.width
                    for xx in x0..<x1 where pixels[row + xx] != 0 { any = 1; break cell }
                }
                out.pixels[oy * width + ox] = any
            }
        }
        return out
    }

    /// Binary dilation by the 3×3 square (8-neighbourhood), `iterations` times.
    public func dilated(iterations: Int = 1) -> Mask {
        var out = self
        for _ in 0..<max(iterations, 0) { out = out.morph3x3(dilate: true) }
        return out
    }

    /// Binary erosion by the 3×3 square, `iterations` times. Pixels outside the mask count as
    /// background (scipy's `binary_erosion` default), so foreground on the border erodes.
    public func eroded(iterations: Int = 1) -> Mask {
        var out = self
        for _ in 0..<max(iterations, 0) { out = out.morph3x3(dilate: false) }
        return out
    }

    /// Pixels set in the mask whose 8-neighbourhood reaches background (or the border): the
    /// outline used for overlays.
    public var boundary: Mask { subtracting(eroded()) }

    private func morph3x3(dilate: Bool) -> Mask {
        var out = Mask(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                // Dilation: set if any neighbour is set. Erosion: set only if all neighbours
                // (outside counting as background) are set.
                var result: UInt8 = dilate ? 0 : 1
                scan: for ny in (y - 1)...(y + 1) {
                    for nx in (x - 1)...(x + 1) {
                        let inside = nx >= 0 && nx < width && ny >= 0 && ny < height
                        let v: UInt8 = inside ? pixels[ny * width + nx] : 0
                        if dilate, v != 0 { result = 1; break scan }
                        if !dilate, v == 0 { result = 0; break scan }
                    }
                }
                out.pixels[y * width + x] = result
            }
        }
        return out
    }

    /// Source index for each of `count` outputs, matching PyTorch nearest (Float scale).
    private static func nearestIndices(from source: Int, to count: Int) -> [Int] {
        let scale = Float(source) / Float(count)
        return (0..<count).map { min(Int((Float($0) * scale).rounded(.down)), source - 1) }
    }
}
