import Foundation

/// One data shard's parameter gradients: a private zeroed buffer per parameter, allocated when a
/// tape first uses the parameter. Data-parallel training runs one ``Tape`` per shard on its own
/// thread, each with its own `ShardGradients`, then adds them into ``Parameter/grad``.
///
/// ```swift
/// let shards = (0..<2).map { _ in ShardGradients() }
/// dataParallel(2) { s in let tape = Tape(gradients: shards[s]); …; tape.backward(loss) }
/// for shard in shards { shard.addAll(into: parameters) }
/// ```
public final class ShardGradients: @unchecked Sendable {
    // Only the owning shard's thread touches the dictionary while its tape runs.
    private var buffers: [ObjectIdentifier: Buffer] = [:]

    public init() {}

    /// `p`'s gradient buffer in this shard (zeros on first use).
    func buffer(for p: Parameter) -> Buffer {
        if let b = buffers[ObjectIdentifier(p)] { return b }
        let b = Buffer(zeros: p.count)
        buffers[ObjectIdentifier(p)] = b
        return b
    }

    /// Adds this shard's gradient of every parameter it touched into that parameter's `grad`.
    public func addAll(into parameters: [Parameter]) {
        for p in parameters {
            guard let b = buffers[ObjectIdentifier(p)] else { continue }
            let g = p.grad.pointer, s = b.pointer
            for i in 0..<p.count { g[i] += s[i] }
        }
    }
}
