/// Layer normalisation over the last dimension: `(x − μ)/√(σ² + eps)·γ + β`, biased variance.

/// Normalises each row of `x` (last dimension) in place.
public func layerNorm(_ x: inout Tensor, weight: Tensor, bias: Tensor, eps: Float) {
    guard let cols = x.shape.last, cols > 0 else { return }
    precondition(weight.shape == [cols] && bias.shape == [cols],
                 "layerNorm: weight \(weight.shape) / bias \(bias.shape) do not match last dim of \(x.shape)")
    let rows = x.count / cols
    x.data.withUnsafeMutableBufferPointer { xp in
        weight.data.withUnsafeBufferPointer { w in
            bias.data.withUnsafeBufferPointer { b in
                layerNorm(xp.baseAddress!, rows: rows, cols: cols, weight: w.baseAddress!, bias: b.baseAddress!,
                          eps: eps, into: xp.baseAddress!)
            }
        }
    }
}

/// Raw-buffer layer norm of a row-major `[rows, cols]` buffer into `out` (which may equal `x`),
/// split across cores by rows. Mean and variance are accumulated in Float over two passes.
public func layerNorm(_ x: UnsafePointer<Float>, rows: Int, cols: Int, weight: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>, eps: Float, into out: UnsafeMutablePointer<Float>) {
    let src = SharedReads(base: x), dst = DisjointWrites(base: out)
    let w = SharedReads(base: weight), b = SharedReads(base: bias)
    concurrentChunks(rows, minimumChunk: max(1, 16_384 / max(cols, 1))) { range in
        for r in range {
            let xr = src.base + r * cols, yr = dst.base + r * cols
            var sum: Float = 0
            for c in 0..<cols { sum += xr[c] }
            let mean = sum / Float(cols)
            var sq: Float = 0
            for c in 0..<cols { let d = xr[c] - mean; sq += d * d }
            let inv = 1 / (sq / Float(cols) + eps).squareRoot()
            for c in 0..<cols { yr[c] = (xr[c] - mean) * inv * w.base[c] + b.base[c] }
        }
    }
}

/// Double-precision reference of `layerNorm`, for tests.
public func layerNormReference(_ x: [Float], cols: Int, weight: [Float], bias: [Float], eps: Float) -> [Float] {
    var out = x
    for r in 0..<(x.count / cols) {
        let row = x[(r * cols)..<((r + 1) * cols)].map(Double.init)
        let mean = row.reduce(0, +) / Double(cols)
        let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(cols)
        let inv = 1 / (variance + Double(eps)).squareRoot()
        for c in 0..<cols { out[r * cols + c] = Float((row[c] - mean) * inv * Double(weight[c]) + Double(bias[c])) }
    }
    return out
}
