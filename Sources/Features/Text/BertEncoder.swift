import Foundation
import Tensor

/// HuggingFace `BertModel` (post-LN) with sentence-transformers mean pooling and L2
/// normalisation: the all-MiniLM-L6-v2 forward pass of checkpoints.md §5.4.
///
/// ```
/// x = LN(word[ids] + pos[0..<L] + type[0])                      # [L, D]
/// per layer:  x = LN(x + Wo·attention(q, k, v))                 # q,k,v = x·Wᵀ+b, heads of D/heads
///             x = LN(x + W2·GELU(W1·x + b1) + b2)
/// sentence = mean of x over all real tokens ([CLS] and [SEP] included), then / ‖·‖₂
/// ```
///
/// Batching packs several sequences into one `[tokens, D]` buffer with no padding: the dense
/// layers are row-wise, so they run on all tokens at once, and attention runs per group of
/// equal-length sequences (the batch is sorted by length). This computes exactly what the
/// padded batch with a key mask computes — masked keys get weight `exp(−∞) = 0` there — without
/// spending work on padding.
public struct BertEncoder: Sendable {
    public let config: BertConfig
    let wordEmbeddings: Tensor          // [vocab, D]
    let positionEmbeddings: Tensor      // [maxPositions, D]
    let tokenTypeEmbedding: [Float]     // row 0 of [types, D]: single-segment input
    let embeddingNorm: (weight: Tensor, bias: Tensor)
    let layers: [BertLayer]

    /// One post-LN transformer layer; q, k and v are fused into one `[3D, D]` projection.
    struct BertLayer: Sendable {
        var qkvWeight: Tensor, qkvBias: Tensor          // [3D, D], [3D]
        var outputWeight: Tensor, outputBias: Tensor    // [D, D], [D]
        var attentionNorm: (weight: Tensor, bias: Tensor)
        var upWeight: Tensor, upBias: Tensor            // [I, D], [I]
        var downWeight: Tensor, downBias: Tensor        // [D, I], [D]
        var outputNorm: (weight: Tensor, bias: Tensor)
    }

    /// Keys the sentence-transformers pipeline does not use: the position-id buffer and the pooler.
    static let ignoredKeys: Set<String> = ["embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"]

    /// Builds the encoder from a HuggingFace BERT state dict (classic key names, optional `bert.` prefix).
    ///
    /// - Parameters:
    ///   - weights: name → tensor, as read from `model.safetensors`.
    ///   - path: the weights file, for error messages.
    /// - Throws: `TextEncoderError.badWeight` for a missing key or a wrong shape, and for any key
    ///   that is neither used nor one of the pooler / `position_ids` entries.
    public init(config: BertConfig, weights: [String: Tensor], path: String) throws {
        self.config = config
        let d = config.hiddenSize, inner = config.intermediateSize
        var remaining: [String: Tensor] = [:]
        for (key, value) in weights {
            remaining[key.hasPrefix("bert.") ? String(key.dropFirst(5)) : key] = value
        }
        func take(_ key: String, _ shape: [Int]) throws -> Tensor {
            guard let tensor = remaining.removeValue(forKey: key) else {
                throw TextEncoderError.badWeight(path: path, key: key, reason: "missing")
            }
            guard tensor.shape == shape else {
                throw TextEncoderError.badWeight(path: path, key: key, reason: "shape \(tensor.shape), expected \(shape)")
            }
            return tensor
        }
        wordEmbeddings = try take("embeddings.word_embeddings.weight", [config.vocabularySize, d])
        positionEmbeddings = try take("embeddings.position_embeddings.weight", [config.maxPositions, d])
        tokenTypeEmbedding = Array(try take("embeddings.token_type_embeddings.weight", [config.tokenTypes, d]).data.prefix(d))
        embeddingNorm = (try take("embeddings.LayerNorm.weight", [d]), try take("embeddings.LayerNorm.bias", [d]))
        var layers: [BertLayer] = []
        for i in 0..<config.layers {
            let p = "encoder.layer.\(i)."
            let q = try take(p + "attention.self.query.weight", [d, d]), qb = try take(p + "attention.self.query.bias", [d])
            let k = try take(p + "attention.self.key.weight", [d, d]), kb = try take(p + "attention.self.key.bias", [d])
            let v = try take(p + "attention.self.value.weight", [d, d]), vb = try take(p + "attention.self.value.bias", [d])
            layers.append(BertLayer(
                qkvWeight: Tensor(shape: [3 * d, d], data: q.data + k.data + v.data),
                qkvBias: Tensor(shape: [3 * d], data: qb.data + kb.data + vb.data),
                outputWeight: try take(p + "attention.output.dense.weight", [d, d]),
                outputBias: try take(p + "attention.output.dense.bias", [d]),
                attentionNorm: (try take(p + "attention.output.LayerNorm.weight", [d]),
                                try take(p + "attention.output.LayerNorm.bias", [d])),
                upWeight: try take(p + "intermediate.dense.weight", [inner, d]),
                upBias: try take(p + "intermediate.dense.bias", [inner]),
                downWeight: try take(p + "output.dense.weight", [d, inner]),
                downBias: try take(p + "output.dense.bias", [d]),
                outputNorm: (try take(p + "output.LayerNorm.weight", [d]), try take(p + "output.LayerNorm.bias", [d]))))
        }
        self.layers = layers
        let unused = remaining.keys.filter { !Self.ignoredKeys.contains($0) }.sorted()
        if let first = unused.first {
            throw TextEncoderError.badWeight(path: path, key: first,
                                             reason: "matches no BERT parameter (\(unused.count) such keys)")
        }
    }

    /// Last hidden states of sequences packed back to back.
    ///
    /// - Parameters:
    ///   - ids: token ids of all sequences concatenated, each below `config.vocabularySize`.
    ///   - lengths: the sequences' lengths, in packing order, each in `1...config.maxPositions`;
    ///     equal lengths must be adjacent for batching to pay off (any order is correct).
    /// - Returns: `[ids.count, hiddenSize]`.
    public func hiddenStates(ids: [Int32], lengths: [Int]) -> Tensor {
        precondition(lengths.reduce(0, +) == ids.count, "lengths \(lengths.reduce(0, +)) do not cover \(ids.count) ids")
        let d = config.hiddenSize
        var x = embed(ids: ids, lengths: lengths)                                  // [T, D]
        layerNorm(&x, weight: embeddingNorm.weight, bias: embeddingNorm.bias, eps: config.layerNormEps)
        for layer in layers {
            let qkv = linear(x, weight: layer.qkvWeight, bias: layer.qkvBias)      // [T, 3D]
            var context = Tensor(shape: [ids.count, d], repeating: 0)              // [T, D]
            selfAttention(qkv: qkv, lengths: lengths, into: &context)
            var attended = linear(context, weight: layer.outputWeight, bias: layer.outputBias)
            addInPlace(&attended, x)
            layerNorm(&attended, weight: layer.attentionNorm.weight, bias: layer.attentionNorm.bias, eps: config.layerNormEps)
            var hidden = linear(attended, weight: layer.upWeight, bias: layer.upBias)   // [T, I]
            geluErf(&hidden)
            var out = linear(hidden, weight: layer.downWeight, bias: layer.downBias)    // [T, D]
            addInPlace(&out, attended)
            layerNorm(&out, weight: layer.outputNorm.weight, bias: layer.outputNorm.bias, eps: config.layerNormEps)
            x = out
        }
        return x
    }

    /// Sentence embeddings: the mean of each sequence's hidden states, L2-normalised.
    /// - Returns: `[lengths.count, hiddenSize]`, rows in the order of `lengths`.
    public func sentenceEmbeddings(ids: [Int32], lengths: [Int]) -> Tensor {
        let d = config.hiddenSize
        let hidden = hiddenStates(ids: ids, lengths: lengths)
        var pooled = [Float](repeating: 0, count: lengths.count * d)
        var start = 0
        for (s, length) in lengths.enumerated() {
            var row = [Float](repeating: 0, count: d)
            for t in start..<(start + length) {
                for c in 0..<d { row[c] += hidden.data[t * d + c] }
            }
            let inverseLength = 1 / Float(max(length, 1))
            var squares: Float = 0
            for c in 0..<d {
                row[c] *= inverseLength
                squares += row[c] * row[c]
            }
            let scale = 1 / max(squares.squareRoot(), 1e-12)          // F.normalize
            for c in 0..<d { pooled[s * d + c] = row[c] * scale }
            start += length
        }
        return Tensor(shape: [lengths.count, d], data: pooled)
    }

    /// `word[id] + pos[position in its sequence] + type[0]` for every packed token.
    func embed(ids: [Int32], lengths: [Int]) -> Tensor {
        let d = config.hiddenSize
        var out = [Float](repeating: 0, count: ids.count * d)
        var t = 0
        for length in lengths {
            precondition(length >= 1 && length <= config.maxPositions,
                         "sequence length \(length) outside 1...\(config.maxPositions)")
            for position in 0..<length {
                let id = Int(ids[t])
                precondition(id >= 0 && id < config.vocabularySize, "token id \(id) outside the vocabulary of \(config.vocabularySize)")
                let w = id * d, p = position * d, o = t * d
                for c in 0..<d {
                    out[o + c] = wordEmbeddings.data[w + c] + positionEmbeddings.data[p + c] + tokenTypeEmbedding[c]
                }
                t += 1
            }
        }
        return Tensor(shape: [ids.count, d], data: out)
    }

    /// Multi-head attention of each packed sequence over its own tokens, one `attention` call per
    /// run of equal-length sequences.
    func selfAttention(qkv: Tensor, lengths: [Int], into context: inout Tensor) {
        let d = config.hiddenSize
        qkv.data.withUnsafeBufferPointer { qkvBuffer in
            context.data.withUnsafeMutableBufferPointer { outBuffer in
                let qkvBase = qkvBuffer.baseAddress!, outBase = outBuffer.baseAddress!
                var row = 0, s = 0
                while s < lengths.count {
                    let length = lengths[s]
                    var count = 1
                    while s + count < lengths.count && lengths[s + count] == length { count += 1 }
                    let operands = AttentionOperands.fused(qkv: qkvBase + row * 3 * d, out: outBase + row * d,
                                                           tokens: length, dim: d)
                    attention(operands, batch: count, tokens: length, heads: config.heads, headDim: config.headDim)
                    row += count * length
                    s += count
                }
            }
        }
    }

    private func addInPlace(_ x: inout Tensor, _ y: Tensor) {
        precondition(x.shape == y.shape, "residual shapes \(x.shape) and \(y.shape) differ")
        x.data.withUnsafeMutableBufferPointer { xp in
            y.data.withUnsafeBufferPointer { yp in
                for i in 0..<xp.count { xp[i] += yp[i] }
            }
        }
    }
}
