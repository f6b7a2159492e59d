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
