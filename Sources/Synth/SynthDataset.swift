import Foundation
import Imaging

/// What `vlpart synth` makes: how many images, how large, from which seed.
public struct SynthOptions: Sendable, Equatable {
    /// Seeds every image; the same seed gives byte-identical files.
    public var seed: UInt64 = 0
    /// Scene images in `images/` (source and target together).
    public var images: Int = 300
    /// Width and height of every image in pixels.
    public var size: Int = 224
    /// Class-folder images per novel category in `folder/<class>/`.
    public var folderImagesPerClass: Int = 30
    /// Every `targetEvery`-th scene image is a target image (novel objects only); the rest are source.
    public var targetEvery: Int = 4

    public init(seed: UInt64 = 0, images: Int = 300, size: Int = 224, folderImagesPerClass: Int = 30) {
        self.seed = seed; self.images = images; self.size = size; self.folderImagesPerClass = folderImagesPerClass
    }
}

/// Which half of the base/novel split an image belongs to.
public enum SynthSplit: String, Sendable, Codable {
    /// Base categories only, annotated with objects and parts (`source.json`).
    case source
    /// Novel categories only (`target.json` objects, `target_gt.json` objects and parts).
    case target
}

/// One labelled object of a rendered image, its masks already run-length encoded.
struct EncodedObject: Sendable {
    var category: SynthCategory
    var mask: RLE
    /// (part index in `category.parts`, visible mask) for every part with visible pixels.
    var parts: [(index: Int, mask: RLE)]
}

/// One rendered and encoded image, ready for the JSON documents.
struct EncodedImage: Sendable {
    var id: Int64
    var fileName: String
    var split: SynthSplit
    var scene: SceneKind
    var width: Int, height: Int
    var objects: [EncodedObject]
}

/// The synthetic dataset generator: renders scenes deterministically from a seed and encodes
/// their label maps as COCO RLE masks.
public enum SynthDataset {
    /// The split of scene image `index` (0-based): every `targetEvery`-th image is a target image.
    public static func split(ofImage index: Int, options: SynthOptions) -> SynthSplit {
        index % options.targetEvery == options.targetEvery - 1 ? .target : .source
    }

    /// Renders scene image `index` (0-based). A pure function of `(options.seed, index)`.
    public static func scene(index: Int, options: SynthOptions) -> SynthScene {
        var r = SynthRandom(seed: options.seed, stream: UInt64(index))
        let split = split(ofImage: index, options: options)
        let kind = r.pick(SceneKind.allCases)
        let pool = kind.categoryNames.compactMap(SynthCatalog.named).filter { $0.isNovel == (split == .target) }
        return SceneComposer.render(kind: kind, categories: pool, count: r.int(1...3), size: options.size, rng: &r)
    }

    /// Renders class-folder image `index` (0-based) of novel `category`: one dominant object.
    public static func folderScene(category: SynthCategory, index: Int, options: SynthOptions) -> SynthScene {
        let c = UInt64(SynthCatalog.index(of: category.name))
        var scene: SynthScene?
        for attempt in 0..<8 where scene?.objects.isEmpty ?? true {
            var r = SynthRandom(seed: options.seed, stream: (1 << 40) + c << 32 + UInt64(index) << 4 + UInt64(attempt))
            let kinds = SceneKind.allCases.filter { $0.categoryNames.contains(category.name) }
            scene = SceneComposer.render(kind: r.pick(kinds), categories: [category], count: 1, size: options.size,
                                         dominant: true, rng: &r)
        }
        return scene!   // the loop runs at least once
    }

    /// Encodes every visible object and part of `scene` as COCO RLE.
    static func encode(_ scene: SynthScene) -> [EncodedObject] {
        scene.objects.map { object in
            var objectPixels = [UInt8](repeating: 0, count: scene.instance.count)
            var partPixels = [[UInt8]](repeating: objectPixels, count: object.category.parts.count)
            for i in scene.instance.indices where scene.instance[i] == object.label {
                objectPixels[i] = 1
                let p = Int(scene.part[i])
                if p > 0 { partPixels[p - 1][i] = 1 }
            }
            let mask = RLE(mask: Mask(width: scene.width, height: scene.height, pixels: objectPixels))
            var parts: [(Int, RLE)] = []
            for (p, pixels) in partPixels.enumerated() {
                let rle = RLE(mask: Mask(width: scene.width, height: scene.height, pixels: pixels))
                if rle.area > 0 { parts.append((p, rle)) }
            }
            return EncodedObject(category: object.category, mask: mask, parts: parts)
        }
    }
}
