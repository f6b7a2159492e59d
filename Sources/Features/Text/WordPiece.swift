import Foundation

/// BERT's uncased WordPiece tokenizer, exactly as sentence-transformers feeds all-MiniLM-L6-v2
/// (checkpoints.md §5.3): `BertNormalizer` words, greedy longest-match-first pieces with `##`
/// continuations, `[CLS] … [SEP]`, truncation to the model's maximum sequence length.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyFile: dir + "/vocab.txt")
/// tokenizer.encode("a photo of a dog's left ear.")
/// // [101, 1037, 6302, 1997, 1037, 3899, 1005, 1055, 2187, 4540, 1012, 102]
/// ```
///
/// The special tokens `[CLS] [SEP] [PAD] [UNK] [MASK]`, typed in the text with exactly that
/// case, are matched before normalisation and become their own ids, as the HuggingFace
/// tokenizer does; `[cls]` is ordinary text.
public struct WordPieceTokenizer: Sendable {
    /// Token → id (the line number in `vocab.txt`).
    public let vocabulary: [String: Int32]
    /// Longest sequence `encode` returns, specials included (256 for all-MiniLM-L6-v2).
    public var maxSequenceLength: Int
    /// Words longer than this many code points become `[UNK]` without being split.
    public var maxInputCharactersPerWord = 100

    public let padID: Int32, unknownID: Int32, classID: Int32, separatorID: Int32, maskID: Int32

    /// Builds a tokenizer from the vocabulary in id order.
    /// - Throws: `TextEncoderError.unreadable` when a special token is missing, naming `source`.
    public init(tokens: [String], maxSequenceLength: Int = 256, source: String = "<vocabulary>") throws {
        precondition(maxSequenceLength >= 2, "maxSequenceLength \(maxSequenceLength) leaves no room for [CLS] and [SEP]")
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() where vocabulary[token] == nil {
            vocabulary[token] = Int32(id)
        }
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary[token] else {
                throw TextEncoderError.unreadable(path: source, reason: "the vocabulary has no \(token) token")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.maxSequenceLength = maxSequenceLength
        padID = try special("[PAD]")
        unknownID = try special("[UNK]")
        classID = try special("[CLS]")
        separatorID = try special("[SEP]")
        maskID = try special("[MASK]")
    }

    /// Reads `vocab.txt`: one token per line, the line index is the id.
    /// - Throws: `TextEncoderError.unreadable` when the file cannot be read, is not UTF-8, or
    ///   lacks the special tokens.
    public init(vocabularyFile path: String, maxSequenceLength: Int = 256) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TextEncoderError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextEncoderError.unreadable(path: path, reason: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw TextEncoderError.unreadable(path: path, reason: "empty vocabulary") }
        try self.init(tokens: lines, maxSequenceLength: maxSequenceLength, source: path)
    }

    /// Token ids for `text`: `[CLS]`, at most `maxSequenceLength − 2` word pieces, `[SEP]`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classID]
        let budget = maxSequenceLength - 2
        outer: for segment in Self.splitSpecialTokens(text) {
            let pieces: [Int32]
            switch segment {
            case let .special(token): pieces = [vocabulary[token] ?? unknownID]
            case let .text(chunk): pieces = BertNormalizer.words(chunk).flatMap { wordPieceIDs($0) }
            }
            for id in pieces {
                if ids.count - 1 == budget { break outer }
                ids.append(id)
            }
        }
        ids.append(separatorID)
        return ids
    }

    /// Word pieces of `text` as strings (no `[CLS]`/`[SEP]`, no truncation); for inspection.
    public func tokenize(_ text: String) -> [String] {
        var reverse: [Int32: String] = [:]
        for (token, id) in vocabulary { reverse[id] = token }
        return encode(text).dropFirst().dropLast().map { reverse[$0] ?? "[UNK]" }
    }

    /// Greedy longest-match-first pieces of one normalised word; the whole word is `[UNK]`
    /// when it is too long or some position matches no piece.
    func wordPieceIDs(_ word: String) -> [Int32] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maxInputCharactersPerWord { return [unknownID] }
        var ids: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var candidate = String.UnicodeScalarView()
                if start > 0 { candidate.append(contentsOf: "##".unicodeScalars) }
                candidate.append(contentsOf: scalars[start..<end])
                if let id = vocabulary[String(candidate)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            ids.append(id)
            start = end
        }
        return ids
    }

    /// A run of ordinary text or one special token typed literally.
    enum Segment: Equatable {
        case text(String)
        case special(String)
    }

    static let specialTokens = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]

    /// Splits `text` around exact occurrences of the special tokens (leftmost match first).
    static func splitSpecialTokens(_ text: String) -> [Segment] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains("[") else { return [.text(text)] }
        let specials = specialTokens.map { Array($0.unicodeScalars) }
        var segments: [Segment] = []
        var chunkStart = 0, i = 0
        while i < scalars.count {
            if scalars[i] == "[",
               let match = specials.first(where: { i + $0.count <= scalars.count && Array(scalars[i..<(i + $0.count)]) == $0 }) {
                if chunkStart < i { segments.append(.text(String(String.UnicodeScalarView(scalars[chunkStart..<i])))) }
                segments.append(.special(String(String.UnicodeScalarView(match))))
                i += match.count
                chunkStart = i
            } else {
                i += 1
            }
        }
        if chunkStart < scalars.count {
            segments.append(.text(String(String.UnicodeScalarView(scalars[chunkStart..<scalars.count]))))
        }
        return segments
    }
}
