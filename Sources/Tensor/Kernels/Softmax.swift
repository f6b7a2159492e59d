/// Row-wise softmax and the vectorised `exp` it (and streaming attention) is built on.

/// `exp(x)` for 8 lanes: Cephes-style range reduction `x = n·ln2 + r`, a degree-6 polynomial on
/// `|r| ≤ ln2/2`, then `2ⁿ` through the exponent bits. Relative error ≈ 2e-7 (≈ 2 ulp); inputs
/// below −87.3 (including −∞ from masks) give exactly 0; above 88 saturate at `exp(88)` (softmax inputs are ≤ 0 after the max shift).
@inlinable @inline(__always)
public func fastExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let clamped = x.clamped(lowerBound: SIMD8(repeating: -87.3), upperBound: SIMD8(repeating: 88.0))
    let n = (clamped * 1.442_695_040_888_963_4).rounded(.toNearestOrEven)
    var r = clamped - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * (r * r) + r + 1
    let bits = (SIMD8<Int32>(n) &+ 127) &<< 23
    let scale = unsafeBitCast(bits, to: SIMD8<Float>.self)
    return (p * scale).replacing(with: 0, where: x .< -87.3)
}

/// Scalar `exp` through the same polynomial as `fastExp`, so vector bodies and tails agree.
@inlinable @inline(__always)
public func fastExp(_ x: Float) -> Float { fastExp(SIMD8(repeating: x))[0] }

/// Largest element of `count ≥ 1` floats.
@inlinable
public func rowMax(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var i = 0
    var m8 = SIMD8<Float>(repeating: -.infinity)
    while i + 8 <= count {
        m8 = pointwiseMax(m8, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
        i += 8
    }
    var m = m8.max()
    while i < count { m = Swift.max(m, x[i]); i += 1 }
    return m
}

/// `x[i] = exp(x[i] − shift)` in place; returns `Σ x[i]` after the update.
@inlinable
public func expShifted(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
    var i = 0
    var s8 = SIMD8<Float>(repeating: 0)
    let sh = SIMD8<Float>(repeating: shift)
    while i + 8 <= count {
        let raw = UnsafeMutableRawPointer(x + i)
        let e = fastExp(raw.loadUnaligned(as: SIMD8<Float>.self) - sh)
        raw.storeBytes(of: e, as: SIMD8<Float>.self)
        s8 += e
        i += 8
    }
    var s = s8.sum()
    while i < count { let e = fastExp(x[i] - shift); x[i] = e; s += e; i += 1 }
    return s
}

/// `x[i] *= factor` for `count` floats.
@inlinable
public func scaleInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    for i in 0..<count { x[i] *= factor }
}

/// Numerically stable softmax of one row in place. A row that is entirely −∞ becomes all zeros.
@inlinable
public func softmaxRow(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    let m = rowMax(x, count: count)
    guard m > -.infinity else { x.update(repeating: 0, count: count); return }
    let s = expShifted(x, count: count, shift: m)
    scaleInPlace(x, count: count, by: 1 / s)
}

/// Softmax over each row of a row-major `[rows, cols]` buffer, in place; large inputs are split
/// across cores by rows.
public func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    let out = DisjointWrites(base: x)
    concurrentChunks(rows, minimumChunk: max(1, 16_384 / max(cols, 1))) { range in
        for r in range { softmaxRow(out.base + r * cols, count: cols) }
    }
}

/// Softmax over the last dimension of a tensor.
public func softmaxRows(_ x: inout Tensor) {
    guard let cols = x.shape.last, cols > 0 else { return }
    let rows = x.count / cols
    x.data.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: rows, cols: cols) }
}

/// Naive Double reference of `softmaxRows`, kept for tests.
public func softmaxRowsReference(_ x: [Float], rows: Int, cols: Int) -> [Float] {
    var out = x
    for r in 0..<rows {
        let row = x[(r * cols)..<((r + 1) * cols)].map(Double.init)
        let m = row.max() ?? 0
        let e = row.map { Foundation_exp($0 - m) }
        let s = e.reduce(0, +)
        for c in 0..<cols { out[r * cols + c] = Float(e[c] / s) }
    }
    return out
}
