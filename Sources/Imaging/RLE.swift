/// A COCO run-length encoded mask, bit-compatible with pycocotools.
///
/// Pixels are read **column-major** (down each column, then the next column to the right)
/// and `counts` alternate background and foreground runs, **starting with background** (a
/// mask whose first pixel is set starts with a `0` count). This is the layout of pycocotools'
/// `maskApi.c`, and ``compressed`` is its `counts` string, so a mask written here decodes
/// identically with `pycocotools.mask.decode` and vice versa.
///
/// ```swift
/// let rle = RLE(mask: mask)
/// let json = ["size": [rle.height, rle.width], "counts": rle.compressed]   // COCO order [h, w]
/// let back = try RLE(compressed: rle.compressed, width: rle.width, height: rle.height).decode()
/// ```
public struct RLE: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Alternating background/foreground run lengths in column-major order, starting with
    /// background; they sum to `width·height`.
    public var counts: [UInt32]

    /// Wraps run lengths that are already known to be valid.
    ///
    /// - Precondition: the counts sum to `width·height` (use
    ///   ``init(uncompressedCounts:width:height:source:)`` for counts read from a file).
    public init(width: Int, height: Int, counts: [UInt32]) {
        precondition(width >= 0 && height >= 0, "RLE: negative size \(width)x\(height)")
        let sum = counts.reduce(UInt64(0)) { $0 + UInt64($1) }
        precondition(sum == UInt64(width * height), "RLE: counts sum to \(sum), size \(width)x\(height)")
        self.width = width
        self.height = height
        self.counts = counts
    }

    /// Encodes a mask (pycocotools `encode`). O(width·height).
    public init(mask: Mask) {
        width = mask.width
        height = mask.height
        var counts: [UInt32] = []
        var previous: UInt8 = 0
        var run: UInt32 = 0
        let w = mask.width, h = mask.height
        mask.pixels.withUnsafeBufferPointer { buf in
            for x in 0..<w {
                var i = x
                for _ in 0..<h {
                    let v: UInt8 = buf[i] != 0 ? 1 : 0
                    if v != previous {
                        counts.append(run)
                        run = 0
                        previous = v
                    }
                    run += 1
                    i += w
                }
            }
        }
        counts.append(run)
        self.counts = counts
    }

    /// Reads COCO uncompressed counts (`{"size": [h, w], "counts": [n0, n1, …]}`).
    ///
    /// - Throws: ``MaskError`` when a count is negative or too large, the counts do not sum to
    ///   `width·height`, or the size is invalid; `source` names the data in the message.
    public init(uncompressedCounts: [Int], width: Int, height: Int, source: String = "<memory>") throws {
        try Self.checkSize(width: width, height: height, source: source)
        var counts: [UInt32] = []
        counts.reserveCapacity(uncompressedCounts.count)
        var sum: Int64 = 0
        for (i, value) in uncompressedCounts.enumerated() {
            guard value >= 0, value <= Int(UInt32.max) else {
                throw MaskError.countOutOfRange(source: source, index: i, value: Int64(value))
            }
            sum += Int64(value)
            counts.append(UInt32(value))
        }
        guard sum == Int64(width * height) else {
            throw MaskError.countSumMismatch(source: source, sum: sum, width: width, height: height)
        }
        self.width = width
        self.height = height
        self.counts = counts
    }

    /// Decodes to a row-major mask (pycocotools `decode`). O(width·height).
    public func decode() -> Mask {
        var mask = Mask(width: width, height: height)
        let w = width, h = height, total = width * height
        var position = 0
        var foreground = false
        mask.pixels.withUnsafeMutableBufferPointer { buf in
            for count in counts {
                let end = min(position + Int(count), total)
                if foreground && position < end {
                    // Walk the run column by column: a column segment is contiguous in y.
                    var p = position
                    while p < end {
                        let x = p / h, y0 = p - x * h
                        let y1 = min(h, y0 + (end - p))
                        for y in y0..<y1 { buf[y * w + x] = 1 }
                        p += y1 - y0
                    }
                }
                position = end
                foreground.toggle()
            }
        }
        return mask
    }

    /// Number of foreground pixels (pycocotools `area`): the sum of the odd-indexed counts.
    public var area: Int {
        var total = 0
        var i = 1
        while i < counts.count { total += Int(counts[i]); i += 2 }
        return total
    }

    /// `[x, y, width, height]` exactly as pycocotools `toBbox` computes it, including its
    /// convention that a mask whose runs wrap between columns spans the full height.
    /// `[0, 0, 0, 0]` for an empty mask.
    public var bbox: [Double] {
        // Mirrors maskApi.c's unsigned 32-bit arithmetic, trailing background run ignored.
        let m = (counts.count / 2) * 2
        guard m > 0, height > 0 else { return [0, 0, 0, 0] }
        let h = UInt32(truncatingIfNeeded: height)
        var xs = UInt32(truncatingIfNeeded: width), ys = h, xe: UInt32 = 0, ye: UInt32 = 0
        var cc: UInt32 = 0, xp: UInt32 = 0
        for j in 0..<m {
            cc &+= counts[j]
            let t = cc &- UInt32(j % 2)
            let y = t % h, x = (t &- y) / h
            if j % 2 == 0 {
                xp = x
            } else if xp < x {
                ys = 0
                ye = h &- 1
            }
            xs = min(xs, x); xe = max(xe, x)
            ys = min(ys, y); ye = max(ye, y)
        }
        return [Double(xs), Double(ys), Double(xe &- xs &+ 1), Double(ye &- ys &+ 1)]
    }

    /// Intersection over union of two masks of equal size, computed on the runs; `0` when both
    /// are empty.
    public static func iou(_ a: RLE, _ b: RLE) -> Double {
        let union = merge([a, b]).area
        return union == 0 ? 0 : Double(merge([a, b], intersect: true).area) / Double(union)
    }

    static func checkSize(width: Int, height: Int, source: String) throws {
        guard width >= 0, height >= 0, width.multipliedReportingOverflow(by: height).partialValue <= Int(UInt32.max),
              !width.multipliedReportingOverflow(by: height).overflow
        else { throw MaskError.invalidSize(source: source, width: width, height: height) }
    }
}
