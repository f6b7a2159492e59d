import Foundation
import Tensor

/// The light decoder of a masked autoencoder (He et al., MAE): it takes the encoder's tokens for
/// the visible patches, lays a shared learned mask token into every hidden place, adds its own
/// position embedding, runs a few transformer blocks and predicts each patch's pixels.
///
/// Parameter names follow MAE's `models_mae.py` (`decoder_embed`, `mask_token`, `decoder_pos_embed`,
/// `decoder_blocks.N.…`, `decoder_norm`, `decoder_pred`); the position embedding is learned
/// rather than fixed sine–cosine. Only checkpoints hold it: the exported backbone is the encoder.
/// Sendable for the same reason as ``TrainableViT``: shards read it concurrently between updates.
public final class MAEDecoder: @unchecked Sendable {
    public let encoderDim: Int, dim: Int, depth: Int, heads: Int
    /// Patches per side and pixels per patch side.
    public let grid: Int, patchSize: Int
    public let parameters: [Parameter]
    let named: [String: Parameter]

    /// Values per predicted patch: `patchSize² · 3`.
    public var patchValues: Int { patchSize * patchSize * 3 }

    public init(encoderDim: Int, dim: Int, depth: Int, heads: Int, grid: Int, patchSize: Int, rng: inout PretrainRandom) {
        precondition(dim % heads == 0 && depth >= 1, "MAEDecoder: width \(dim), \(heads) heads, depth \(depth)")
        self.encoderDim = encoderDim
        self.dim = dim
        self.depth = depth
        self.heads = heads
        self.grid = grid
        self.patchSize = patchSize
        var ps: [Parameter] = []
        func add(_ name: String, _ shape: [Int], _ make: (inout PretrainRandom) -> Float) {
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            for i in values.indices { values[i] = make(&rng) }
            ps.append(Parameter(name: name, shape: shape, values: values))
        }
        add("decoder_embed.weight", [dim, encoderDim]) { $0.truncatedNormal(std: 0.02) }
        add("decoder_embed.bias", [dim]) { _ in 0 }
        add("mask_token", [1, 1, dim]) { $0.truncatedNormal(std: 0.02) }
        add("decoder_pos_embed", [1, 1 + grid * grid, dim]) { $0.truncatedNormal(std: 0.02) }
        for i in 0..<depth {
            TrainableViT.addBlockParameters(&ps, prefix: "decoder_blocks.\(i).", dim: dim, hidden: 4 * dim, rng: &rng)
        }
        add("decoder_norm.weight", [dim]) { _ in 1 }
        add("decoder_norm.bias", [dim]) { _ in 0 }
        add("decoder_pred.weight", [patchSize * patchSize * 3, dim]) { $0.truncatedNormal(std: 0.02) }
        add("decoder_pred.bias", [patchSize * patchSize * 3]) { _ in 0 }
        for p in ps { p.decays = p.shape.count > 1 }
        parameters = ps
        named = Dictionary(uniqueKeysWithValues: ps.map { ($0.name, $0) })
    }

    /// Pixel predictions for every patch of every image.
    ///
    /// - Parameters:
    ///   - encoded: `[batch·(1 + visible), encoderDim]`, each image's CLS row then its visible
    ///     patches in the order of `visible`.
    ///   - visible: per image, the grid indices (row-major) of its visible patches, all the same count.
    /// - Returns: `[batch·g², patchValues]`, image-major, patches row-major.
    public func forward(_ tape: Tape, encoded: Var, visible: [[Int]]) -> Var {
        func p(_ name: String) -> Var { tape.parameter(named[name]!) }
        let batch = visible.count, n = grid * grid, kept = 1 + (visible.first?.count ?? 0)
        let x = tape.linear(encoded, weight: p("decoder_embed.weight"), bias: p("decoder_embed.bias"))   // [B·kept, dim]
        // Rows of [x; mask token]: each image's CLS, then every grid place from its visible row or the mask row.
        let maskRow = batch * kept
        var rows: [Int] = []
        rows.reserveCapacity(batch * (1 + n))
        for (b, places) in visible.enumerated() {
            var slot = [Int](repeating: maskRow, count: n)
            for (j, t) in places.enumerated() { slot[t] = b * kept + 1 + j }
            rows.append(b * kept)
            rows += slot
        }
        let mask = tape.gatherRows(p("mask_token"), rows: [0])
        var h = tape.gatherRows(tape.concatRows(x, mask), rows: rows)                                     // [B·(1+n), dim]
        let position = tape.gatherRows(p("decoder_pos_embed"), rows: (0..<batch).flatMap { _ in 0..<(1 + n) })
        h = tape.add(h, position)
        for i in 0..<depth {
            h = TrainableViT.block(tape, h, batch: batch, heads: heads, prefix: "decoder_blocks.\(i).") { p($0) }
        }
        h = tape.layerNorm(h, weight: p("decoder_norm.weight"), bias: p("decoder_norm.bias"), eps: 1e-6)
        let patches = tape.gatherRows(h, rows: (0..<batch).flatMap { b in (0..<n).map { b * (1 + n) + 1 + $0 } })
        return tape.linear(patches, weight: p("decoder_pred.weight"), bias: p("decoder_pred.bias"))
    }
}
