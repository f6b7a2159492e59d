/// A binary mask: one byte per pixel, `0` (background) or `1` (foreground), row-major.
///
/// Masks are the common currency between the store (which keeps them as COCO RLE), parsing
/// (which builds them from clustered feature maps) and overlays. Pixel `(x, y)` lives at
/// `pixels[y * width + x]`. Any non-zero byte passed to `init(width:height:pixels:)` counts as
/// foreground and is stored as `1`.
///
/// ```swift
/// var mask = Mask(width: 4, height: 3)
/// mask[1, 2] = true
/// mask.area          // 1
/// mask.boundingBox   // (x: 1, y: 2, width: 1, height: 1)
/// ```
public struct Mask: Sendable, Equatable {
    /// Width in pixels (columns).
    public let width: Int
    /// Height in pixels (rows).
    public let height: Int
    /// `width·height` bytes, row-major, each `0` or `1`.
    public var pixels: [UInt8]

    /// Wraps row-major pixel bytes; any non-zero byte becomes `1`.
    ///
    /// - Precondition: `pixels.count == width * height`, sizes non-negative (a programmer error
    ///   otherwise: callers reading files check sizes first).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "Mask: negative size \(width)x\(height)")
        precondition(pixels.count == width * height,
                     "Mask: \(pixels.count) pixels for a \(width)x\(height) mask")
        self.width = width
        self.height = height
        self.pixels = pixels
        if pixels.contains(where: { $0 > 1 }) {
            for i in 0..<self.pixels.count where self.pixels[i] != 0 { self.pixels[i] = 1 }
        }
    }

    /// An empty (all background) mask.
    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "Mask: negative size \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: 0, count: width * height)
    }

    /// A mask whose pixel `(x, y)` is `predicate(x, y)`.
    public init(width: Int, height: Int, where predicate: (_ x: Int, _ y: Int) -> Bool) {
        self.init(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width where predicate(x, y) { pixels[y * width + x] = 1 }
        }
    }

    /// Foreground pixel at column `x`, row `y`.
    ///
    /// - Precondition: `0 ≤ x < width`, `0 ≤ y < height`.
    public subscript(x: Int, y: Int) -> Bool {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height,
                         "Mask: pixel (\(x), \(y)) outside \(width)x\(height)")
            return pixels[y * width + x] != 0
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height,
                         "Mask: pixel (\(x), \(y)) outside \(width)x\(height)")
            pixels[y * width + x] = newValue ? 1 : 0
        }
    }

    /// Number of foreground pixels. O(width·height).
    public var area: Int {
        pixels.withUnsafeBufferPointer { buf in
            var total = 0
            for v in buf { total &+= Int(v) }
            return total
        }
    }

    /// `true` when no pixel is set.
    public var isEmpty: Bool { !pixels.contains(1) }

    /// The tightest box holding every foreground pixel, in pixels (`x`, `y` of the top-left
    /// pixel, inclusive size); `nil` for an empty mask.
    ///
    /// Note this is the pixel-exact box; ``RLE/bbox`` reproduces pycocotools' `toBbox`, which
    /// agrees with it on masks produced by ``RLE/init(mask:)``.
    public var boundingBox: (x: Int, y: Int, width: Int, height: Int)? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        pixels.withUnsafeBufferPointer { buf in
            for y in 0..<height {
                let row = y * width
                var first = -1, last = -1
                for x in 0..<width where buf[row + x] != 0 {
                    if first < 0 { first = x }
                    last = x
                }
                if first >= 0 {
                    minY = min(minY, y); maxY = y
                    minX = min(minX, first); maxX = max(maxX, last)
                }
            }
        }
        guard maxX >= 0 else { return nil }
        return (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    /// Pixels set in both masks.
    ///
    /// - Precondition: equal sizes.
    public func intersection(_ other: Mask) -> Mask {
        combined(other) { $0 & $1 }
    }

    /// Pixels set in either mask.
    ///
    /// - Precondition: equal sizes.
    public func union(_ other: Mask) -> Mask {
        combined(other) { $0 | $1 }
    }

    /// Pixels set here but not in `other`.
    ///
    /// - Precondition: equal sizes.
    public func subtracting(_ other: Mask) -> Mask {
        combined(other) { $0 & ~$1 & 1 }
    }

    /// Every pixel flipped.
    public var inverted: Mask {
        var out = self
        for i in 0..<out.pixels.count { out.pixels[i] ^= 1 }
        return out
    }

    /// Intersection over union in `[0, 1]`; `0` when both masks are empty.
    ///
    /// - Precondition: equal sizes.
    public func iou(_ other: Mask) -> Double {
        precondition(width == other.width && height == other.height,
                     "Mask.iou: \(width)x\(height) vs \(other.width)x\(other.height)")
        var inter = 0, uni = 0
        pixels.withUnsafeBufferPointer { a in
            other.pixels.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    inter &+= Int(a[i] & b[i])
                    uni &+= Int(a[i] | b[i])
                }
            }
        }
        return uni == 0 ? 0 : Double(inter) / Double(uni)
    }

    private func combined(_ other: Mask, _ op: (UInt8, UInt8) -> UInt8) -> Mask {
        precondition(width == other.width && height == other.height,
                     "Mask: combining \(width)x\(height) with \(other.width)x\(other.height)")
        var out = Mask(width: width, height: height)
        for i in 0..<pixels.count { out.pixels[i] = op(pixels[i], other.pixels[i]) }
        return out
    }
}
