import Foundation

/// `split.json`: the fixed base/novel split, the part lists, and every image's split and scene
/// label; plus the human-readable `README.md` written beside it.
struct SynthManifest: Encodable {
    /// Bumped whenever the same seed would draw different images.
    static let generatorVersion = "1"

    struct Category: Encodable {
        var id: Int64, name: String, family: String, novel: Bool, sibling: String?, parts: [String]
    }
    struct ImageEntry: Encodable {
        var id: Int64, fileName: String, split: String, scene: String
        enum CodingKeys: String, CodingKey { case id, fileName = "file_name", split, scene }
    }

    var generator = "vlpart synth"
    var version = generatorVersion
    var seed: UInt64
    var size: Int
    var categories: [Category]
    var base: [String]
    var novel: [String]
    var scenes: [String: [String]]
    var images: [ImageEntry]
    /// Class-folder images: `folder/<class>/<file>` with their scene labels.
    var folder: [ImageEntry]

    init(options: SynthOptions, scenes imagesIn: [EncodedImage], folder folderIn: [EncodedImage]) {
        seed = options.seed
        size = options.size
        categories = SynthCatalog.categories.map {
            Category(id: SynthDocuments.objectID($0), name: $0.name, family: $0.family.rawValue, novel: $0.isNovel,
                     sibling: $0.sibling, parts: $0.parts)
        }
        base = SynthCatalog.base.map(\.name)
        novel = SynthCatalog.novel.map(\.name)
        scenes = Dictionary(uniqueKeysWithValues: SceneKind.allCases.map { ($0.rawValue, $0.categoryNames) })
        images = imagesIn.map { ImageEntry(id: $0.id, fileName: "images/\($0.fileName)", split: $0.split.rawValue, scene: $0.scene.rawValue) }
        folder = folderIn.map { ImageEntry(id: $0.id, fileName: "folder/\($0.fileName)", split: $0.split.rawValue, scene: $0.scene.rawValue) }
    }

    /// Writes `split.json` and `README.md` into `root`.
    func write(to root: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let splitPath = root.appendingPathComponent("split.json")
        let readmePath = root.appendingPathComponent("README.md")
        do {
            try encoder.encode(self).write(to: splitPath, options: .atomic)
        } catch {
            throw SynthError.unwritable(path: splitPath.path, reason: error.localizedDescription)
        }
        do {
            try Data(readme.utf8).write(to: readmePath, options: .atomic)
        } catch {
            throw SynthError.unwritable(path: readmePath.path, reason: error.localizedDescription)
        }
    }

    private var readme: String {
        let source = images.filter { $0.split == "source" }.count
        var table = "| category | family | split | parts |\n|---|---|---|---|\n"
        for c in categories {
            let split = c.novel ? "novel (sibling: \(c.sibling ?? "-"))" : "base"
            table += "| \(c.name) | \(c.family) | \(split) | \(c.parts.joined(separator: ", ")) |\n"
        }
        return """
        # vlpart synthetic part dataset

        Made by `vlpart synth` (generator version \(version)), seed \(seed), \(size)×\(size) pixels.
        The same command and seed rewrite these files byte for byte.

        - `images/`: \(images.count) scenes (\(source) source, \(images.count - source) target), 1–3 objects each, \
        farther objects drawn first so nearer ones occlude them; masks cover visible pixels only.
        - `source.json`: source images; base objects and their parts (PACO style: part categories \
        `object:part`, part annotations carry `obj_ann_id` of their object, objects carry their own id).
        - `target.json`: target images; novel objects only (no parts).
        - `target_gt.json`: the same target images with novel parts, for evaluation only.
        - `folder/<class>/`: \(folder.count) class-folder images of the novel categories, one dominant object each, \
        labelled by folder only; `folder_gt.json` holds their masks for evaluating saliency and parsing.
        - `split.json`: categories, families, base/novel split, siblings, and each image's split and scene label \
        (\(SceneKind.allCases.map(\.rawValue).joined(separator: ", "))).

        Masks are COCO compressed RLE (pycocotools encoding).

        \(table)
        """
    }
}
