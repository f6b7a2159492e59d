/// Shape manipulation and elementwise helpers. Reshapes never copy: `data` is shared
/// copy-on-write, so a reshaped tensor costs nothing until one side is mutated.
extension Tensor {
    /// An uninitialised-looking (zero-filled) tensor; prefer `init(shape:data:)` when data exists.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// The same elements with a new shape; one dimension may be `-1` and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let unknown = dims.firstIndex(of: -1) {
            let known = dims.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            dims[unknown] = count / known
        }
        precondition(dims.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: dims, data: data)
    }

    /// Rows `range` of the tensor viewed as `[shape[0], rest]` (a copy of that slice).
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) out of bounds for shape \(shape)")
        let inner = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [range.count] + shape.dropFirst(),
                      data: Array(data[(range.lowerBound * inner)..<(range.upperBound * inner)]))
    }

    /// The transpose of a rank-2 tensor (a copy; prefer `CblasTrans` in products).
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a rank-2 tensor, got \(shape)")
        let m = shape[0], n = shape[1]
        var out = [Float](repeating: 0, count: count)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<m { for j in 0..<n { dst[j * m + i] = src[i * n + j] } }
            }
        }
        return Tensor(shape: [n, m], data: out)
    }

    /// Concatenates tensors along dimension 0; trailing dimensions must agree.
    public static func concatenate(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "concatenate needs at least one tensor")
        let tail = Array(parts[0].shape.dropFirst())
        var data: [Float] = []
        data.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        var rows = 0
        for p in parts {
            precondition(Array(p.shape.dropFirst()) == tail, "concatenate: shapes \(parts[0].shape) and \(p.shape) disagree")
            data += p.data
            rows += p.shape.first ?? 1
        }
        return Tensor(shape: [rows] + tail, data: data)
    }

    /// Largest absolute element (0 for an empty tensor).
    public var maxAbs: Float { data.reduce(0) { Swift.max($0, abs($1)) } }
}

/// Elementwise `x += y`; shapes must match.
public func add(_ x: inout Tensor, _ y: Tensor) {
    precondition(x.shape == y.shape, "add: shapes \(x.shape) and \(y.shape) differ")
    let n = x.count
    x.data.withUnsafeMutableBufferPointer { a in
        y.data.withUnsafeBufferPointer { b in
            add(a.baseAddress!, b.baseAddress!, count: n)
        }
    }
}

/// `x[i] += y[i]` for `count` elements.
@inlinable public func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { x[i] += y[i] }
}

/// `x[r, c] += bias[c]` for a row-major `[rows, cols]` buffer.
@inlinable public func addBias(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
        let row = x + r * cols
        for c in 0..<cols { row[c] += bias[c] }
    }
}

/// `x[r, c] += gamma[c] · y[r, c]` (LayerScale residual) for row-major `[rows, cols]` buffers.
@inlinable public func addScaled(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>,
                                 gamma: UnsafePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
        let xr = x + r * cols, yr = y + r * cols
        for c in 0..<cols { xr[c] += gamma[c] * yr[c] }
    }
}
