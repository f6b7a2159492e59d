import Features
import Foundation
import Imaging
import Store
import Tensor

/// Per-object ViT features computed once and kept beside the store.
///
/// Descriptor grids and saliency go to sidecar files
/// `<store>.features/<model sha prefix>-<settings key>/<annotation id>.vlpf`; CLS tokens also go
/// to the store's `embedding` table (owner `annotation`, facet `cls`) so that retrieval and
/// taxonomy proposals are SQL reads. Base descriptors are therefore never recomputed per
/// target object, and a killed `features cache` resumes where it stopped.
public final class FeatureCache: Sendable {
    public let directory: URL
    public let modelSHA: String
    public let settings: FeatureSettings

    /// - Parameters:
    ///   - store: the store the cache sits beside.
    ///   - modelSHA: SHA-256 of the checkpoint file (hex).
    public init(store: Store, modelSHA: String, settings: FeatureSettings) {
        let storeURL = URL(fileURLWithPath: store.path).standardizedFileURL
        directory = storeURL.deletingLastPathComponent()
            .appendingPathComponent(storeURL.lastPathComponent + ".features")
            .appendingPathComponent("\(modelSHA.prefix(12))-\(settings.key)")
        self.modelSHA = modelSHA
        self.settings = settings
    }

    func url(_ annotationID: Int64) -> URL { directory.appendingPathComponent("\(annotationID).vlpf") }

    /// The cached features of an object, or `nil` when absent or unreadable (then recompute).
    public func load(_ annotationID: Int64) -> ObjectFeatures? {
        guard let data = try? Data(contentsOf: url(annotationID)),
              let f = ObjectFeatures(encoded: data), f.annotationID == annotationID else { return nil }
        return f
    }

    /// Writes one entry atomically (temporary file, then rename), so a kill never leaves half a file.
    public func save(_ features: ObjectFeatures) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = url(features.annotationID)
        let temporary = directory.appendingPathComponent(".\(features.annotationID).\(getpid()).tmp")
        do {
            try features.encoded().write(to: temporary)
            // rename(2) replaces atomically; Foundation's replaceItemAt fails on Linux when the
            // target does not exist yet.
            guard rename(temporary.path, target.path) == 0 else {
                throw ParsingError.cacheWrite(path: target.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? ParsingError { throw error }
            throw ParsingError.cacheWrite(path: target.path, reason: "\(error)")
        }
    }
}

/// Errors of the parsing pipeline, one line each, naming the file or object.
public enum ParsingError: Error, CustomStringConvertible {
    case cacheWrite(path: String, reason: String)
    case image(path: String, reason: String)
    case missingFeatures(annotationID: Int64, hint: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .cacheWrite(path, reason): "\(path): cannot write feature cache: \(reason)"
        case let .image(path, reason): fileErrorMessage(reason, path: path)
        case let .missingFeatures(id, hint): "object \(id) has no cached features: \(hint)"
        case let .invalid(message): message
        }
    }
}

/// Computes the features of objects that the cache does not hold yet.
public struct FeatureCacheBuilder {
    public let store: Store
    public let extractor: FeatureExtractor
    public let cache: FeatureCache

    public init(store: Store, extractor: FeatureExtractor, cache: FeatureCache) {
        self.store = store
        self.extractor = extractor
        self.cache = cache
    }

    /// The block index the settings resolve to for this model.
    public var layer: Int { cache.settings.layer ?? (extractor.model.config.depth - 1) }

    /// Object crop → `[1, 3, size, size]` normalised pixels: the box (at least one pixel,
    /// clamped to the image) resized with antialiased bilinear filtering, ImageNet mean/std.
    public static func pixels(of object: ObjectReference, in image: Image, size: Int) -> Tensor {
        let box = cropBox(object.annotation.bbox, width: image.width, height: image.height)
        let crop = image.converted(toChannels: 3).cropped(x: box.x, y: box.y, width: box.width, height: box.height)
        let resized = crop.resized(width: size, height: size, filter: .bilinear, antialias: true)
        return Tensor(shape: [1, 3, size, size], data: resized.normalizedCHW())
    }

    /// The integer pixel box an object's features are computed on: its COCO box rounded
    /// outwards, clamped to the image, at least one pixel.
    public static func cropBox(_ bbox: [Double], width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        let x0 = max(0, min(width - 1, Int(bbox[0].rounded(.down))))
        let y0 = max(0, min(height - 1, Int(bbox[1].rounded(.down))))
        let x1 = max(x0 + 1, min(width, Int((bbox[0] + bbox[2]).rounded(.up))))
        let y1 = max(y0 + 1, min(height, Int((bbox[1] + bbox[3]).rounded(.up))))
        return (x0, y0, x1 - x0, y1 - y0)
    }

    /// Features of one object from its image.
    public func compute(_ object: ObjectReference, image: Image) throws -> ObjectFeatures {
        let id = object.annotation.id ?? 0
        let request = FeatureRequest(layer: layer, facet: cache.settings.facet, stride: cache.settings.stride,
                                     cls: true, saliencyHeads: cache.settings.saliencyHeads)
        let f = try extractor.extract(pixels: Self.pixels(of: object, in: image, size: cache.settings.size),
                                      request: request, name: object.imagePath)
        guard let facet = f.facet, let cls = f.cls, let saliency = f.saliency else {
            throw ParsingError.invalid("the model returned no \(cache.settings.facet.rawValue) facet for object \(id)")
        }
        let dim = facet.shape[1]
        return ObjectFeatures(annotationID: id, gridH: f.gridHeight, gridW: f.gridWidth,
                              descriptors: Retrieval.normalizedRows(facet.data, dim: dim),
                              saliency: saliency.data, cls: cls.data)
    }

    /// Fills the cache for `objects`, skipping those already complete.
    ///
    /// CLS rows are written to the store in transactions of `batch` objects; an entry counts as
    /// complete only when both its sidecar and its CLS row exist, so a kill at any point resumes
    /// without duplicates.
    /// - Parameter progress: called after every object with (done, total).
    /// - Returns: objects computed now and objects found complete.
    @discardableResult
    public func run(objects: [ObjectReference], batch: Int = 32,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> (computed: Int, cached: Int) {
        let layer = self.layer
        let sha = cache.modelSHA
        let haveCLS = try store.embeddingOwners(owner: "annotation", facet: "cls", modelSHA: sha, layer: layer)
        var computed = 0, cached = 0
        var pending: [Embedding] = []
        var lastImage: (path: String, image: Image)?
        func flush() throws {
            guard !pending.isEmpty else { return }
            try store.insert(embeddings: pending)
            pending.removeAll()
        }
        for (n, object) in objects.enumerated() {
            let id = object.annotation.id ?? 0
            if haveCLS.contains(id), cache.load(id) != nil {
                cached += 1
            } else {
                let image: Image
                if let last = lastImage, last.path == object.imagePath {
                    image = last.image
                } else {
                    do { image = try Image.read(path: object.imagePath) } catch {
                        throw ParsingError.image(path: object.imagePath, reason: "\(error)")
                    }
                    lastImage = (object.imagePath, image)
                }
                let features = try compute(object, image: image)
                try cache.save(features)
                if !haveCLS.contains(id) {
                    pending.append(Embedding(owner: "annotation", ownerID: id, modelSHA: sha, facet: "cls",
                                             layer: layer, vector: features.cls))
                }
                computed += 1
                if pending.count >= batch { try flush() }
            }
            progress(n + 1, objects.count)
        }
        try flush()
        return (computed, cached)
    }
}
