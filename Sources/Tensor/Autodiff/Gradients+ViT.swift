import Foundation

private typealias K = AutodiffKernels

// The ops that are particular to a ViT and DINO's head: patch embedding, the CLS token and
// position embedding (with DINO's bicubic resampling for other grid sizes), and the
// weight-normalised prototype layer.

extension Tape {
    /// Patch embedding, a `Conv2d(c, D, kernel p, stride p)` computed as one GEMM on unfolded
    /// patches: each `[c, p, p]` patch is flattened in `(c, ky, kx)` order and multiplied by
    /// `weight` read as `[D, c·p·p]`.
    ///
    /// - Parameters:
    ///   - images: `[batch, c, height, width]` planes (constants; no gradient flows to pixels).
    ///   - weight: `[D, c, p, p]`; `bias`: `[D]`.
    /// - Returns: `[batch·gh·gw, D]`, tokens row-major over the grid (`y·gw + x`), `gh = height/p`.
    public func patchEmbed(images: [Float], batch: Int, channels: Int, height: Int, width: Int,
                           weight: Var, bias: Var) -> Var {
        let ws = shape(weight)
        precondition(ws.count == 4 && ws[1] == channels && ws[2] == ws[3], "patchEmbed: weight \(ws) for \(channels) channels")
        precondition(images.count == batch * channels * height * width, "patchEmbed: \(images.count) pixels for [\(batch), \(channels), \(height), \(width)]")
        let p = ws[2], gh = height / p, gw = width / p, cols = channels * p * p
        var unfolded = [Float](repeating: 0, count: batch * gh * gw * cols)
        images.withUnsafeBufferPointer { img in
            unfolded.withUnsafeMutableBufferPointer { u in
                for b in 0..<batch { for gy in 0..<gh { for gx in 0..<gw {
                    var dst = u.baseAddress! + ((b * gh + gy) * gw + gx) * cols
                    for ch in 0..<channels { for ky in 0..<p {
                        let src = img.baseAddress! + ((b * channels + ch) * height + gy * p + ky) * width + gx * p
                        dst.update(from: src, count: p)
                        dst += p
                    } }
                } } }
            }
        }
        return linear(constant(unfolded, shape: [batch * gh * gw, cols]), weight: weight, bias: bias)
    }

    /// DINO's token sequence: `[cls + pos₀; patchⱼ + posⱼ]` for each image.
    ///
    /// - Parameters:
    ///   - patches: `[batch·G, D]` from ``patchEmbed(images:batch:channels:height:width:weight:bias:)``.
    ///   - classToken: `[1, 1, D]`; `position`: `[1 + G, D]` (or `[1, 1 + G, D]`), already
    ///     resampled to this grid.
    /// - Returns: `[batch·(1 + G), D]`.
    public func prependClassToken(_ patches: Var, classToken: Var, position: Var, batch: Int) -> Var {
        let d = count(classToken), g = count(patches) / (batch * d), n = g + 1
        precondition(count(position) == n * d && g * batch * d == count(patches),
                     "prependClassToken: patches \(shape(patches)), cls \(shape(classToken)), pos \(shape(position))")
        let pp = valuePointer(patches), cp = valuePointer(classToken), ep = valuePointer(position)
        let y = Buffer(zeros: batch * n * d)
        for b in 0..<batch {
            let row = y.pointer + b * n * d
            for j in 0..<d { row[j] = cp[j] + ep[j] }
            for t in 0..<g {
                let dst = row + (t + 1) * d, src = pp + (b * g + t) * d, pos = ep + (t + 1) * d
                for j in 0..<d { dst[j] = src[j] + pos[j] }
            }
        }
        var out = Var(index: 0)
        out = output(shape: [batch * n, d], value: y, inputs: [patches, classToken, position]) { [unowned self] in
            let dy = gradPointer(out)
            if needsGrad(patches) {
                let dp = gradPointer(patches)
                for b in 0..<batch { for t in 0..<g {
                    let src = dy + (b * n + t + 1) * d, dst = dp + (b * g + t) * d
                    for j in 0..<d { dst[j] += src[j] }
                } }
            }
            if needsGrad(classToken) {
                let dc = gradPointer(classToken)
                for b in 0..<batch { for j in 0..<d { dc[j] += dy[b * n * d + j] } }
            }
            if needsGrad(position) {
                let de = gradPointer(position)
                for b in 0..<batch { for i in 0..<(n * d) { de[i] += dy[b * n * d + i] } }
            }
        }
        return out
    }

    /// DINO's `interpolate_pos_encoding`: the `M×M` grid part of `position [1, 1 + M², D]`
    /// resampled bicubically (A = −0.75, `align_corners=False`) with scale factor `(g + 0.1)/M`
    /// per axis, as a fixed linear map (so its gradient is the transposed map).
    /// Returns `position` itself when the grid already matches and is square.
    public func interpolatePositionEmbedding(_ position: Var, gridHeight gh: Int, gridWidth gw: Int) -> Var {
        let d = shape(position).last ?? 0, total = count(position) / d
        let m = Int(Double(total - 1).squareRoot().rounded())
        precondition(m * m == total - 1, "interpolatePositionEmbedding: \(shape(position)) has no square grid")
        if gh == m && gw == m { return position }
        let ay = K.bicubicMatrix(from: m, to: gh), ax = K.bicubicMatrix(from: m, to: gw)
        var kernel = [Float](repeating: 0, count: gh * gw * m * m)   // [gh·gw, M²] = Ay ⊗ Ax
        for i in 0..<gh { for j in 0..<gw { for u in 0..<m { for v in 0..<m {
            kernel[(i * gw + j) * m * m + u * m + v] = ay[i * m + u] * ax[j * m + v]
        } } } }
        let kb = Buffer(kernel)
        let ep = valuePointer(position)
        let y = Buffer(zeros: (1 + gh * gw) * d)
        y.pointer.update(from: ep, count: d)
        K.sgemm(false, false, gh * gw, d, m * m, 1, kb.pointer, m * m, ep + d, d, 0, y.pointer + d, d)
        var out = Var(index: 0)
        out = output(shape: [1 + gh * gw, d], value: y, inputs: [position]) { [unowned self] in
            let dy = gradPointer(out), dp = gradPointer(position)
            for j in 0..<d { dp[j] += dy[j] }
            K.sgemm(true, false, m * m, d, gh * gw, 1, kb.pointer, m * m, dy + d, d, 1, dp + d, d)
        }
        return out
    }

    /// DINO's last layer, `weight_norm(Linear(in, out, bias=False))` with `weight_g` fixed to 1
    /// (`norm_last_layer=True`): `y = x·Wᵀ`, `W[o] = v[o]/‖v[o]‖`.
    ///
    /// - Parameters: `x [n, in]`, `direction` (`weight_v`) `[out, in]`.
    public func weightNormLinear(_ x: Var, direction: Var) -> Var {
        let vs = shape(direction)
        precondition(vs.count == 2 && shape(x).last == vs[1], "weightNormLinear: x \(shape(x)) vs weight_v \(vs)")
        let nOut = vs[0], nIn = vs[1], n = count(x) / nIn
        let vp = valuePointer(direction), xp = valuePointer(x)
        let w = Buffer(zeros: nOut * nIn), norms = Buffer(zeros: nOut)
        for o in 0..<nOut {
            var s: Float = 0
            for j in 0..<nIn { s += vp[o * nIn + j] * vp[o * nIn + j] }
            norms.pointer[o] = s.squareRoot()
            for j in 0..<nIn { w.pointer[o * nIn + j] = vp[o * nIn + j] / norms.pointer[o] }
        }
        let y = Buffer(zeros: n * nOut)
        K.sgemm(false, true, n, nOut, nIn, 1, xp, nIn, w.pointer, nIn, 0, y.pointer, nOut)
        var outShape = shape(x)
        outShape[outShape.count - 1] = nOut
        var out = Var(index: 0)
        out = output(shape: outShape, value: y, inputs: [x, direction]) { [unowned self] in
            let dy = gradPointer(out)
            if needsGrad(x) { K.sgemm(false, false, n, nIn, nOut, 1, dy, nOut, w.pointer, nIn, 1, gradPointer(x), nIn) }
            guard needsGrad(direction) else { return }
            let dw = Buffer(zeros: nOut * nIn)
            K.sgemm(true, false, nOut, nIn, n, 1, dy, nOut, xp, nIn, 0, dw.pointer, nIn)
            let dv = gradPointer(direction)
            for o in 0..<nOut {   // dv = (dW − W·(W·dW)) / ‖v‖, per row
                let wr = w.pointer + o * nIn, gr = dw.pointer + o * nIn
                var dot: Float = 0
                for j in 0..<nIn { dot += wr[j] * gr[j] }
                for j in 0..<nIn { dv[o * nIn + j] += (gr[j] - wr[j] * dot) / norms.pointer[o] }
            }
        }
        return out
    }
}

extension AutodiffKernels {
    /// The `[outSize, inSize]` matrix of PyTorch's 1-D bicubic interpolation (A = −0.75,
    /// `align_corners=False`, edge-clamped taps) for `scale_factor = (outSize + 0.1)/inSize`,
    /// which PyTorch applies as the coordinate scale `inSize/(outSize + 0.1)`.
    static func bicubicMatrix(from inSize: Int, to outSize: Int) -> [Float] {
        let a = -0.75
        func c1(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func c2(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        let scaleInv = Double(inSize) / (Double(outSize) + 0.1)
        var m = [Float](repeating: 0, count: outSize * inSize)
        for i in 0..<outSize {
            let real = scaleInv * (Double(i) + 0.5) - 0.5
            let i0 = Int(real.rounded(.down)), t = real - Double(i0)
            let w = [c2(t + 1), c1(t), c1(1 - t), c2(2 - t)]
            for k in 0..<4 {
                let src = min(max(i0 - 1 + k, 0), inSize - 1)
                m[i * inSize + src] += Float(w[k])
            }
        }
        return m
    }
}
