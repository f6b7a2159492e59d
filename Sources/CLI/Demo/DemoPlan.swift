import Foundation

/// The sizes and settings of one demo run. `quick` trades accuracy for a run of about a
/// minute (smoke tests, CI); the default is the benchmark the README reports.
struct DemoPlan: Sendable {
    var seed: UInt64
    var quick: Bool
    /// Scene images of the benchmark (a quarter are target scenes).
    var scenes: Int
    /// Class-folder images per novel category (the saliency path).
    var folderImages: Int
    /// Scene images of the held-out test set the segmenters are scored on (seed + 1000).
    var testScenes: Int
    /// Side of the object crops the parser's features are computed on.
    var parseSize: Int
    /// Patch-embedding stride for the parser's features (`nil`: the patch size). Stride 4 on the
    /// nano ViT's 8-px patches doubles the grid, as VLPart does with ViT-S/8.
    var parseStride: Int?
    /// Side of the whole images the segmenter's features are computed on.
    var segmentSize: Int
    /// Patch-embedding stride of the segmenter's features (`nil`: the patch size). Stride 4
    /// doubles the grid to 27×27 at 112 px and, on the held-out set, base-part mIoU with it.
    var segmentStride: Int?
    var segmenterEpochs: Int
    /// Epochs when the demo pretrains its own backbone (`--pretrain`, or no shipped checkpoint).
    var pretrainEpochs: Int
    /// Experiment (c): parsed labels at or above this score, as a reviewer accepting the
    /// confident ones would keep.
    var acceptScore: Double
    /// Loss weight of the parsed labels in (b) and (c). VLPart's 0.1 suits its millions of
    /// images; here the parsed novel parts are the only novel signal, and weight 1 gave 14.7
    /// novel mIoU where 0.1 gave 9.9 (PyTorch replica, bench/segmenter/README.md).
    var parsedWeight: Double
    /// Test images segmented by both models for the side-by-side gallery.
    var galleryImages: Int

    init(quick: Bool, seed: UInt64) {
        self.seed = seed
        self.quick = quick
        scenes = quick ? 80 : 300
        folderImages = quick ? 6 : 30
        testScenes = quick ? 24 : 80
        parseSize = 64
        parseStride = quick ? nil : 4
        segmentSize = 112
        segmentStride = quick ? nil : 4
        segmenterEpochs = quick ? 5 : 15
        pretrainEpochs = quick ? 2 : 500
        acceptScore = 0.5
        parsedWeight = 1
        galleryImages = quick ? 2 : 4
    }

    /// The name of the checkpoint shipped in `models/` that the demo uses unless told to retrain.
    static let shippedModel = "models/vlpart-mae-nano-synth.safetensors"

    /// Where the shipped checkpoint is: under the current directory, or next to the source tree
    /// the running binary was built in (`.build/<config>/vlpart` → `models/`).
    static func locateShippedModel(executable: String) -> String? {
        let fm = FileManager.default
        var candidates = [URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(shippedModel)]
        var dir = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent(shippedModel))
        }
        return candidates.first { fm.fileExists(atPath: $0.path) }?.path
    }
}
