import ArgumentParser
import Features
import Foundation
import Imaging
import Tensor

/// `vlpart features …`: DINO ViT feature extraction.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Extract DINO / DINOv2 ViT descriptors, CLS tokens and saliency.",
        discussion: "`features cache` (per-object features into the store) is not available yet.",
        subcommands: [FeaturesExtract.self, FeaturesCache.self]
    )
}

/// `vlpart features extract`: one forward pass, outputs written as `.npy`.
struct FeaturesExtract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Run the ViT on one image and write a facet, CLS tokens and saliency as .npy files.",
        discussion: """
        --model takes a checkpoint file (.safetensors or .pth, DINO/timm or HuggingFace naming) or a \
        HuggingFace directory holding model.safetensors and config.json. Input is --image (PNG/JPEG: \
        RGB, short side resized to --size with antialiased bicubic, long side capped at --max-size, \
        ImageNet mean/std, no crop) or --tensor, a (1,3,H,W) float32 .npy already normalised. \
        Facet output is float32 (patches, dim), CLS row removed, patches in row-major grid order; \
        for --facet attn it is (heads, tokens, tokens). Saliency is (grid_h, grid_w) in [0, 1]. \
        VLPart's parser setting: --stride 4 --layer 11 --facet key --saliency-heads 0,2,4,5 on DINO ViT-S/8.
        """
    )

    @Option(help: "Checkpoint: .safetensors, .pth, or a directory with model.safetensors + config.json.")
    var model: String
    @Option(help: "Attention heads, when neither config.json nor the standard head width 64 gives them.")
    var heads: Int?
    @Option(help: "Input image (PNG or JPEG).")
    var image: String?
    @Option(help: "Input: a (1,3,H,W) float32 .npy, already normalised (bypasses preprocessing).")
    var tensor: String?
    @Option(help: "Short side of the resized --image, pixels.")
    var size: Int = 224
    @Option(help: "Cap on the long side of the resized --image, pixels (default: none).")
    var maxSize: Int?
    @Option(help: "Patch-embedding stride (must divide the patch size; default: the patch size).")
    var stride: Int?
    @Option(help: "Block to read from, 0-based (default: the last).")
    var layer: Int?
    @Option(help: "Facet: token, key, query, value or attn.")
    var facet: String = "key"
    @Option(help: "Where to write the facet .npy.")
    var output: String?
    @Option(help: "Where to write the CLS row of block --layer (before the final norm) as .npy.")
    var clsOutput: String?
    @Option(help: "Where to write the CLS token after the final norm as .npy.")
    var finalClsOutput: String?
    @Option(help: "Where to write the saliency map (grid_h, grid_w) as .npy.")
    var saliencyOutput: String?
    @Option(help: "Comma-separated heads averaged for saliency (default: all).")
    var saliencyHeads: String?

    @OptionGroup var arithmetic: PrecisionOption

    func validate() throws {
        guard (image == nil) != (tensor == nil) else { throw ValidationError("give exactly one of --image or --tensor") }
        guard size > 0, (maxSize ?? 1) > 0 else { throw ValidationError("--size and --max-size must be positive") }
        guard Facet(rawValue: facet) != nil else {
            throw ValidationError("--facet must be one of \(Facet.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let saliencyHeads, parseHeads(saliencyHeads) == nil { throw ValidationError("--saliency-heads must look like 0,2,4,5") }
    }

    func parseHeads(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(where: { $0 == nil }) || parts.isEmpty ? nil : parts.compactMap { $0 }
    }

    func run() throws {
        let extractor = try FeatureExtractor(checkpoint: model, heads: heads).with(precision: arithmetic.resolved())
        let path = image ?? tensor!
        let pixels = try image.map { FeatureExtractor.preprocess(try Image.read(path: $0), size: size, maxLongSide: maxSize) }
            ?? Npy.read(path: path)
        let request = FeatureRequest(layer: layer, facet: output == nil ? nil : Facet(rawValue: facet), stride: stride,
                                     cls: clsOutput != nil, finalCLS: finalClsOutput != nil,
                                     saliencyHeads: saliencyOutput == nil ? nil : (saliencyHeads.flatMap(parseHeads) ?? []))
        let f = try extractor.extract(pixels: pixels, request: request, name: path)
        var written: [String] = []
        for (tensor, file) in [(f.facet, output), (f.cls, clsOutput), (f.finalCLS, finalClsOutput), (f.saliency, saliencyOutput)] {
            if let tensor, let file { try Npy.write(tensor, path: file); written.append("\(file) \(tensor.shape)") }
        }
        print("grid \(f.gridHeight)x\(f.gridWidth); " + (written.isEmpty ? "nothing requested (use --output …)" : "wrote " + written.joined(separator: ", ")))
    }
}
