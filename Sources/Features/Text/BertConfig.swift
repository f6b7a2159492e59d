import Foundation

/// The fields of a HuggingFace BERT `config.json` the encoder needs (all-MiniLM-L6-v2:
/// 384 wide, 6 layers, 12 heads of 32, MLP 1536, exact GELU, layer-norm eps 1e-12).
public struct BertConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var vocabularySize: Int
    public var tokenTypes: Int
    public var layerNormEps: Float

    /// Width of one attention head.
    public var headDim: Int { hiddenSize / heads }

    public init(hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int, maxPositions: Int,
                vocabularySize: Int, tokenTypes: Int, layerNormEps: Float) {
        precondition(heads > 0 && hiddenSize % heads == 0, "hidden size \(hiddenSize) is not a multiple of \(heads) heads")
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.vocabularySize = vocabularySize
        self.tokenTypes = tokenTypes
        self.layerNormEps = layerNormEps
    }

    /// Reads and checks `config.json`.
    /// - Throws: `TextEncoderError.unreadable` for a missing or malformed file;
    ///   `.unsupportedConfig` for anything but an absolute-position BERT with exact GELU.
    public init(contentsOfFile path: String) throws {
        struct Raw: Decodable {
            var hidden_size: Int
            var num_hidden_layers: Int
            var num_attention_heads: Int
            var intermediate_size: Int
            var max_position_embeddings: Int
            var vocab_size: Int
            var type_vocab_size: Int?
            var layer_norm_eps: Double?
            var hidden_act: String?
            var position_embedding_type: String?
            var model_type: String?
        }
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as DecodingError {
            throw TextEncoderError.unreadable(path: path, reason: "not a BERT config: \(Self.describe(error))")
        } catch {
            throw TextEncoderError.unreadable(path: path, reason: error.localizedDescription)
        }
        func unsupported(_ reason: String) -> TextEncoderError { .unsupportedConfig(path: path, reason: reason) }
        if let type = raw.model_type, type != "bert" { throw unsupported("model_type \"\(type)\" is not \"bert\"") }
        if let act = raw.hidden_act, act != "gelu" { throw unsupported("hidden_act \"\(act)\" (only exact \"gelu\" is implemented)") }
        if let pos = raw.position_embedding_type, pos != "absolute" { throw unsupported("position_embedding_type \"\(pos)\"") }
        guard raw.hidden_size > 0, raw.num_attention_heads > 0, raw.hidden_size % raw.num_attention_heads == 0 else {
            throw unsupported("hidden_size \(raw.hidden_size) is not a positive multiple of \(raw.num_attention_heads) heads")
        }
        guard raw.num_hidden_layers > 0, raw.intermediate_size > 0, raw.max_position_embeddings > 1, raw.vocab_size > 0 else {
            throw unsupported("non-positive layer count, MLP width, position count or vocabulary size")
        }
        self.init(hiddenSize: raw.hidden_size, layers: raw.num_hidden_layers, heads: raw.num_attention_heads,
                  intermediateSize: raw.intermediate_size, maxPositions: raw.max_position_embeddings,
                  vocabularySize: raw.vocab_size, tokenTypes: raw.type_vocab_size ?? 2,
                  layerNormEps: Float(raw.layer_norm_eps ?? 1e-12))
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): "missing \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted: "invalid JSON"
        @unknown default: "invalid JSON"
        }
    }
}
