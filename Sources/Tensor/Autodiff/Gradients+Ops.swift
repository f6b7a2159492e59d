import Foundation

private typealias K = AutodiffKernels

// Dense ops on the tape. Each op is forward then backward, side by side; shapes are row-major
// `[rows, cols]` with the last dimension contiguous. The backward closures only ever *add* into
// gradient buffers, so a value used twice gets the sum of both contributions.

extension Tape {
    /// `y = x·Wᵀ + b`, PyTorch `nn.Linear`: `x [n, in]`, `weight [out, in]`, `bias [out]` → `[n, out]`.
    public func linear(_ x: Var, weight: Var, bias: Var?) -> Var {
        // A weight of rank > 2 (a conv kernel [out, c, p, p]) is read as [out, c·p·p].
        let xs = shape(x), ws = shape(weight)
        let nOut = ws[0], nIn = count(weight) / nOut
        precondition(ws.count >= 2 && xs.last == nIn, "linear: x \(xs) vs weight \(ws)")
        if let bias { precondition(shape(bias) == [nOut], "linear: bias \(shape(bias)) vs weight \(ws)") }
        let n = count(x) / nIn
        let y = Buffer(uninitialized: n * nOut)   // beta 0: the sgemm writes every element
        let xp = valuePointer(x), wp = valuePointer(weight)
        K.sgemm(false, true, n, nOut, nIn, 1, xp, nIn, wp, nIn, 0, y.pointer, nOut)
        if let bias { K.addRowVector(y.pointer, valuePointer(bias), rows: n, cols: nOut) }
        var outShape = xs
        outShape[outShape.count - 1] = nOut
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        var out = Var(index: 0)
        out = output(shape: outShape, value: y, inputs: inputs) { [unowned self] in
            let dy = gradPointer(out)
            if needsGrad(x) { K.sgemm(false, false, n, nIn, nOut, 1, dy, nOut, wp, nIn, 1, gradPointer(x), nIn) }
            if needsGrad(weight) { K.sgemm(true, false, nOut, nIn, n, 1, dy, nOut, xp, nIn, 1, gradPointer(weight), nIn) }
            if let bias, needsGrad(bias) { K.addColumnSums(dy, rows: n, cols: nOut, into: gradPointer(bias)) }
        }
        return out
    }

    /// Elementwise `a + b` (same shape): residual connections, sums of scalar losses.
    public func add(_ a: Var, _ b: Var) -> Var {
        precondition(shape(a) == shape(b), "add: \(shape(a)) vs \(shape(b))")
        let n = count(a)
        let y = Buffer(uninitialized: n)
        let ap = valuePointer(a), bp = valuePointer(b)
        for i in 0..<n { y.pointer[i] = ap[i] + bp[i] }
        var out = Var(index: 0)
        out = output(shape: shape(a), value: y, inputs: [a, b]) { [unowned self] in
            let dy = gradPointer(out)
            for v in [a, b] where needsGrad(v) {
                let dv = gradPointer(v)
                for i in 0..<n { dv[i] += dy[i] }
            }
        }
        return out
    }

    /// `x + b` with `b [cols]` broadcast over the rows of `x [.., cols]`.
    public func addBias(_ x: Var, _ b: Var) -> Var {
        let cols = count(b)
        precondition(shape(x).last == cols, "addBias: x \(shape(x)) vs bias \(shape(b))")
        let rows = count(x) / cols
        let y = Buffer(zeros: count(x))
        y.pointer.update(from: valuePointer(x), count: count(x))
        K.addRowVector(y.pointer, valuePointer(b), rows: rows, cols: cols)
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x, b]) { [unowned self] in
            let dy = gradPointer(out)
            if needsGrad(x) { let dx = gradPointer(x); for i in 0..<(rows * cols) { dx[i] += dy[i] } }
            if needsGrad(b) { K.addColumnSums(dy, rows: rows, cols: cols, into: gradPointer(b)) }
        }
        return out
    }

    /// `c·x` for a constant `c`.
    public func scale(_ x: Var, by c: Float) -> Var {
        let n = count(x)
        let y = Buffer(zeros: n)
        let xp = valuePointer(x)
        for i in 0..<n { y.pointer[i] = c * xp[i] }
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x]) { [unowned self] in
            let dy = gradPointer(out), dx = gradPointer(x)
            for i in 0..<n { dx[i] += c * dy[i] }
        }
        return out
    }

    /// Mean of all elements → scalar `[]`.
    public func mean(_ x: Var) -> Var {
        let n = count(x)
        let xp = valuePointer(x)
        var s: Double = 0
        for i in 0..<n { s += Double(xp[i]) }
        let y = Buffer([Float(s / Double(n))])
        var out = Var(index: 0)
        out = output(shape: [], value: y, inputs: [x]) { [unowned self] in
            let g = gradPointer(out)[0] / Float(n), dx = gradPointer(x)
            for i in 0..<n { dx[i] += g }
        }
        return out
    }

    /// PyTorch `nn.LayerNorm` over the last dimension (biased variance):
    /// `y = (x − μ)/√(σ² + eps)·γ + β`; `x [.., c]`, `weight`/`bias` `[c]`.
    public func layerNorm(_ x: Var, weight: Var, bias: Var, eps: Float = 1e-6) -> Var {
        let c = count(weight)
        precondition(shape(x).last == c && count(bias) == c, "layerNorm: x \(shape(x)) vs \(shape(weight)), \(shape(bias))")
        let rows = count(x) / c
        let xp = valuePointer(x), gp = valuePointer(weight), bp = valuePointer(bias)
        let y = Buffer(uninitialized: rows * c)      // every row written below
        let stats = Buffer(uninitialized: 2 * rows)  // mean, rstd per row, kept for backward
        for r in 0..<rows {
            let row = xp + r * c
            var m: Float = 0
            for j in 0..<c { m += row[j] }
            m /= Float(c)
            var v: Float = 0
            for j in 0..<c { let d = row[j] - m; v += d * d }
            let rstd = 1 / (v / Float(c) + eps).squareRoot()
            stats.pointer[2 * r] = m
            stats.pointer[2 * r + 1] = rstd
            let yr = y.pointer + r * c
            for j in 0..<c { yr[j] = (row[j] - m) * rstd * gp[j] + bp[j] }
        }
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x, weight, bias]) { [unowned self] in
            let dy = gradPointer(out)
            let dx: UnsafeMutablePointer<Float>? = needsGrad(x) ? gradPointer(x) : nil
            let dg: UnsafeMutablePointer<Float>? = needsGrad(weight) ? gradPointer(weight) : nil
            let db: UnsafeMutablePointer<Float>? = needsGrad(bias) ? gradPointer(bias) : nil
            for r in 0..<rows {
                let m = stats.pointer[2 * r], rstd = stats.pointer[2 * r + 1]
                let row = xp + r * c, dyr = dy + r * c
                // dx = rstd·(dn − mean(dn) − x̂·mean(dn·x̂)), with dn = dy·γ
                var meanDn: Float = 0, meanDnXhat: Float = 0
                for j in 0..<c {
                    let xhat = (row[j] - m) * rstd, dn = dyr[j] * gp[j]
                    meanDn += dn
                    meanDnXhat += dn * xhat
                    dg?[j] += dyr[j] * xhat
                    db?[j] += dyr[j]
                }
                meanDn /= Float(c)
                meanDnXhat /= Float(c)
                if let dx {
                    let dxr = dx + r * c
                    for j in 0..<c {
                        let xhat = (row[j] - m) * rstd
                        dxr[j] += rstd * (dyr[j] * gp[j] - meanDn - xhat * meanDnXhat)
                    }
                }
            }
        }
        return out
    }

    /// Exact GELU, PyTorch's default `nn.GELU()`: `0.5·x·(1 + erf(x/√2))`.
    public func gelu(_ x: Var) -> Var {
        let n = count(x)
        let xp = valuePointer(x)
        let y = Buffer(uninitialized: n)
        y.pointer.update(from: xp, count: n)
        geluErf(y.pointer, count: n)     // split across cores, or serial on a data-parallel shard
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x]) { [unowned self] in
            geluErfBackward(x: xp, upstream: gradPointer(out), into: gradPointer(x), count: n, accumulate: true)
        }
        return out
    }

    /// Row-wise softmax over the last dimension.
    public func softmax(_ x: Var) -> Var {
        let c = shape(x).last ?? 1, rows = count(x) / c
        let y = Buffer(zeros: count(x))
        y.pointer.update(from: valuePointer(x), count: count(x))
        for r in 0..<rows { K.softmaxRow(y.pointer + r * c, count: c) }
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x]) { [unowned self] in
            let dy = gradPointer(out), dx = gradPointer(x)
            for r in 0..<rows {
                let p = y.pointer + r * c, g = dy + r * c
                var dot: Float = 0
                for j in 0..<c { dot += p[j] * g[j] }
                for j in 0..<c { dx[r * c + j] += p[j] * (g[j] - dot) }
            }
        }
        return out
    }

    /// Row-wise `log_softmax(x / temperature)` over the last dimension (DINO's student sharpening).
    public func logSoftmax(_ x: Var, temperature: Float = 1) -> Var {
        let c = shape(x).last ?? 1, rows = count(x) / c
        let xp = valuePointer(x)
        let y = Buffer(zeros: count(x))
        let inv = 1 / temperature
        for r in 0..<rows {
            let xr = xp + r * c, yr = y.pointer + r * c
            var mx = -Float.infinity
            for j in 0..<c { mx = max(mx, xr[j] * inv) }
            var s: Float = 0
            for j in 0..<c { s += exp(xr[j] * inv - mx) }
            let lse = mx + log(s)
            for j in 0..<c { yr[j] = xr[j] * inv - lse }
        }
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x]) { [unowned self] in
            let dy = gradPointer(out), dx = gradPointer(x)
            // d/dx = (dy − softmax·Σdy) / T
            for r in 0..<rows {
                let yr = y.pointer + r * c, g = dy + r * c
                var sum: Float = 0
                for j in 0..<c { sum += g[j] }
                for j in 0..<c { dx[r * c + j] += (g[j] - exp(yr[j]) * sum) * inv }
            }
        }
        return out
    }

    /// Cross-entropy with soft targets, averaged over rows: `mean_r(−Σ_k q[r,k]·logp[r,k])`,
    /// reading rows `rowStart..<rowStart+rows` of `logProbabilities [.., K]`; `targets [rows, K]`
    /// are constants (DINO's teacher distribution).
    public func softCrossEntropy(_ logProbabilities: Var, targets: [Float], rowStart: Int = 0, rows: Int? = nil) -> Var {
        let k = shape(logProbabilities).last ?? 1
        let n = rows ?? (count(logProbabilities) / k - rowStart)
        precondition(targets.count == n * k && (rowStart + n) * k <= count(logProbabilities),
                     "softCrossEntropy: \(targets.count) targets for rows \(rowStart)..<\(rowStart + n) of \(shape(logProbabilities))")
        let lp = valuePointer(logProbabilities) + rowStart * k
        var s: Double = 0
        targets.withUnsafeBufferPointer { q in for i in 0..<(n * k) { s -= Double(q[i] * lp[i]) } }
        let y = Buffer([Float(s / Double(n))])
        var out = Var(index: 0)
        out = output(shape: [], value: y, inputs: [logProbabilities]) { [unowned self] in
            let g = gradPointer(out)[0] / Float(n)
            let d = gradPointer(logProbabilities) + rowStart * k
            targets.withUnsafeBufferPointer { q in for i in 0..<(n * k) { d[i] -= g * q[i] } }
        }
        return out
    }

    /// Rows of `a [m, c]` followed by rows of `b [n, c]` → `[m + n, c]`.
    public func concatRows(_ a: Var, _ b: Var) -> Var {
        let c = shape(a).last ?? 1
        precondition(shape(b).last == c, "concatRows: \(shape(a)) vs \(shape(b))")
        let na = count(a), nb = count(b)
        let y = Buffer(zeros: na + nb)
        y.pointer.update(from: valuePointer(a), count: na)
        (y.pointer + na).update(from: valuePointer(b), count: nb)
        var out = Var(index: 0)
        out = output(shape: [(na + nb) / c, c], value: y, inputs: [a, b]) { [unowned self] in
            let dy = gradPointer(out)
            if needsGrad(a) { let d = gradPointer(a); for i in 0..<na { d[i] += dy[i] } }
            if needsGrad(b) { let d = gradPointer(b); for i in 0..<nb { d[i] += dy[na + i] } }
        }
        return out
    }

    /// Rows `x[rows[0]], x[rows[1]], …` of `x [n, c]` → `[rows.count, c]`; a row may be taken
    /// more than once (its gradient is the sum). Masked autoencoding uses it to keep the visible
    /// tokens and to lay a shared mask token into the hidden places.
    public func gatherRows(_ x: Var, rows: [Int]) -> Var {
        let c = shape(x).last ?? 1, n = count(x) / c
        precondition(rows.allSatisfy { $0 >= 0 && $0 < n }, "gatherRows: a row outside 0..<\(n) of \(shape(x))")
        let xp = valuePointer(x)
        let y = Buffer(zeros: rows.count * c)
        for (i, r) in rows.enumerated() { (y.pointer + i * c).update(from: xp + r * c, count: c) }
        var out = Var(index: 0)
        out = output(shape: [rows.count, c], value: y, inputs: [x]) { [unowned self] in
            let dy = gradPointer(out), dx = gradPointer(x)
            for (i, r) in rows.enumerated() {
                let d = dx + r * c, s = dy + i * c
                for j in 0..<c { d[j] += s[j] }
            }
        }
        return out
    }

    /// `mean((x − target)²)` over every element: a scalar (MAE's pixel loss).
    public func meanSquaredError(_ x: Var, target: [Float]) -> Var {
        let n = count(x)
        precondition(target.count == n && n > 0, "meanSquaredError: \(target.count) targets for \(shape(x))")
        let xp = valuePointer(x)
        var s: Double = 0
        target.withUnsafeBufferPointer { t in for i in 0..<n { let d = Double(xp[i] - t[i]); s += d * d } }
        let y = Buffer([Float(s / Double(n))])
        var out = Var(index: 0)
        out = output(shape: [], value: y, inputs: [x]) { [unowned self] in
            let g = 2 * gradPointer(out)[0] / Float(n), dx = gradPointer(x)
            target.withUnsafeBufferPointer { t in for i in 0..<n { dx[i] += g * (xp[i] - t[i]) } }
        }
        return out
    }

    /// Every `stride`-th row of `x [groups·stride, c]` starting at `offset` → `[groups, c]`
    /// (the CLS token of each image in a batch of token sequences).
    public func strideRows(_ x: Var, stride: Int, offset: Int = 0) -> Var {
        let c = shape(x).last ?? 1, groups = count(x) / (c * stride)
        precondition(groups * stride * c == count(x) && offset < stride, "strideRows: \(shape(x)) by \(stride)")
        let xp = valuePointer(x)
        let y = Buffer(zeros: groups * c)
        for g in 0..<groups { (y.pointer + g * c).update(from: xp + (g * stride + offset) * c, count: c) }
        var out = Var(index: 0)
        out = output(shape: [groups, c], value: y, inputs: [x]) { [unowned self] in
            let dy = gradPointer(out), dx = gradPointer(x)
            for g in 0..<groups {
                let d = dx + (g * stride + offset) * c, s = dy + g * c
                for j in 0..<c { d[j] += s[j] }
            }
        }
        return out
    }

    /// `F.normalize(x, dim=-1)`: each row divided by `max(‖row‖₂, eps)`.
    public func l2NormalizeRows(_ x: Var, eps: Float = 1e-12) -> Var {
        let c = shape(x).last ?? 1, rows = count(x) / c
        let xp = valuePointer(x)
        let y = Buffer(zeros: count(x))
        let norms = Buffer(zeros: rows)
        for r in 0..<rows {
            var s: Float = 0
            for j in 0..<c { s += xp[r * c + j] * xp[r * c + j] }
            let n = max(s.squareRoot(), eps)
            norms.pointer[r] = n
            for j in 0..<c { y.pointer[r * c + j] = xp[r * c + j] / n }
        }
        var out = Var(index: 0)
        out = output(shape: shape(x), value: y, inputs: [x]) { [unowned self] in
            let dy = gradPointer(out), dx = gradPointer(x)
            for r in 0..<rows {
                let n = norms.pointer[r], yr = y.pointer + r * c, g = dy + r * c
                if n <= eps { for j in 0..<c { dx[r * c + j] += g[j] / n }; continue }
                var dot: Float = 0
                for j in 0..<c { dot += yr[j] * g[j] }
                for j in 0..<c { dx[r * c + j] += (g[j] - yr[j] * dot) / n }
            }
        }
        return out
    }
}

extension AutodiffKernels {
    /// Adds `v [cols]` to every row of `m [rows, cols]`.
    static func addRowVector(_ m: UnsafeMutablePointer<Float>, _ v: UnsafePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let row = m + r * cols
            for j in 0..<cols { row[j] += v[j] }
        }
    }

    /// `out[j] += Σ_r m[r, j]`.
    static func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = m + r * cols
            for j in 0..<cols { out[j] += row[j] }
        }
    }

    /// In-place numerically stable softmax of one row.
    static func softmaxRow(_ row: UnsafeMutablePointer<Float>, count c: Int) {
        var mx = -Float.infinity
        for j in 0..<c { mx = max(mx, row[j]) }
        var s: Float = 0
        for j in 0..<c { let e = exp(row[j] - mx); row[j] = e; s += e }
        let inv = 1 / s
        for j in 0..<c { row[j] *= inv }
    }
}
