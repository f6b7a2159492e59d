#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

@usableFromInline func Foundation_exp(_ x: Double) -> Double { exp(x) }

/// Exact GELU, `0.5·x·(1 + erf(x/√2))` (PyTorch `nn.GELU()` default), in place.
public func geluErf(_ x: inout Tensor) {
    let n = x.count
    x.data.withUnsafeMutableBufferPointer { geluErf($0.baseAddress!, count: n) }
}

/// Exact GELU over `count` floats in place, split across cores for large buffers unless
/// `parallel` is false (callers already running on a worker, e.g. `parallelLinear`'s epilogue).
public func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int, parallel: Bool = true) {
    let out = DisjointWrites(base: x)
    let body: @Sendable (Range<Int>) -> Void = { range in
        let p = out.base
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let raw = UnsafeMutableRawPointer(p + i)
            let v = raw.loadUnaligned(as: SIMD8<Float>.self)
            raw.storeBytes(of: 0.5 * v * (1 + fastErf(v * 0.707_106_781_186_547_5)), as: SIMD8<Float>.self)
            i += 8
        }
        while i < range.upperBound { p[i] = 0.5 * p[i] * (1 + erff(p[i] * 0.707_106_781_186_547_5)); i += 1 }
    }
    if parallel { concurrentChunks(count, minimumChunk: 32_768, body) } else { body(0..<count) }
}

/// `erf(x)` for 8 lanes by Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7) with `fastExp`;
/// odd symmetry handles negative inputs.
@inlinable @inline(__always)
public func fastErf(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var a = x
    a.replace(with: -x, where: x .< 0)
    let t = 1 / (1 + 0.327_591_1 * a)
    var poly = SIMD8<Float>(repeating: 1.061_405_429)
    poly = poly * t - 1.453_152_027
    poly = poly * t + 1.421_413_741
    poly = poly * t - 0.284_496_736
    poly = poly * t + 0.254_829_592
    var y = 1 - poly * t * fastExp(-(a * a))
    y.replace(with: -y, where: x .< 0)
    return y
}

/// Double-precision reference GELU, for tests.
public func geluErfReference(_ x: [Float]) -> [Float] {
    x.map { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
}

/// Exact GELU's derivative times an upstream gradient, `g · (Φ(x) + x·φ(x))`, over `count`
/// floats, vectorised (``fastErf`` and `fastExp`) and split across cores for large buffers.
///
/// - Parameters:
///   - x: GELU's inputs.
///   - upstream: the gradient with respect to GELU's outputs; may be the same memory as `into`.
///   - into: receives the gradient with respect to `x`: added to when `accumulate`, else overwritten.
public func geluErfBackward(x: UnsafePointer<Float>, upstream: UnsafePointer<Float>, into: UnsafeMutablePointer<Float>,
                            count: Int, accumulate: Bool, parallel: Bool = true) {
    let xs = SharedReads(base: x), gs = SharedReads(base: upstream), out = DisjointWrites(base: into)
    let body: @Sendable (Range<Int>) -> Void = { range in
        let xp = xs.base, gp = gs.base, op = out.base
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let v = UnsafeRawPointer(xp + i).loadUnaligned(as: SIMD8<Float>.self)
            let g = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self)
            let cdf = 0.5 * (1 + fastErf(v * 0.707_106_781_186_547_5))
            let pdf = fastExp(-0.5 * v * v) * 0.398_942_280_401_432_7
            var d = g * (cdf + v * pdf)
            let raw = UnsafeMutableRawPointer(op + i)
            if accumulate { d += raw.loadUnaligned(as: SIMD8<Float>.self) }
            raw.storeBytes(of: d, as: SIMD8<Float>.self)
            i += 8
        }
        while i < range.upperBound {
            let v = xp[i]
            let d = gp[i] * (0.5 * (1 + erff(v * 0.707_106_781_186_547_5)) + v * expf(-0.5 * v * v) * 0.398_942_280_401_432_7)
            op[i] = accumulate ? op[i] + d : d
            i += 1
        }
    }
    if parallel { concurrentChunks(count, minimumChunk: 32_768, body) } else { body(0..<count) }
}

/// Double-precision reference of ``geluErfBackward(x:upstream:into:count:accumulate:parallel:)``
/// (overwriting), for tests.
public func geluErfBackwardReference(x: [Float], upstream: [Float]) -> [Float] {
    zip(x, upstream).map { v, g in
        let d = Double(v)
        return Float(Double(g) * (0.5 * (1 + erf(d / 2.0.squareRoot())) + d * exp(-0.5 * d * d) / (2 * Double.pi).squareRoot()))
    }
}
