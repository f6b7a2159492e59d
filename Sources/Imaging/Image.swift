/// An 8-bit raster image: `height` rows of `width` pixels, each `channels` bytes, interleaved
/// (HWC, row-major). Channels are 1 (gray), 3 (RGB) or 4 (RGBA).
///
/// ```swift
/// let photo = try Image.read(path: "cat.jpg")          // PNG or JPEG, EXIF orientation applied
/// let input = photo.resized(width: 224, height: 224, filter: .bicubic).normalizedCHW()
/// ```
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// `height · width · channels` bytes, row-major, channels interleaved.
    public var pixels: [UInt8]

    /// Wraps existing pixels. Traps when `pixels.count != width · height · channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "Image size \(width)x\(height) is negative")
        precondition(channels == 1 || channels == 3 || channels == 4, "Image channels must be 1, 3 or 4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "Image \(width)x\(height)x\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image with every byte set to `fill`.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: fill, count: max(0, width) * max(0, height) * channels))
    }

    /// Byte offset of pixel `(x, y)`'s first channel.
    @inlinable public func offset(x: Int, y: Int) -> Int { (y * width + x) * channels }

    /// One channel of one pixel; `x`, `y` and `channel` must be in range.
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        get { pixels[offset(x: x, y: y) + channel] }
        set { pixels[offset(x: x, y: y) + channel] = newValue }
    }

    /// The same picture with `channels` 1, 3 or 4. Gray → RGB repeats the value; RGB → gray
    /// uses ITU-R 601 luma with Pillow's fixed-point rounding (`L = (19595R + 38470G + 7471B
    /// + 2¹⁵) >> 16`); dropping alpha discards it; adding alpha makes the image opaque.
    public func converted(toChannels target: Int) -> Image {
        precondition(target == 1 || target == 3 || target == 4, "channels must be 1, 3 or 4, got \(target)")
        if target == channels { return self }
        let count = width * height
        let source = channels
        let out = [UInt8](unsafeUninitializedCapacity: count * target) { buffer, initialized in
            pixels.withUnsafeBufferPointer { input in
                for i in 0..<count {
                    let s = i * source, d = i * target
                    var r = input[s], g = r, b = r, a: UInt8 = 255
                    if source >= 3 { g = input[s + 1]; b = input[s + 2] }
                    if source == 4 { a = input[s + 3] }
                    if target == 1 {
                        let luma = (19595 * UInt32(r) + 38470 * UInt32(g) + 7471 * UInt32(b) + 0x8000) >> 16
                        buffer[d] = UInt8(truncatingIfNeeded: luma)
                    } else {
                        buffer[d] = r; buffer[d + 1] = g; buffer[d + 2] = b
                        if target == 4 { buffer[d + 3] = a }
                    }
                }
            }
            initialized = count * target
        }
        return Image(width: width, height: height, channels: target, pixels: out)
    }

    /// Float planes `[channels, height, width]` holding `value · scale` (default: `[0, 1]`).
    public func planesCHW(scale: Float = 1 / 255) -> [Float] {
        let plane = width * height
        return [Float](unsafeUninitializedCapacity: plane * channels) { buffer, initialized in
            pixels.withUnsafeBufferPointer { input in
                for c in 0..<channels {
                    for i in 0..<plane { buffer[c * plane + i] = Float(input[i * channels + c]) * scale }
                }
            }
            initialized = plane * channels
        }
    }

    /// Rebuilds an image from float planes `[channels, height, width]`: each value is divided
    /// by `scale`, rounded to nearest and clamped to `[0, 255]`; NaN becomes 0.
    public init(planesCHW planes: [Float], channels: Int, height: Int, width: Int, scale: Float = 1 / 255) {
        let plane = width * height
        precondition(planes.count == plane * channels, "planes hold \(planes.count) values, expected \(channels)x\(height)x\(width)")
        let pixels = [UInt8](unsafeUninitializedCapacity: plane * channels) { buffer, initialized in
            planes.withUnsafeBufferPointer { input in
                for c in 0..<channels {
                    for i in 0..<plane { buffer[i * channels + c] = clampToByte(input[c * plane + i] / scale) }
                }
            }
            initialized = plane * channels
        }
        self.init(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Float planes `[3, height, width]` (or `[mean.count, …]`) holding `(v/255 − mean) / std`,
    /// ImageNet statistics by default. Gray images are repeated to three planes and alpha is
    /// dropped, as `PIL.Image.convert("RGB")` does before torchvision's `Normalize`.
    public func normalizedCHW(mean: [Float] = [0.485, 0.456, 0.406],
                              std: [Float] = [0.229, 0.224, 0.225]) -> [Float] {
        precondition(mean.count == std.count && (mean.count == 1 || mean.count == 3),
                     "normalizedCHW needs 1 or 3 means and stds, got \(mean.count) and \(std.count)")
        let source = converted(toChannels: mean.count)
        var planes = source.planesCHW()
        let plane = width * height
        for c in 0..<mean.count {
            let m = mean[c], s = std[c]
            for i in (c * plane)..<((c + 1) * plane) { planes[i] = (planes[i] - m) / s }
        }
        return planes
    }
}

/// Rounds to the nearest byte value, clamping to `[0, 255]`; NaN maps to 0.
@inlinable func clampToByte(_ value: Float) -> UInt8 {
    let rounded = (value + 0.5).rounded(.down)
    if !(rounded > 0) { return 0 }
    return rounded >= 255 ? 255 : UInt8(rounded)
}
