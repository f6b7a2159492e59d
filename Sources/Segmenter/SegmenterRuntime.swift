import Foundation
import Imaging
import Tensor

/// A trained segmenter ready to run: its model file, its backbone, and optionally a feature
/// cache (what `vlpart segment` and `vlpart eval seg` share).
public struct SegmenterRuntime: Sendable {
    public let model: SegmenterModel
    public let backbone: Backbone
    public let cache: ImageFeatureCache?

    /// Loads `modelPath` and the backbone its metadata names (or `backbonePath` instead), running
    /// the backbone in `precision` (default: the precision it was trained with).
    ///
    /// - Throws: `SegmenterError.badCheckpoint` when the backbone file's SHA-256 differs from the
    ///   one the head was trained on (features would not match), or when a file is unreadable.
    public init(modelPath: String, backbonePath: String? = nil, cacheRoot: URL? = nil, precision: Precision? = nil) throws {
        let model = try SegmenterModel.load(path: modelPath)
        var path = backbonePath ?? model.backbonePath
        if backbonePath == nil, !FileManager.default.fileExists(atPath: path), !path.hasPrefix("/") {
            // A relative path recorded at training time: try it beside the model file.
            path = URL(fileURLWithPath: modelPath).deletingLastPathComponent().appendingPathComponent(path).path
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw SegmenterError.badCheckpoint("\(modelPath): its backbone \(path) does not exist; pass --backbone PATH")
        }
        var settings = model.settings
        if let precision { settings.precision = precision }
        let backbone = try Backbone(path: path, settings: settings)
        guard model.backboneSHA256.isEmpty || backbone.sha256 == model.backboneSHA256 else {
            throw SegmenterError.badCheckpoint(
                "\(modelPath): backbone \(path) has SHA-256 \(backbone.sha256.prefix(12))…, the head was trained on \(model.backboneSHA256.prefix(12))…")
        }
        guard backbone.dim == model.head.config.inputDim else {
            throw SegmenterError.badCheckpoint("\(modelPath): backbone \(path) gives \(backbone.dim)-d features, the head takes \(model.head.config.inputDim)")
        }
        self.model = model
        self.backbone = backbone
        self.cache = cacheRoot.map { ImageFeatureCache(root: $0, backbone: backbone) }
    }

    /// Backbone features of an image file (from the cache when one is set).
    public func features(imagePath: String, image: Image? = nil) throws -> ImageFeatureGrid {
        if let cache { return try cache.features(imagePath: imagePath, backbone: backbone).grid }
        let loaded: Image
        if let image { loaded = image } else {
            do { loaded = try Image.read(path: imagePath) } catch { throw SegmenterError.badInput(fileErrorMessage(error, path: imagePath)) }
        }
        return try backbone.features(of: loaded, name: imagePath)
    }

    /// Segments one image file with any vocabularies, at the image's own size.
    /// - Returns: the segmentation and the decoded image.
    public func segment(imagePath: String, objects: Vocabulary?, parts: Vocabulary) throws -> (Segmentation, Image) {
        let image: Image
        do { image = try Image.read(path: imagePath) } catch { throw SegmenterError.badInput(fileErrorMessage(error, path: imagePath)) }
        let grid = try features(imagePath: imagePath, image: image)
        let segmentation = model.head.segment(features: grid.features, gridH: grid.gridH, gridW: grid.gridW,
                                              objects: objects, parts: parts, width: image.width, height: image.height)
        return (segmentation, image)
    }
}
