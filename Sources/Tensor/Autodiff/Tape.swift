import CBLAS

/// A manually allocated `Float` buffer owned by one autodiff node or parameter (llm.c style:
/// allocate once, hand pointers to cblas, free on `deinit`).
///
/// The pointer is valid for the buffer's lifetime; code that reads it must keep the buffer alive
/// (every use below goes through a node or parameter that the tape retains).
public final class Buffer: @unchecked Sendable {
    /// Number of `Float`s.
    public let count: Int
    /// The storage, `count` elements.
    public let pointer: UnsafeMutablePointer<Float>

    /// A buffer of `count` zeros.
    public init(zeros count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: count)
    }

    /// A buffer of `count` elements left as the allocator gave them: only for outputs that the
    /// caller writes in full before anything reads them (an sgemm with beta 0, an elementwise
    /// result). Zero-filling them was about 3 % of the cycles of a DINO training step (perf).
    public init(uninitialized count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    /// A buffer holding a copy of `values`.
    public init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(count, 1))
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.initialize(from: base, count: count) }
        }
    }

    deinit { pointer.deallocate() }

    /// A copy of the contents as an array.
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Sets every element to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// Overwrites the contents with `values` (same count).
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "assign: \(values.count) values into a buffer of \(count)")
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: count) }
        }
    }
}

/// A trainable tensor: its value and the gradient the tape accumulates into it.
///
/// `name` follows the PyTorch state-dict key (`blocks.0.attn.qkv.weight`), so saving and loading
/// is a lookup. `decays` says whether AdamW applies weight decay (DINO: not to biases and norms,
/// i.e. not to rank-1 tensors).
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    public let value: Buffer
    public let grad: Buffer
    public var decays: Bool

    /// A parameter holding `values` (row-major, `shape.reduce(1, *)` elements).
    public init(name: String, shape: [Int], values: [Float], decays: Bool? = nil) {
        precondition(shape.reduce(1, *) == values.count,
                     "parameter \(name): shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.name = name
        self.shape = shape
        value = Buffer(values)
        grad = Buffer(zeros: values.count)
        self.decays = decays ?? (shape.filter { $0 > 1 }.count > 1)
    }

    public var count: Int { value.count }
}

/// A handle to one value recorded on a ``Tape``.
public struct Var: Sendable, Hashable {
    /// Position on the tape.
    public let index: Int
}

/// A reverse-mode autodiff tape in the spirit of nanoGPT/llm.c: every op in
/// `Gradients+*.swift` computes its forward value immediately and, when recording, pushes a
/// closure that adds its inputs' gradients given its output's gradient. ``backward(_:)`` runs
/// those closures in reverse order.
///
/// Gradients of parameters accumulate into ``Parameter/grad`` (zero them between steps);
/// intermediate gradients are allocated lazily, only on nodes that lie on a path to a parameter.
///
/// ```swift
/// let tape = Tape()
/// let x = tape.constant(input, shape: [4, 16])
/// let y = tape.linear(x, weight: tape.parameter(w), bias: tape.parameter(b))
/// let loss = tape.mean(y)
/// tape.backward(loss)          // w.grad and b.grad now hold d loss / d w, d loss / d b
/// ```
public final class Tape {
    final class Node {
        let shape: [Int]
        let value: Buffer
        /// Gradient buffer: a parameter's own, or allocated on first use.
        var grad: Buffer?
        let needsGrad: Bool
        var backward: (() -> Void)?

        init(shape: [Int], value: Buffer, grad: Buffer?, needsGrad: Bool) {
            self.shape = shape
            self.value = value
            self.grad = grad
            self.needsGrad = needsGrad
        }
    }

    var nodes: [Node] = []
    /// When false, ops compute values only (a teacher or evaluation forward pass).
    public let recording: Bool
    /// Where parameter gradients go: `nil` for each ``Parameter/grad``, or one shard's own buffers.
    let shardGradients: ShardGradients?

    /// - Parameters:
    ///   - recording: false for a forward pass that never runs ``backward(_:)``.
    ///   - gradients: collect parameter gradients into these buffers instead of each
    ///     ``Parameter/grad``, so tapes on different threads (one per data shard) never write the
    ///     same memory; ``ShardGradients/addAll(into:)`` sums them afterwards.
    public init(recording: Bool = true, gradients: ShardGradients? = nil) {
        self.recording = recording
        shardGradients = gradients
    }

    /// A value that needs no gradient (inputs, targets).
    public func constant(_ values: [Float], shape: [Int]) -> Var {
        precondition(shape.reduce(1, *) == values.count, "constant: shape \(shape) vs \(values.count) values")
        return push(shape: shape, value: Buffer(values), needsGrad: false)
    }

    /// A parameter as a leaf; its gradient accumulates into `p.grad` (or the tape's shard buffer
    /// for `p`) when recording.
    public func parameter(_ p: Parameter) -> Var {
        let grad = recording ? (shardGradients?.buffer(for: p) ?? p.grad) : nil
        let node = Node(shape: p.shape, value: p.value, grad: grad, needsGrad: recording)
        nodes.append(node)
        return Var(index: nodes.count - 1)
    }

    /// Shape of `v`.
    public func shape(_ v: Var) -> [Int] { nodes[v.index].shape }
    /// A copy of `v`'s value.
    public func value(_ v: Var) -> [Float] { nodes[v.index].value.array }
    /// A copy of `v`'s gradient after ``backward(_:)`` (zeros when none reached it).
    public func gradient(_ v: Var) -> [Float] {
        nodes[v.index].grad?.array ?? [Float](repeating: 0, count: nodes[v.index].value.count)
    }
    /// `v`'s value as a scalar (a one-element tensor).
    public func scalar(_ v: Var) -> Float {
        precondition(nodes[v.index].value.count == 1, "scalar: \(shape(v)) is not a scalar")
        return nodes[v.index].value.pointer[0]
    }

    /// Back-propagates from `loss` (a scalar), seeding its gradient with 1.
    public func backward(_ loss: Var) {
        precondition(recording, "backward on a tape that did not record")
        precondition(nodes[loss.index].value.count == 1, "backward needs a scalar loss, got \(shape(loss))")
        gradPointer(loss)[0] += 1
        for i in stride(from: loss.index, through: 0, by: -1) {
            let node = nodes[i]
            if node.grad != nil, let back = node.backward { back() }
        }
    }

    // MARK: - Machinery used by the ops

    func push(shape: [Int], value: Buffer, needsGrad: Bool) -> Var {
        nodes.append(Node(shape: shape, value: value, grad: nil, needsGrad: recording && needsGrad))
        return Var(index: nodes.count - 1)
    }

    /// The output of an op: `needsGrad` when any input needs one; `backward` is attached only then.
    func output(shape: [Int], value: Buffer, inputs: [Var], backward: @escaping () -> Void) -> Var {
        let needs = recording && inputs.contains { nodes[$0.index].needsGrad }
        let v = push(shape: shape, value: value, needsGrad: needs)
        if needs { nodes[v.index].backward = backward }
        return v
    }

    func valuePointer(_ v: Var) -> UnsafeMutablePointer<Float> { nodes[v.index].value.pointer }
    func count(_ v: Var) -> Int { nodes[v.index].value.count }
    func needsGrad(_ v: Var) -> Bool { nodes[v.index].needsGrad }

    /// `v`'s gradient buffer, allocated (zeroed) on first use.
    func gradPointer(_ v: Var) -> UnsafeMutablePointer<Float> {
        let node = nodes[v.index]
        if let g = node.grad { return g.pointer }
        let g = Buffer(zeros: node.value.count)
        node.grad = g
        return g.pointer
    }

    /// The value buffer (retained by the caller's closure so pointers stay valid).
    func buffer(_ v: Var) -> Buffer { nodes[v.index].value }
}

/// Kernels shared by the autodiff ops (namespaced so they never collide with `Kernels/`).
enum AutodiffKernels {
    /// Thin wrapper over `cblas_sgemm` (row-major) so the ops read like their formulas:
    /// `C = alpha·op(A)·op(B) + beta·C` with `op(A)` `[m, k]`, `op(B)` `[k, n]`.
    @inline(__always)
    static func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                      _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
                      _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
