import Foundation
import Testing
import TestSupport
import Tensor
@testable import Features

private let needsModel = Testing.ConditionTrait.enabled(if: TextFixtures.modelDirectory != nil,
                                                        Comment(rawValue: TextFixtures.skipMessage))

private func row(_ t: Tensor, _ i: Int) -> [Float] {
    Array(t.data[(i * t.shape[1])..<((i + 1) * t.shape[1])])
}

/// checkpoints.md §5.5, from sentence-transformers 6.2.0 on CPU.
@Test(needsModel) func workedExampleMatchesTheReference() throws {
    let encoder = try #require(TextFixtures.encoder)
    #expect(encoder.dimension == 384)
    #expect(encoder.tokenizer.maxSequenceLength == 256)
    let ids: [Int32] = [101, 1037, 6302, 1997, 1037, 3899, 1005, 1055, 2187, 4540, 1012, 102]

    // Debug anchors: last hidden state of tokens 0 and 11, and the mean before normalising.
    let hidden = encoder.encoder.hiddenStates(ids: ids, lengths: [ids.count])
    expectClose(Array(hidden.data[0..<4]), [0.044883, 0.285095, 0.335345, 0.013077], atol: 2e-5, rtol: 0,
                label: "last hidden, token 0")
    expectClose(Array(hidden.data[(11 * 384)..<(11 * 384 + 4)]), [0.038309, 0.439489, 0.194441, 0.154523],
                atol: 2e-5, rtol: 0, label: "last hidden, token 11")
    var mean = [Float](repeating: 0, count: 384)
    for t in 0..<12 { for c in 0..<384 { mean[c] += hidden.data[t * 384 + c] / 12 } }
    expectClose(Array(mean[0..<8]), [-0.0973767, 0.3272488, 0.1293831, 0.2376318, 0.0313105, 0.0133116, 0.3664925, -0.0619500],
                atol: 2e-6, rtol: 0, label: "mean-pooled")
    let meanNorm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
    #expect(abs(meanNorm - 5.452965) < 1e-4)

    // The normalised embedding (tolerance: float32 reductions in a different order, 1e-6).
    let e = encoder.embedding(of: "a photo of a dog's left ear.")
    expectClose(Array(e[0..<8]), [-0.017857574, 0.060013000, 0.023727102, 0.043578457, 0.005741925, 0.002441176,
                                  0.067209773, -0.011360789], atol: 1e-6, rtol: 0, label: "embedding[0:8]")
    expectClose(Array(e[380..<384]), [-0.033939350, 0.081310660, -0.009078532, 0.148356959], atol: 1e-6, rtol: 0,
                label: "embedding[380:384]")
    #expect(e.indices.max { e[$0] < e[$1] } == 366)
    #expect(e.indices.min { e[$0] < e[$1] } == 280)
    #expect(abs(e[366] - 0.177245) < 1e-5 && abs(e[280] + 0.145752) < 1e-5)
    #expect(abs(e.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    #expect(abs(cosine(e, encoder.embedding(of: "dog ear")) - 0.7319087) < 1e-5)
}

@Test(needsModel) func everyFixturePhraseMatchesSentenceTransformers() throws {
    let encoder = try #require(TextFixtures.encoder)
    let fixtures = try TextFixtures.embeddings()
    TextFixtures.checkModelMatchesFixtures(fixtures.manifest, model: encoder.modelDirectory)
    let ours = encoder.embed(fixtures.texts)
    #expect(ours.shape == [fixtures.texts.count, 384])
    var worst = 1.0
    for (i, text) in fixtures.texts.enumerated() {
        let c = cosine(row(ours, i), fixtures.embeddings[i])
        worst = min(worst, c)
        #expect(c >= 0.9999, "cosine \(c) for \(text.debugDescription)")
        expectClose(row(ours, i), fixtures.embeddings[i], atol: 1e-5, rtol: 0, label: text.debugDescription)
    }
    print("text encoder: worst cosine vs sentence-transformers over \(fixtures.texts.count) phrases = \(worst)")
}

@Test(needsModel) func batchingAndOrderDoNotChangeEmbeddings() throws {
    var encoder = try #require(TextFixtures.encoder)
    let phrases = ["dog head", "", "a photo of a dog's left ear.", "wheel", "dog leg", "the tail of a cat"]
    let together = encoder.embed(phrases)
    encoder.tokensPerBatch = 5                      // forces one sequence per forward pass
    let apart = encoder.embed(phrases)
    for i in phrases.indices {
        expectClose(row(together, i), row(apart, i), atol: 1e-6, rtol: 0, label: phrases[i])
        expectClose(row(together, i), encoder.embedding(of: phrases[i]), atol: 1e-6, rtol: 0, label: phrases[i])
    }
    #expect(encoder.embed([]).shape == [0, 384])
}

@Test(needsModel) func categoryNamesArePromptEnsembled() throws {
    let encoder = try #require(TextFixtures.encoder)
    let templates = try PromptTemplates(["a photo of a {}.", "{}"])
    let names = ["car_(automobile):wheel", "dog:head"]
    let table = encoder.embedCategoryNames(names, templates: templates)
    #expect(table.shape == [2, 384])
    for (i, name) in names.enumerated() {
        let prompts = encoder.embed(templates.prompts(for: name))
        var mean = [Float](repeating: 0, count: 384)
        for c in 0..<384 { mean[c] = (prompts.data[c] + prompts.data[384 + c]) / 2 }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        expectClose(row(table, i), mean.map { $0 / norm }, atol: 1e-6, rtol: 0, label: name)
    }
    // Readable names land near their plain-text meaning.
    let wheel = encoder.embedding(of: "wheel of a car")
    let plain = encoder.embedCategoryNames(names, templates: .plain)
    expectClose(row(plain, 0), wheel, atol: 1e-6, rtol: 0, label: "plain template")
}

@Test func badModelDirectoriesAreReportedWithTheFile() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(throws: TextEncoderError.missingFile(directory: dir.path, file: "config.json")) {
        try TextEncoder(modelDirectory: dir)
    }
    for file in TextModelLocator.requiredFiles {
        try Data("{}".utf8).write(to: dir.appendingPathComponent(file))
    }
    do {
        _ = try TextEncoder(modelDirectory: dir)
        Issue.record("expected an error for an empty config")
    } catch let error as TextEncoderError {
        #expect(error.description.hasPrefix(dir.appendingPathComponent("config.json").path))
    }
}
