import ArgumentParser
import Features
import Foundation
import Parsing
import Store

/// `vlpart features cache`: CLS tokens, descriptors and saliency of every object, computed once.
struct FeaturesCache: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Compute and keep every object's CLS token, descriptor grid and saliency.",
        discussion: """
        Each object's box is cropped, resized to --size × --size and run through the ViT once. \
        CLS tokens go to the store (for retrieval and taxonomy proposals); descriptor grids \
        (float16) and saliency go to <store>.features/ beside it. Objects already cached for \
        the same model and settings are skipped, so an interrupted run resumes.
        Example (VLPart's setting for DINO ViT-S/8): \
        vlpart features cache --model dino_deitsmall8_pretrain.pth --stride 4 --layer 11 \
        --saliency-heads 0,2,4,5
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var features: FeatureModelOptions
    @Option(help: "Only this dataset's objects (default: every dataset).")
    var dataset: String?

    func run() throws {
        let store = try self.store.open()
        let builder = try features.builder(store: store)
        let cache = builder.cache
        let objects = try store.objects(dataset: dataset)
        let progress = ProgressReporter("features", unit: "obj")
        let (computed, cached) = try builder.run(objects: objects) { progress.update($0, of: $1) }
        print("\(objects.count) objects: \(computed) computed, \(cached) already cached (model \(cache.modelSHA.prefix(12)), \(cache.settings.key))")
        print("cache: \(cache.directory.path)")
    }
}

/// The file whose hash identifies a model: the checkpoint itself, or `model.safetensors` in a directory.
func checkpointFile(_ path: String) -> String {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        return URL(fileURLWithPath: path).appendingPathComponent("model.safetensors").path
    }
    return path
}

/// `0,2,4,5` → `[0, 2, 4, 5]`; `nil` or empty → all heads (`[]`).
func parseHeads(_ text: String?) throws -> [Int] {
    guard let text, !text.isEmpty else { return [] }
    return try text.split(separator: ",").map {
        guard let h = Int($0.trimmingCharacters(in: .whitespaces)), h >= 0 else {
            throw ValidationError("--saliency-heads takes comma-separated head indices, got '\(text)'")
        }
        return h
    }
}
