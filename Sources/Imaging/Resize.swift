/// Interpolation filters, with PyTorch `F.interpolate` semantics (`align_corners=False`).
public enum ResizeFilter: String, Sendable, CaseIterable {
    /// `mode="nearest"`: source index `min(floor(dst · scale), in − 1)` in `Float`, with
    /// PyTorch's special cases for equal and doubled sizes.
    case nearest
    /// `mode="bilinear"`: source coordinate `(dst + 0.5) · scale − 0.5`, clamped at 0.
    case bilinear
    /// `mode="bicubic"`: Keys cubic convolution, a = −0.75, edge samples replicated.
    case bicubic
    /// `mode="area"` (`adaptive_avg_pool2d`): the mean over `[⌊i·in/out⌋, ⌈(i+1)·in/out⌉)`.
    case area
}

/// The size PyTorch gives an axis of `size` for `scale_factor` when
/// `recompute_scale_factor=False`: `floor(size · scaleFactor)` in double precision.
public func interpolatedSize(_ size: Int, scaleFactor: Double) -> Int {
    Int((Double(size) * scaleFactor).rounded(.down))
}

/// Float-valued resize of CHW planes, matching PyTorch `F.interpolate(align_corners=False)`.
///
/// - Parameters:
///   - planes: `[channels, height, width]`, row-major.
///   - filter: the interpolation; `antialias` applies to `.bilinear` and `.bicubic` only and
///     matches `antialias=True` (Pillow-style support widening when downscaling; its bicubic
///     kernel uses a = −0.5 as PyTorch's does).
///   - scaleFactor: the `scale_factor` passed to PyTorch with `recompute_scale_factor=False`:
///     source coordinates then use `1 / scaleFactor` instead of `in / out`. DINO interpolates
///     its position embeddings this way with `(n + 0.1) / √N`; compute `toHeight`/`toWidth`
///     with `interpolatedSize(_:scaleFactor:)`.
/// - Returns: `[channels, toHeight, toWidth]`.
public func resizePlanes(_ planes: [Float], channels: Int, height: Int, width: Int,
                         toHeight: Int, toWidth: Int, filter: ResizeFilter, antialias: Bool = false,
                         scaleFactor: (height: Double, width: Double)? = nil) -> [Float] {
    precondition(planes.count == channels * height * width,
                 "resizePlanes: \(planes.count) values for [\(channels), \(height), \(width)]")
    precondition(height > 0 && width > 0 && toHeight > 0 && toWidth > 0,
                 "resizePlanes: sizes must be positive, got \(height)x\(width) → \(toHeight)x\(toWidth)")
    let rows = AxisWeights(filter: filter, antialias: antialias, input: height, output: toHeight, scaleFactor: scaleFactor?.height)
    let cols = AxisWeights(filter: filter, antialias: antialias, input: width, output: toWidth, scaleFactor: scaleFactor?.width)
    let inPlane = height * width, outPlane = toHeight * toWidth
    return [Float](unsafeUninitializedCapacity: channels * outPlane) { output, initialized in
        planes.withUnsafeBufferPointer { input in
            var scratch = SeparableScratch(rows: rows, cols: cols, pixelStride: 1)
            for c in 0..<channels {
                scratch.resize(rowCount: height, rowLength: width,
                               load: { y, into in horizontalPass(input.baseAddress! + c * inPlane + y * width, cols, 1, into) },
                               store: { y, row in (output.baseAddress! + c * outPlane + y * toWidth).update(from: row, count: toWidth) })
            }
        }
        initialized = channels * outPlane
    }
}

extension Image {
    /// This image resized to `width × height` with PyTorch `F.interpolate` semantics applied to
    /// each channel as floats, then rounded to the nearest byte and clamped (so results are
    /// within ±1 of `torch.round(F.interpolate(x.float(), …))`). `.nearest` copies pixels.
    /// - Parameter antialias: as PyTorch's `antialias=True` for `.bilinear`/`.bicubic`;
    ///   `.bilinear` with `antialias` is what Pillow's `BILINEAR` does when downscaling.
    public func resized(width toWidth: Int, height toHeight: Int, filter: ResizeFilter, antialias: Bool = false) -> Image {
        precondition(toWidth > 0 && toHeight > 0, "resized: target size \(toWidth)x\(toHeight) must be positive")
        precondition(width > 0 && height > 0, "resized: cannot resize an empty \(width)x\(height) image")
        if toWidth == width && toHeight == height && (filter == .nearest || !antialias) { return self }
        let rows = AxisWeights(filter: filter, antialias: antialias, input: height, output: toHeight, scaleFactor: nil)
        let cols = AxisWeights(filter: filter, antialias: antialias, input: width, output: toWidth, scaleFactor: nil)
        let c = channels, rowBytes = toWidth * channels
        if filter == .nearest { return nearestGather(rows: rows, cols: cols, toWidth: toWidth, toHeight: toHeight) }
        let out = [UInt8](unsafeUninitializedCapacity: toHeight * rowBytes) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                let source = input.baseAddress!, target = output.baseAddress!, w = width
                var scratch = SeparableScratch(rows: rows, cols: cols, pixelStride: c)
                scratch.resize(rowCount: height, rowLength: w,
                               load: { y, into in horizontalPass(source + y * w * c, cols, c, into) },
                               store: { y, row in
                                   let dst = target + y * rowBytes
                                   for i in 0..<rowBytes { dst[i] = clampToByte(row[i]) }
                               })
            }
            initialized = toHeight * rowBytes
        }
        return Image(width: toWidth, height: toHeight, channels: channels, pixels: out)
    }

    private func nearestGather(rows: AxisWeights, cols: AxisWeights, toWidth: Int, toHeight: Int) -> Image {
        let c = channels
        let out = [UInt8](unsafeUninitializedCapacity: toWidth * toHeight * c) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                for y in 0..<toHeight {
                    let sy = Int(rows.index[y])
                    for x in 0..<toWidth {
                        let s = (sy * width + Int(cols.index[x])) * c, d = (y * toWidth + x) * c
                        for k in 0..<c { output[d + k] = input[s + k] }
                    }
                }
            }
            initialized = toWidth * toHeight * c
        }
        return Image(width: toWidth, height: toHeight, channels: c, pixels: out)
    }
}

/// Resamples one row: `out[o·stride + c] = Σₖ weight[o,k] · row[index[o,k]·stride + c]`.
@inline(__always)
func horizontalPass(_ row: UnsafePointer<UInt8>, _ cols: AxisWeights, _ stride: Int,
                    _ out: UnsafeMutablePointer<Float>) {
    cols.index.withUnsafeBufferPointer { index in
        cols.weight.withUnsafeBufferPointer { weight in
            resampleRow(count: cols.output, taps: cols.taps, stride: stride, index: index.baseAddress!,
                        weight: weight.baseAddress!, out: out) { Float(row[$0]) }
        }
    }
}

@inline(__always)
func horizontalPass(_ row: UnsafePointer<Float>, _ cols: AxisWeights, _ stride: Int,
                    _ out: UnsafeMutablePointer<Float>) {
    cols.index.withUnsafeBufferPointer { index in
        cols.weight.withUnsafeBufferPointer { weight in
            resampleRow(count: cols.output, taps: cols.taps, stride: stride, index: index.baseAddress!,
                        weight: weight.baseAddress!, out: out) { row[$0] }
        }
    }
}

/// The tap loop, specialised for 1 and 3 channels so each pixel's channels accumulate in
/// registers (this loop dominates resize time).
@inline(__always)
private func resampleRow(count: Int, taps: Int, stride: Int, index: UnsafePointer<Int32>, weight: UnsafePointer<Float>,
                         out: UnsafeMutablePointer<Float>, sample: (Int) -> Float) {
    switch stride {
    case 1:
        for o in 0..<count {
            var sum: Float = 0
            for k in 0..<taps { sum += weight[o * taps + k] * sample(Int(index[o * taps + k])) }
            out[o] = sum
        }
    case 3:
        for o in 0..<count {
            var s0: Float = 0, s1: Float = 0, s2: Float = 0
            for k in 0..<taps {
                let w = weight[o * taps + k], p = Int(index[o * taps + k]) * 3
                s0 += w * sample(p); s1 += w * sample(p + 1); s2 += w * sample(p + 2)
            }
            out[3 * o] = s0; out[3 * o + 1] = s1; out[3 * o + 2] = s2
        }
    default:
        for o in 0..<count {
            for c in 0..<stride {
                var sum: Float = 0
                for k in 0..<taps { sum += weight[o * taps + k] * sample(Int(index[o * taps + k]) * stride + c) }
                out[o * stride + c] = sum
            }
        }
    }
}

/// Buffers for a two-pass separable resize: each needed source row is resampled horizontally
/// once (rows no output touches are skipped), then output rows combine them vertically.
struct SeparableScratch {
    let rows: AxisWeights, cols: AxisWeights, pixelStride: Int
    private var horizontal: [Float]
    private var line: [Float]
    private var needed: [Bool]

    init(rows: AxisWeights, cols: AxisWeights, pixelStride: Int) {
        self.rows = rows
        self.cols = cols
        self.pixelStride = pixelStride
        horizontal = [Float](repeating: 0, count: rows.input * cols.output * pixelStride)
        line = [Float](repeating: 0, count: cols.output * pixelStride)
        needed = [Bool](repeating: false, count: rows.input)
        for i in 0..<rows.index.count where rows.weight[i] != 0 { needed[Int(rows.index[i])] = true }
    }

    /// Runs both passes; `load(y, into)` fills the horizontally resampled source row `y`,
    /// `store(y, row)` receives output row `y` (`cols.output · pixelStride` floats).
    mutating func resize(rowCount: Int, rowLength: Int,
                         load: (Int, UnsafeMutablePointer<Float>) -> Void,
                         store: (Int, UnsafePointer<Float>) -> Void) {
        let width = cols.output * pixelStride, taps = rows.taps
        let needed = self.needed, rows = self.rows
        horizontal.withUnsafeMutableBufferPointer { tmp in
            for y in 0..<rowCount where needed[y] { load(y, tmp.baseAddress! + y * width) }
            line.withUnsafeMutableBufferPointer { out in
                rows.index.withUnsafeBufferPointer { index in
                    rows.weight.withUnsafeBufferPointer { weight in
                        for o in 0..<rows.output {
                            for i in 0..<width { out[i] = 0 }
                            for k in 0..<taps {
                                let w = weight[o * taps + k]
                                if w == 0 { continue }
                                let src = tmp.baseAddress! + Int(index[o * taps + k]) * width
                                for i in 0..<width { out[i] += w * src[i] }
                            }
                            store(o, UnsafePointer(out.baseAddress!))
                        }
                    }
                }
            }
        }
    }
}
