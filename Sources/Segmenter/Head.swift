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

    public init(inputDim: Int, hiddenDim: Int = 256, embedDim: Int = 384) {
        self.inputDim = inputDim
        self.hiddenDim = hiddenDim
        self.embedDim = embedDim
    }
}

/// The trainable part of the open-vocabulary segmenter (DESIGN.md, "The segmenter").
///
/// Per patch: `x → GELU(x·W1ᵀ + b1) = a`, a depthwise 3×3 block with residual
/// `b = a + dw3x3(a) + dwBias`, then two projections into the text space, one for the object
/// vocabulary and one for the part vocabulary. Logits are `exp(logScale)` times the cosine
/// between a patch's embedding and each class's text embedding; class 0 of either vocabulary
/// is a learned "background"/"no part" embedding, so any vocabulary can be plugged in at run
/// time. Forward and backward are written side by side (llm.c style) and checked against
/// finite differences.
public struct SegmenterHead: Sendable {
    public let config: HeadConfig
    /// Parameters by name, in PyTorch layout (`Linear.weight` is `[out, in]`).
    public var parameters: [String: Tensor]

    /// The parameter names in a fixed order (for optimisers and checkpoints).
    public static let parameterNames = ["w1", "b1", "dw", "dwBias", "wObject", "bObject", "wPart", "bPart",
                                        "backgroundObject", "backgroundPart", "logScale"]

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
    }

    /// A head from stored parameters; throws when a name or shape is missing or wrong.
    public init(config: HeadConfig, parameters: [String: Tensor]) throws {
        let (d, h, e) = (config.inputDim, config.hiddenDim, config.embedDim)
        let expected: [String: [Int]] = [
            "w1": [h, d], "b1": [h], "dw": [h, 9], "dwBias": [h], "wObject": [e, h], "bObject": [e],
            "wPart": [e, h], "bPart": [e], "backgroundObject": [e], "backgroundPart": [e], "logScale": [1],
        ]
        for (name, shape) in expected {
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
