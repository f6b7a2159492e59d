import Tensor

/// Resampling of the learned position table to a patch grid, exactly as the reference code paths
/// do it (checkpoints.md §1.4 and §3.3). Works on channel-last grids `[rows, cols, D]`.
enum PositionEmbedding {
    /// Position rows for a `gh × gw` grid: `[1 + gh·gw, D]`, row 0 for CLS.
    ///
    /// - Parameters:
    ///   - table: `pos_embed` as `[1 + M², D]`.
    ///   - pixelHeight, pixelWidth: input size; DINO returns the table untouched when the patch count
    ///     equals `M²` and the image is square (the only shortcut the original code has).
    static func forGrid(table: Tensor, m: Int, gridHeight gh: Int, gridWidth gw: Int,
                        pixelHeight: Int, pixelWidth: Int, mode: PositionInterpolation) -> Tensor {
        let d = table.shape[1]
        if gh * gw == m * m && pixelHeight == pixelWidth { return table }
        let grid = Array(table.data[d...])
        let resized: [Float]
        switch mode {
        case .dinoScaleFactor:
            // DINO adds 0.1 "to avoid floating point error" (facebookresearch/dino#8); PyTorch then
            // uses 1/scale_factor, not in/out, as the coordinate scale (recompute_scale_factor=False).
            let invH = Float(1.0 / ((Double(gh) + 0.1) / Double(m)))
            let invW = Float(1.0 / ((Double(gw) + 0.1) / Double(m)))
            let rowsDone = bicubicAxis(grid, outer: 1, n: m, inner: m * d, outCount: gh, weights: cubicWeights(inCount: m, outCount: gh, scaleInv: invH))
            resized = bicubicAxis(rowsDone, outer: gh, n: m, inner: d, outCount: gw, weights: cubicWeights(inCount: m, outCount: gw, scaleInv: invW))
        case .antialiasedSize:
            let rowsDone = bicubicAxis(grid, outer: 1, n: m, inner: m * d, outCount: gh, weights: antialiasWeights(inCount: m, outCount: gh))
            resized = bicubicAxis(rowsDone, outer: gh, n: m, inner: d, outCount: gw, weights: antialiasWeights(inCount: m, outCount: gw))
        }
        return Tensor(shape: [1 + gh * gw, d], data: Array(table.data[0..<d]) + resized)
    }

    /// Sparse weights of one axis: for each output index, (input index, weight) pairs.
    typealias AxisWeights = [[(Int, Float)]]

    /// PyTorch `upsample_bicubic2d` (align_corners=False, A = −0.75, clamped borders) along one axis,
    /// computed in Float like the CPU kernel.
    static func cubicWeights(inCount n: Int, outCount: Int, scaleInv: Float) -> AxisWeights {
        let a: Float = -0.75
        func c1(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func c2(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return (0..<outCount).map { i in
            let real = scaleInv * (Float(i) + 0.5) - 0.5
            let i0 = Int(real.rounded(.down))
            let t = real - Float(i0)
            let w = [c2(t + 1), c1(t), c1(1 - t), c2(2 - t)]
            return (0..<4).map { k in (min(max(i0 - 1 + k, 0), n - 1), w[k]) }
        }
    }

    /// PyTorch `_upsample_bicubic2d_aa` (PIL-style, A = −0.5, support widened when downsampling,
    /// weights renormalised, no border clamp) along one axis, `size`-based (`scale = in/out`).
    static func antialiasWeights(inCount n: Int, outCount: Int) -> AxisWeights {
        let a: Float = -0.5
        func f(_ x: Float) -> Float {
            let x = abs(x)
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        }
        let scale = Float(n) / Float(outCount)
        let support: Float = 2 * max(scale, 1)
        let invscale: Float = scale >= 1 ? 1 / scale : 1
        return (0..<outCount).map { i in
            let center = scale * (Float(i) + 0.5)
            let xmin = max(Int(center - support + 0.5), 0), xmax = min(Int(center + support + 0.5), n)
            var w = (xmin..<xmax).map { j in f((Float(j) - center + 0.5) * invscale) }
            let total = w.reduce(0, +)
            if total != 0 { w = w.map { $0 / total } }
            return (xmin..<xmax).enumerated().map { ($0.element, w[$0.offset]) }
        }
    }

    /// Applies per-axis weights to the middle axis of `[outer, n, inner]`, giving `[outer, outCount, inner]`.
    static func bicubicAxis(_ x: [Float], outer: Int, n: Int, inner: Int, outCount: Int, weights: AxisWeights) -> [Float] {
        var out = [Float](repeating: 0, count: outer * outCount * inner)
        for o in 0..<outer { for i in 0..<outCount {
            let dst = (o * outCount + i) * inner
            for (j, w) in weights[i] {
                let src = (o * n + j) * inner
                for c in 0..<inner { out[dst + c] += w * x[src + c] }
            }
        } }
        return out
    }
}
