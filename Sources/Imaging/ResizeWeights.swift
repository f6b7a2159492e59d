/// One axis of a separable resize: output position `o` reads source indices
/// `index[o·taps ..< (o+1)·taps]` with the matching `weight`s (unused taps have weight 0).
///
/// The formulas follow PyTorch's CPU kernels (`aten/src/ATen/native/UpSample.h` and
/// `UpSampleKernel.cpp`) including their `Float` arithmetic, so index choices on exact
/// boundaries agree: `scale` is `Float(1 / scaleFactor)` when a scale factor is given, else
/// `Float(input) / Float(output)`.
struct AxisWeights {
    let input: Int
    let output: Int
    let taps: Int
    var index: [Int32]
    var weight: [Float]

    init(filter: ResizeFilter, antialias: Bool, input: Int, output: Int, scaleFactor: Double?) {
        self.input = input
        self.output = output
        let scale: Float
        if let scaleFactor, scaleFactor > 0 { scale = Float(1.0 / scaleFactor) } else { scale = Float(input) / Float(output) }
        switch filter {
        case .nearest:
            taps = 1
            index = (0..<output).map { o in
                if output == input { return Int32(o) }
                if output == 2 * input { return Int32(o >> 1) }
                return Int32(min(Int((Float(o) * scale).rounded(.down)), input - 1))
            }
            weight = [Float](repeating: 1, count: output)
        case .bilinear where antialias, .bicubic where antialias:
            (taps, index, weight) = AxisWeights.antialiased(cubic: filter == .bicubic, input: input, output: output, scale: scale)
        case .bilinear:
            taps = 2
            index = []; weight = []
            for o in 0..<output {
                let real = max(scale * (Float(o) + 0.5) - 0.5, 0)
                let i0 = min(Int(real.rounded(.down)), input - 1)
                let lambda = min(max(real - Float(i0), 0), 1)
                index += [Int32(i0), Int32(i0 < input - 1 ? i0 + 1 : i0)]
                weight += [1 - lambda, lambda]
            }
        case .bicubic:
            taps = 4
            index = []; weight = []
            for o in 0..<output {
                let real = scale * (Float(o) + 0.5) - 0.5
                let i0 = Int(real.rounded(.down))
                let t = min(max(real - Float(i0), 0), 1)
                for k in -1...2 { index.append(Int32(min(max(i0 + k, 0), input - 1))) }
                weight += [cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)]
            }
        case .area:
            var widest = 1
            for o in 0..<output {
                let start = (o * input) / output, end = ((o + 1) * input + output - 1) / output
                widest = max(widest, end - start)
            }
            taps = widest
            index = []; weight = []
            for o in 0..<output {
                let start = (o * input) / output, end = ((o + 1) * input + output - 1) / output
                for k in 0..<taps {
                    index.append(Int32(min(start + k, input - 1)))
                    weight.append(k < end - start ? 1 / Float(end - start) : 0)
                }
            }
        }
    }

    /// PyTorch's `antialias=True` weights (after Pillow): the filter is stretched by `scale`
    /// when downscaling, sampled at pixel centres and normalised to sum to 1.
    private static func antialiased(cubic: Bool, input: Int, output: Int, scale: Float) -> (Int, [Int32], [Float]) {
        let interpolationSize: Float = cubic ? 4 : 2
        let support = scale >= 1 ? interpolationSize * 0.5 * scale : interpolationSize * 0.5
        let invScale: Float = scale >= 1 ? 1 / scale : 1
        let taps = Int(support.rounded(.up)) * 2 + 1
        var index = [Int32](), weight = [Float]()
        for o in 0..<output {
            let center = scale * (Float(o) + 0.5)
            let xmin = max(Int(center - support + 0.5), 0)
            let xsize = min(Int(center + support + 0.5), input) - xmin
            var w = [Float](repeating: 0, count: taps)
            var total: Float = 0
            for j in 0..<min(xsize, taps) {
                let x = (Float(j + xmin) - center + 0.5) * invScale
                w[j] = cubic ? antialiasCubic(x) : max(0, 1 - abs(x))
                total += w[j]
            }
            if total != 0 { for j in 0..<taps { w[j] /= total } }
            for j in 0..<taps { index.append(Int32(min(xmin + j, input - 1))) }
            weight += w
        }
        return (taps, index, weight)
    }
}

/// Keys cubic convolution with PyTorch's a = −0.75, for |x| ≤ 1 …
@inline(__always) private func cubicNear(_ x: Float) -> Float {
    let a: Float = -0.75
    return ((a + 2) * x - (a + 3)) * x * x + 1
}

/// … and for 1 < |x| < 2.
@inline(__always) private func cubicFar(_ x: Float) -> Float {
    let a: Float = -0.75
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
}

/// PyTorch's antialiased bicubic filter uses Pillow's a = −0.5.
@inline(__always) private func antialiasCubic(_ x: Float) -> Float {
    let a: Float = -0.5, x = abs(x)
    if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
    if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
    return 0
}
