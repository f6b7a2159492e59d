import CBLAS

/// A dense, contiguous, row-major tensor of `Float`.
///
/// Weights keep PyTorch layout (`Linear.weight` is `[out, in]`), so loading a checkpoint is a
/// copy and matrix products use `CblasTrans` rather than transposed copies.
public struct Tensor: Sendable, Equatable {
    /// Dimensions, outermost first. `[]` is a scalar.
    public var shape: [Int]
    /// `shape.reduce(1, *)` elements in row-major order.
    public var data: [Float]

    /// Wraps `data` with `shape`; traps when the element count does not match (a programmer error).
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(shape.reduce(1, *) == data.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// Number of elements.
    public var count: Int { data.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }
}

extension Tensor {
    /// Matrix product of two rank-2 tensors: `[m, k] · [k, n] → [m, n]`, through `cblas_sgemm`.
    ///
    /// - Parameter transposeB: treat `b` as `[n, k]` (PyTorch `Linear.weight` layout) and use
    ///   its transpose without copying.
    public func matmul(_ b: Tensor, transposeB: Bool = false) -> Tensor {
        precondition(rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(shape) and \(b.shape)")
        let m = shape[0], k = shape[1]
        let n = transposeB ? b.shape[0] : b.shape[1]
        let bk = transposeB ? b.shape[1] : b.shape[0]
        precondition(k == bk, "matmul shapes \(shape) and \(b.shape) (transposeB: \(transposeB)) do not agree")
        var out = [Float](repeating: 0, count: m * n)
        if m > 0 && n > 0 && k > 0 {
            data.withUnsafeBufferPointer { a in
                b.data.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { c in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                    Int32(m), Int32(n), Int32(k), 1, a.baseAddress, Int32(k),
                                    bp.baseAddress, Int32(b.shape[1]), 0, c.baseAddress, Int32(n))
                    }
                }
            }
        }
        return Tensor(shape: [m, n], data: out)
    }
}
