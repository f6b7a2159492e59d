import Foundation
import Tensor

/// Sizes of the segmenter head.
public struct HeadConfig: Codable, Sendable, Equatable {
    /// Channels of the frozen backbone's patch features.
    public var inputDim: Int
    /// Hidden channels of the per-patch MLP and the depthwise spatial block.
    public var hiddenDim: Int
    /// Dimension of the text-embedding space (384 for MiniLM).
    public var embedDim: Int
    /// Spatial blocks: depthwise 3×3 convolutions dilated 1, 2, 4, … with a per-patch MLP
    /// between consecutive ones. One block sees 3×3 patches; three see 15×15, enough for a
    /// patch to tell whose leg it is from the rest of the object.
    public var blocks: Int

    public init(inputDim: Int, hiddenDim: Int = 256, embedDim: Int = 384, blocks: Int = 1) {
        precondition(blocks >= 1, "a head needs at least one spatial block")
        self.inputDim = inputDim
        self.hiddenDim = hiddenDim
        self.embedDim = embedDim
        self.blocks = blocks
    }

    enum CodingKeys: String, CodingKey { case inputDim, hiddenDim, embedDim, blocks }

    /// Models written before `blocks` existed had one block.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputDim = try c.decode(Int.self, forKey: .inputDim)
        hiddenDim = try c.decode(Int.self, forKey: .hiddenDim)
        embedDim = try c.decode(Int.self, forKey: .embedDim)
        blocks = try c.decodeIfPresent(Int.self, forKey: .blocks) ?? 1
        guard blocks >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .blocks, in: c, debugDescription: "blocks must be at least 1, got \(blocks)")
        }
    }
}

/// The trainable part of the open-vocabulary segmenter (DESIGN.md, "The segmenter").
///
/// Per patch: `x → GELU(x·W1ᵀ + b1) = s₀`; then `blocks` spatial blocks, block `k` a dilated
/// depthwise 3×3 with residual `t_k = s_k + dw_k(s_k) + dwBias_k` (dilation `2ᵏ`), followed,
/// except after the last, by a residual per-patch MLP `s_{k+1} = t_k + GELU(t_k·Mixₖᵀ + mixBiasₖ)`;
/// the last `t` is `b`. Then two projections into the text space, one for the object
/// vocabulary and one for the part vocabulary. Logits are `exp(logScale)` times the cosine
/// between a patch's embedding and each class's text embedding; class 0 of either vocabulary
/// is a learned "background"/"no part" embedding, so any vocabulary can be plugged in at run
/// time. Forward and backward are written side by side (llm.c style) and checked against
/// finite differences.
public struct SegmenterHead: Sendable {
    public let config: HeadConfig
    /// Parameters by name, in PyTorch layout (`Linear.weight` is `[out, in]`).
    public var parameters: [String: Tensor]

    /// The parameter names of a head with `blocks` spatial blocks, in a fixed order (for
    /// optimisers and checkpoints). Block 0 keeps the names of the one-block head (`dw`,
    /// `dwBias`), so its models still load.
    public static func parameterNames(blocks: Int) -> [String] {
        var names = ["w1", "b1"]
        for k in 0..<blocks {
            names += [dwName(k), dwBiasName(k)]
            if k < blocks - 1 { names += [mixName(k), mixBiasName(k)] }
        }
        return names + ["wObject", "bObject", "wPart", "bPart", "backgroundObject", "backgroundPart", "logScale"]
    }

    /// This head's parameter names, in order.
    public var parameterNames: [String] { Self.parameterNames(blocks: config.blocks) }

    static func dwName(_ k: Int) -> String { k == 0 ? "dw" : "dw.\(k)" }
    static func dwBiasName(_ k: Int) -> String { k == 0 ? "dwBias" : "dwBias.\(k)" }
    static func mixName(_ k: Int) -> String { "mix.\(k)" }
    static func mixBiasName(_ k: Int) -> String { "mixBias.\(k)" }

    /// Expected shape of every parameter.
    static func shapes(_ config: HeadConfig) -> [String: [Int]] {
        let (d, h, e) = (config.inputDim, config.hiddenDim, config.embedDim)
        var shapes: [String: [Int]] = [
            "w1": [h, d], "b1": [h], "wObject": [e, h], "bObject": [e],
            "wPart": [e, h], "bPart": [e], "backgroundObject": [e], "backgroundPart": [e], "logScale": [1],
        ]
        for k in 0..<config.blocks {
            shapes[dwName(k)] = [h, 9]
            shapes[dwBiasName(k)] = [h]
            if k < config.blocks - 1 { shapes[mixName(k)] = [h, h]; shapes[mixBiasName(k)] = [h] }
        }
        return shapes
    }

    /// A head with small random weights from a seeded generator.
    public init(config: HeadConfig, seed: UInt64 = 0) {
        self.config = config
        var rng = SplitMix64(seed: seed)
        let (d, h, e) = (config.inputDim, config.hiddenDim, config.embedDim)
        func uniform(_ shape: [Int], bound: Float) -> Tensor {
            Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in rng.uniform(-bound, bound) })
        }
        parameters = [
            "w1": uniform([h, d], bound: 1 / Float(d).squareRoot()), "b1": Tensor(shape: [h]),
            "dw": uniform([h, 9], bound: 1.0 / 3), "dwBias": Tensor(shape: [h]),
            "wObject": uniform([e, h], bound: 1 / Float(h).squareRoot()), "bObject": Tensor(shape: [e]),
            "wPart": uniform([e, h], bound: 1 / Float(h).squareRoot()), "bPart": Tensor(shape: [e]),
            "backgroundObject": uniform([e], bound: 1), "backgroundPart": uniform([e], bound: 1),
            "logScale": Tensor(shape: [1], data: [Float(log(10.0))]),
        ]
        // Drawn after the one-block parameters, so a one-block head is initialised as before.
        for k in 1..<max(1, config.blocks) {
            parameters[Self.mixName(k - 1)] = uniform([h, h], bound: 1 / Float(h).squareRoot())
            parameters[Self.mixBiasName(k - 1)] = Tensor(shape: [h])
            parameters[Self.dwName(k)] = uniform([h, 9], bound: 1.0 / 3)
            parameters[Self.dwBiasName(k)] = Tensor(shape: [h])
        }
    }

    /// A head from stored parameters; throws when a name or shape is missing or wrong.
    public init(config: HeadConfig, parameters: [String: Tensor]) throws {
        for (name, shape) in Self.shapes(config).sorted(by: { $0.key < $1.key }) {
            guard let t = parameters[name] else { throw SegmenterError.badCheckpoint("missing parameter \(name)") }
            guard t.shape == shape else {
                throw SegmenterError.badCheckpoint("\(name) has shape \(t.shape), expected \(shape)")
            }
        }
        self.config = config
        self.parameters = parameters
    }

    func p(_ name: String) -> Tensor { parameters[name]! }
}

/// Errors of the segmenter: bad checkpoints, vocabularies and inputs.
public enum SegmenterError: Error, CustomStringConvertible {
    case badCheckpoint(String)
    case badVocabulary(String)
    case badInput(String)

    public var description: String {
        switch self {
        case let .badCheckpoint(m): "segmenter checkpoint: \(m)"
        case let .badVocabulary(m): "vocabulary: \(m)"
        case let .badInput(m): "segmenter input: \(m)"
        }
    }
}
