/// An 8-bit RGB colour for drawing.
public struct Color: Sendable, Equatable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    public static let black = Color(0, 0, 0)
    public static let white = Color(255, 255, 255)

    /// Black or white, whichever reads better on this colour (ITU-R 601 luma threshold 140).
    public var contrastingText: Color {
        let luma: Int = 299 * Int(r) + 587 * Int(g) + 114 * Int(b)
        return luma / 1000 > 140 ? .black : .white
    }
}

/// A fixed palette of 20 high-contrast colours (Kelly's colours of maximum contrast, without
/// white and black), so the same part index gets the same colour in every picture.
public enum Palette {
    public static let colors: [Color] = [
        Color(0xF3, 0xC3, 0x00), Color(0x87, 0x56, 0x92), Color(0xF3, 0x84, 0x00), Color(0xA1, 0xCA, 0xF1),
        Color(0xBE, 0x00, 0x32), Color(0xC2, 0xB2, 0x80), Color(0x84, 0x84, 0x82), Color(0x00, 0x88, 0x56),
        Color(0xE6, 0x8F, 0xAC), Color(0x00, 0x67, 0xA5), Color(0xF9, 0x93, 0x79), Color(0x60, 0x4E, 0x97),
        Color(0xF6, 0xA6, 0x00), Color(0xB3, 0x44, 0x6C), Color(0xDC, 0xD3, 0x00), Color(0x88, 0x2D, 0x17),
        Color(0x8D, 0xB6, 0x00), Color(0x65, 0x45, 0x22), Color(0xE2, 0x58, 0x22), Color(0x2B, 0x3D, 0x26),
    ]

    /// Colour `index` (wrapping around; negative indices count from the end).
    public static func color(_ index: Int) -> Color {
        let n = colors.count
        return colors[((index % n) + n) % n]
    }
}

extension Image {
    /// This image as RGB with coloured masks blended on top, for review pictures.
    ///
    /// - Parameters:
    ///   - masks: one plane per mask, `height · width` bytes, row-major, nonzero = inside
    ///     (the layout of `Mask.pixels`). Later masks draw over earlier ones.
    ///   - colors: one per mask; default `Palette.color(i)`.
    ///   - labels: optional text per mask, drawn at the top-left of its bounding box on a
    ///     box of the mask's colour (empty strings draw nothing).
    ///   - opacity: fill weight of the colour, 0–1 (`out = (1 − α)·pixel + α·colour`).
    ///   - outline: paints mask pixels that touch a non-mask 4-neighbour (or the image
    ///     edge) in the solid colour.
    public func overlaying(masks: [[UInt8]], colors: [Color]? = nil, labels: [String]? = nil,
                           opacity: Float = 0.5, outline: Bool = true, labelScale: Int = 1) -> Image {
        precondition(colors == nil || colors!.count == masks.count, "overlaying: \(colors!.count) colours for \(masks.count) masks")
        precondition(labels == nil || labels!.count == masks.count, "overlaying: \(labels!.count) labels for \(masks.count) masks")
        var out = converted(toChannels: 3)
        let alpha = Int((min(max(opacity, 0), 1) * 256).rounded())
        let w = width, h = height
        for (m, mask) in masks.enumerated() {
            precondition(mask.count == w * h, "overlaying: mask \(m) has \(mask.count) pixels, image is \(w)x\(h)")
            let color = colors?[m] ?? Palette.color(m)
            let rgb = [Int(color.r), Int(color.g), Int(color.b)]
            mask.withUnsafeBufferPointer { inside in
                out.pixels.withUnsafeMutableBufferPointer { px in
                    for y in 0..<h {
                        for x in 0..<w where inside[y * w + x] != 0 {
                            let edge = outline && (x == 0 || y == 0 || x == w - 1 || y == h - 1
                                || inside[y * w + x - 1] == 0 || inside[y * w + x + 1] == 0
                                || inside[(y - 1) * w + x] == 0 || inside[(y + 1) * w + x] == 0)
                            let o = (y * w + x) * 3
                            for c in 0..<3 {
                                px[o + c] = edge ? UInt8(rgb[c])
                                    : UInt8((Int(px[o + c]) * (256 - alpha) + rgb[c] * alpha + 128) >> 8)
                            }
                        }
                    }
                }
            }
        }
        if let labels {
            for (m, label) in labels.enumerated() where !label.isEmpty {
                guard let (x, y) = firstCorner(masks[m]) else { continue }
                let color = colors?[m] ?? Palette.color(m)
                out.drawText(label, x: x + labelScale, y: y + labelScale, color: color.contrastingText,
                             scale: labelScale, background: color)
            }
        }
        return out
    }

    /// The top-left corner of the bounding box of a nonzero plane, or nil when empty.
    private func firstCorner(_ mask: [UInt8]) -> (Int, Int)? {
        var minX = width, minY = height
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] != 0 {
                minX = min(minX, x); minY = min(minY, y)
            }
        }
        return minX < width ? (minX, minY) : nil
    }

    /// This image (as RGB) with a white panel on the right listing each entry as a colour
    /// swatch and its label, one per line; the picture grows taller if the list needs it.
    public func withLegend(_ entries: [(label: String, color: Color)], scale: Int = 1) -> Image {
        let line = BitmapFont.lineHeight * scale + 2 * scale, margin = 4 * scale
        let swatch = BitmapFont.glyphHeight * scale
        let textWidth = entries.map { BitmapFont.size(of: $0.label, scale: scale).width }.max() ?? 0
        let panelWidth = entries.isEmpty ? 0 : margin * 3 + swatch + textWidth
        let panelHeight = margin * 2 + entries.count * line
        var out = converted(toChannels: 3).padded(top: 0, left: 0, bottom: max(0, panelHeight - height),
                                                  right: panelWidth, value: 255)
        for (i, entry) in entries.enumerated() {
            let top = margin + i * line
            out.fillRectangle(x: width + margin, y: top, width: swatch, height: swatch, color: entry.color)
            out.drawText(entry.label, x: width + 2 * margin + swatch, y: top, color: .black, scale: scale)
        }
        return out
    }

    /// Fills the rectangle (clipped to the image) with `color`; gray images get its luma and
    /// RGBA images keep their alpha.
    public mutating func fillRectangle(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        let x0 = max(x, 0), y0 = max(y, 0), x1 = min(x + w, width), y1 = min(y + h, height)
        guard x1 > x0 && y1 > y0 else { return }
        let weighted: Int = 19595 * Int(color.r) + 38470 * Int(color.g)
        let luma = UInt8((weighted + 7471 * Int(color.b) + 0x8000) >> 16)
        let c = channels, stride = width
        pixels.withUnsafeMutableBufferPointer { px in
            for yy in y0..<y1 {
                for xx in x0..<x1 {
                    let o = (yy * stride + xx) * c
                    if c == 1 { px[o] = luma } else { px[o] = color.r; px[o + 1] = color.g; px[o + 2] = color.b }
                }
            }
        }
    }

    /// Draws the outline of a rectangle `thickness` pixels wide, inside its bounds.
    public mutating func strokeRectangle(x: Int, y: Int, width w: Int, height h: Int, color: Color, thickness: Int = 1) {
        let t = min(thickness, w, h)
        guard t > 0 else { return }
        fillRectangle(x: x, y: y, width: w, height: t, color: color)
        fillRectangle(x: x, y: y + h - t, width: w, height: t, color: color)
        fillRectangle(x: x, y: y, width: t, height: h, color: color)
        fillRectangle(x: x + w - t, y: y, width: t, height: h, color: color)
    }
}
