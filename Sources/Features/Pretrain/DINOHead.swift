import Foundation
import Tensor

/// DINO's projection head: a 3-layer MLP (GELU) to a bottleneck, L2 normalisation, and a
/// weight-normalised prototype layer with `weight_g` fixed to 1 (`norm_last_layer=True`).
///
/// Parameter names follow DINO's checkpoints: `head.mlp.{0,2,4}.{weight,bias}`,
/// `head.last_layer.weight_v` (`weight_g` is written as ones when saving).
/// Sendable because data-parallel shards read it from several threads at once: its parameter
/// list never changes, and values change only between passes (optimiser, EMA).
public final class DINOHead: @unchecked Sendable {
    public let inputDim: Int, hiddenDim: Int, bottleneckDim: Int, outputDim: Int
    public let parameters: [Parameter]
    let named: [String: Parameter]

    /// Linear weights `trunc_normal_(std=.02)`, zero biases; the last layer keeps PyTorch's
    /// default Linear initialisation (uniform ±1/√in), as in DINO where `apply(_init_weights)`
    /// runs before the last layer is built.
    public init(inputDim: Int, hiddenDim: Int, bottleneckDim: Int, outputDim: Int, rng: inout PretrainRandom) {
        self.inputDim = inputDim
        self.hiddenDim = hiddenDim
        self.bottleneckDim = bottleneckDim
        self.outputDim = outputDim
        var ps: [Parameter] = []
        func add(_ name: String, _ shape: [Int], _ make: (inout PretrainRandom) -> Float) {
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            for i in values.indices { values[i] = make(&rng) }
            ps.append(Parameter(name: name, shape: shape, values: values))
        }
        let dims = [(inputDim, hiddenDim), (hiddenDim, hiddenDim), (hiddenDim, bottleneckDim)]
        for (i, (nIn, nOut)) in dims.enumerated() {
            add("head.mlp.\(2 * i).weight", [nOut, nIn]) { $0.truncatedNormal(std: 0.02) }
            add("head.mlp.\(2 * i).bias", [nOut]) { _ in 0 }
        }
        let bound = 1 / Double(bottleneckDim).squareRoot()
        add("head.last_layer.weight_v", [outputDim, bottleneckDim]) { Float($0.uniform(-bound, bound)) }
        for p in ps { p.decays = p.shape.count > 1 }
        parameters = ps
        named = Dictionary(uniqueKeysWithValues: ps.map { ($0.name, $0) })
    }

    /// The prototype layer's parameter (DINO freezes it during the first epoch).
    public var lastLayer: Parameter { named["head.last_layer.weight_v"]! }

    /// `[n, inputDim]` → `[n, outputDim]` prototype scores.
    public func forward(_ tape: Tape, _ x: Var) -> Var {
        func p(_ name: String) -> Var { tape.parameter(named[name]!) }
        var h = tape.gelu(tape.linear(x, weight: p("head.mlp.0.weight"), bias: p("head.mlp.0.bias")))
        h = tape.gelu(tape.linear(h, weight: p("head.mlp.2.weight"), bias: p("head.mlp.2.bias")))
        h = tape.linear(h, weight: p("head.mlp.4.weight"), bias: p("head.mlp.4.bias"))          // [n, bottleneck]
        return tape.weightNormLinear(tape.l2NormalizeRows(h), direction: p("head.last_layer.weight_v"))
    }
}
