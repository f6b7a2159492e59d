import Foundation
import Testing
import TestSupport
@testable import Features

/// A hand-made vocabulary: ids are the positions in this list.
private let tinyVocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                              "un", "##aff", "##able", "aff", "able", "!", "dog", "##s", "a", "##a", "é", "中"]

@Test func greedyLongestMatchFirstWithContinuations() throws {
    let tokenizer = try WordPieceTokenizer(tokens: tinyVocabulary)
    #expect(tokenizer.encode("unaffable dogs!") == [2, 5, 6, 7, 11, 12, 10, 3])
    // No piece matches "x" → the whole word is [UNK], not just the tail.
    #expect(tokenizer.encode("unaffx dog") == [2, 1, 11, 3])
    #expect(tokenizer.encode("") == [2, 3])
    #expect(tokenizer.tokenize("Dogs!") == ["dog", "##s", "!"])
}

@Test func wordsOverOneHundredCodePointsAreUnknown() throws {
    let tokenizer = try WordPieceTokenizer(tokens: tinyVocabulary)
    #expect(tokenizer.encode(String(repeating: "a", count: 100)).count == 2 + 100)
    #expect(tokenizer.encode(String(repeating: "a", count: 101)) == [2, 1, 3])
    // 100 code points that are 200 UTF-16 units / 1 grapheme each: counted as code points.
    let accented = String(repeating: "a\u{0301}", count: 60)   // NFD strip leaves 60 "a"s
    #expect(tokenizer.encode(accented).count == 2 + 60)
}

@Test func truncatesToTheMaximumSequenceLength() throws {
    let tokenizer = try WordPieceTokenizer(tokens: tinyVocabulary, maxSequenceLength: 5)
    #expect(tokenizer.encode("dog dog dog dog dog") == [2, 11, 11, 11, 3])
}

@Test func literalSpecialTokensAreMatchedBeforeNormalisation() throws {
    #expect(WordPieceTokenizer.splitSpecialTokens("a[CLS]b [cls] [MASK]") ==
            [.text("a"), .special("[CLS]"), .text("b [cls] "), .special("[MASK]")])
    let tokenizer = try WordPieceTokenizer(tokens: tinyVocabulary)
    #expect(tokenizer.encode("[UNK]dog") == [2, 1, 11, 3])
}

@Test func missingSpecialTokenIsAnError() {
    #expect(throws: TextEncoderError.self) { try WordPieceTokenizer(tokens: ["a", "b"], source: "v.txt") }
    #expect(throws: TextEncoderError.self) { try WordPieceTokenizer(vocabularyFile: "/nonexistent/vocab.txt") }
}

@Test func normaliserCleansSplitsAndLowercases() {
    #expect(BertNormalizer.words("Café  déjà-vu!") == ["cafe", "deja", "-", "vu", "!"])
    #expect(BertNormalizer.words("ΣΊΣΥΦΟΣ") == ["σισυφοσ"])
    #expect(BertNormalizer.words("a\u{00AD}b\u{200B}c\u{E000}d\tE") == ["abcd", "e"])
    #expect(BertNormalizer.words("中文 かな") == ["中", "文", "かな"])
    #expect(BertNormalizer.words("5€ 😀 $5") == ["5€", "😀", "$", "5"])
    // Categories newer than Unicode 8.0 are letters to the reference tables.
    #expect(BertNormalizer.words("a\u{08D4}b a\u{2E43}b a\u{0890}b") == ["a\u{08D4}b", "a\u{2E43}b", "a\u{0890}b"])
}

@Test(.enabled(if: TextFixtures.modelDirectory != nil, Comment(rawValue: TextFixtures.skipMessage)))
func tokenIDsMatchSentenceTransformersForEveryFixturePhrase() throws {
    let model = try #require(TextFixtures.modelDirectory)
    let fixtures = try TextFixtures.tokens()
    TextFixtures.checkModelMatchesFixtures(fixtures.manifest, model: model)
    let tokenizer = try WordPieceTokenizer(vocabularyFile: model.appendingPathComponent("vocab.txt").path,
                                           maxSequenceLength: fixtures.manifest.max_seq_length)
    #expect(tokenizer.vocabulary.count == 30522)
    #expect(fixtures.phrases.count >= 25)
    for phrase in fixtures.phrases {
        let ids = tokenizer.encode(phrase.text)
        #expect(ids == phrase.ids, "token ids differ for \(phrase.text.debugDescription): \(tokenizer.tokenize(phrase.text))")
    }
}

@Test(.enabled(if: TextFixtures.modelDirectory != nil, Comment(rawValue: TextFixtures.skipMessage)))
func workedExampleTokens() throws {
    let model = try #require(TextFixtures.modelDirectory)
    let tokenizer = try WordPieceTokenizer(vocabularyFile: model.appendingPathComponent("vocab.txt").path)
    #expect(tokenizer.encode("a photo of a dog's left ear.") ==
            [101, 1037, 6302, 1997, 1037, 3899, 1005, 1055, 2187, 4540, 1012, 102])
    #expect(tokenizer.tokenize("a photo of a dog's left ear.") ==
            ["a", "photo", "of", "a", "dog", "'", "s", "left", "ear", "."])
}
