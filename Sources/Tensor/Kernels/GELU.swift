import CKernels
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
/// The elementwise work is CKernels' (`vlk_gelu_using`: AVX-512, AVX2 or portable, chosen at run
/// time; `isa` caps it for tests); erf by Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7.
public func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int, parallel: Bool = true, isa: ExpKernelISA = .avx512) {
    let out = DisjointWrites(base: x), level = isa.rawValue
    let body: @Sendable (Range<Int>) -> Void = { range in
        vlk_gelu_using(level, out.base + range.lowerBound, range.count)
    }
    if parallel { concurrentChunks(count, minimumChunk: 32_768, body) } else { body(0..<count) }
}

/// Double-precision reference GELU, for tests.
public func geluErfReference(_ x: [Float]) -> [Float] {
    x.map { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
}

/// Exact GELU's derivative times an upstream gradient, `g · (Φ(x) + x·φ(x))`, over `count`
/// floats, vectorised in CKernels (`vlk_gelu_backward_using`: one exponential per element serves
/// both erf and the density) and split across cores for large buffers.
///
/// - Parameters:
///   - x: GELU's inputs.
///   - upstream: the gradient with respect to GELU's outputs; may be the same memory as `into`.
///   - into: receives the gradient with respect to `x`: added to when `accumulate`, else overwritten.
///   - isa: caps the instruction set (tests cover every path the CPU has).
public func geluErfBackward(x: UnsafePointer<Float>, upstream: UnsafePointer<Float>, into: UnsafeMutablePointer<Float>,
                            count: Int, accumulate: Bool, parallel: Bool = true, isa: ExpKernelISA = .avx512) {
    let xs = SharedReads(base: x), gs = SharedReads(base: upstream), out = DisjointWrites(base: into)
    let level = isa.rawValue, add: Int32 = accumulate ? 1 : 0
    let body: @Sendable (Range<Int>) -> Void = { range in
        let i = range.lowerBound
        vlk_gelu_backward_using(level, xs.base + i, gs.base + i, out.base + i, range.count, add)
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
