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

/// Exact GELU over `count` floats in place, split across cores for large buffers.
public func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
    let out = DisjointWrites(base: x)
    concurrentChunks(count, minimumChunk: 32_768) { range in
        let p = out.base
        for i in range {
            let v = p[i]
            p[i] = 0.5 * v * (1 + erff(v * 0.707_106_781_186_547_5))
        }
    }
}

/// Double-precision reference GELU, for tests.
public func geluErfReference(_ x: [Float]) -> [Float] {
    x.map { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
}
