/// Cropping, padding, flips and the eight EXIF orientations.
extension Image {
    /// The `width × height` region whose top-left corner is `(x, y)`. The region may extend
    /// past the image (or lie outside it); those pixels are 0, as `PIL.Image.crop` does.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> Image {
        precondition(w >= 0 && h >= 0, "crop size \(w)x\(h) is negative")
        var out = Image(width: w, height: h, channels: channels)
        let x0 = max(x, 0), x1 = min(x + w, width)
        guard x1 > x0 else { return out }
        let rowBytes = (x1 - x0) * channels
        pixels.withUnsafeBufferPointer { input in
            out.pixels.withUnsafeMutableBufferPointer { output in
                for oy in 0..<h {
                    let sy = y + oy
                    guard sy >= 0 && sy < height else { continue }
                    let src = input.baseAddress! + (sy * width + x0) * channels
                    let dst = output.baseAddress! + (oy * w + (x0 - x)) * channels
                    dst.update(from: src, count: rowBytes)
                }
            }
        }
        return out
    }

    /// This image with borders of `value` added: the result is
    /// `(left + width + right) × (top + height + bottom)`.
    public func padded(top: Int, left: Int, bottom: Int, right: Int, value: UInt8 = 0) -> Image {
        precondition(top >= 0 && left >= 0 && bottom >= 0 && right >= 0, "padding must be non-negative")
        var out = Image(width: width + left + right, height: height + top + bottom, channels: channels, fill: value)
        let rowBytes = width * channels
        guard rowBytes > 0 else { return out }
        pixels.withUnsafeBufferPointer { input in
            out.pixels.withUnsafeMutableBufferPointer { output in
                for y in 0..<height {
                    let dst = output.baseAddress! + ((y + top) * out.width + left) * channels
                    dst.update(from: input.baseAddress! + y * rowBytes, count: rowBytes)
                }
            }
        }
        return out
    }

    /// Mirror image (left ↔ right).
    public func flippedHorizontally() -> Image { oriented(exif: 2) }
    /// Upside down (top ↔ bottom).
    public func flippedVertically() -> Image { oriented(exif: 4) }

    /// Applies EXIF orientation `tag` (1–8) so an image stored that way displays upright,
    /// matching `PIL.ImageOps.exif_transpose`: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose,
    /// 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise. Other values
    /// return the image unchanged.
    public func oriented(exif tag: Int) -> Image {
        guard (2...8).contains(tag) else { return self }
        let swaps = tag >= 5
        let ow = swaps ? height : width, oh = swaps ? width : height
        let w = width, h = height, c = channels
        let out = [UInt8](unsafeUninitializedCapacity: pixels.count) { buffer, initialized in
            pixels.withUnsafeBufferPointer { input in
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let sx: Int, sy: Int
                        switch tag {
                        case 2: sx = w - 1 - ox; sy = oy
                        case 3: sx = w - 1 - ox; sy = h - 1 - oy
                        case 4: sx = ox; sy = h - 1 - oy
                        case 5: sx = oy; sy = ox
                        case 6: sx = oy; sy = h - 1 - ox
                        case 7: sx = w - 1 - oy; sy = h - 1 - ox
                        default: sx = w - 1 - oy; sy = ox
                        }
                        let s = (sy * w + sx) * c, d = (oy * ow + ox) * c
                        for k in 0..<c { buffer[d + k] = input[s + k] }
                    }
                }
            }
            initialized = pixels.count
        }
        return Image(width: ow, height: oh, channels: c, pixels: out)
    }

    /// The EXIF orientation (1–8) stored in a JPEG's APP1 `Exif` segment, or 1 when there is
    /// none or it cannot be parsed. Only marker segments before the first scan are examined;
    /// every read is bounds-checked, so damaged metadata is ignored rather than trusted.
    static func exifOrientation(jpeg data: [UInt8]) -> Int {
        var pos = 2
        while pos + 4 <= data.count {
            guard data[pos] == 0xFF else { return 1 }
            let marker = data[pos + 1]
            if marker == 0xFF { pos += 1; continue }                     // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { pos += 2; continue }
            if marker == 0xDA || marker == 0xD9 { return 1 }             // scan or end: no EXIF
            let length = Int(data[pos + 2]) << 8 | Int(data[pos + 3])
            let start = pos + 4, end = pos + 2 + length
            guard length >= 2, end <= data.count else { return 1 }
            if marker == 0xE1, end - start >= 14, data[start..<start + 6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {
                return tiffOrientation(data, base: start + 6, end: end) ?? 1
            }
            pos = end
        }
        return 1
    }

    /// Reads tag 0x0112 from IFD0 of the TIFF structure at `data[base..<end]`.
    private static func tiffOrientation(_ data: [UInt8], base: Int, end: Int) -> Int? {
        guard end - base >= 8 else { return nil }
        let little: Bool
        switch (data[base], data[base + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= base, at + 2 <= end else { return nil }
            return little ? Int(data[at]) | Int(data[at + 1]) << 8 : Int(data[at]) << 8 | Int(data[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(base + 2) == 42, let ifd = u32(base + 4), let count = u16(base + ifd) else { return nil }
        for i in 0..<count {
            let entry = base + ifd + 2 + 12 * i
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 {
                guard u16(entry + 2) == 3, let value = u16(entry + 8), (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }
}
