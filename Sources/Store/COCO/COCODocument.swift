import Foundation
import Imaging

/// A COCO/PACO instances document, `Codable`, for writing (export, synth) and small reads.
///
/// Large files are read by the streaming importers, never through this type.
///
/// ```swift
/// var doc = COCODocument(images: [COCOImage(id: 1, fileName: "a.png", width: 64, height: 48)],
///                        categories: [COCOCategory(id: 1, name: "dog")], annotations: [])
/// try doc.write(to: "out/instances.json")
/// ```
public struct COCODocument: Codable, Sendable, Equatable {
    public var info: [String: String]?
    public var images: [COCOImage]
    public var categories: [COCOCategory]
    public var annotations: [COCOAnnotation]
    /// PACO's separate list of part categories, when a writer wants one.
    public var partCategories: [COCOCategory]?
    /// Image-level labels (class folders, PartImageNet synsets).
    public var imageLabels: [COCOImageLabel]?
    /// vlpart's provenance section: datasets, runs and per-label origins.
    public var vlpart: VLPartSection?

    enum CodingKeys: String, CodingKey {
        case info, images, categories, annotations, partCategories = "part_categories"
        case imageLabels = "image_labels", vlpart
    }

    public init(info: [String: String]? = nil, images: [COCOImage], categories: [COCOCategory],
                annotations: [COCOAnnotation], partCategories: [COCOCategory]? = nil,
                imageLabels: [COCOImageLabel]? = nil, vlpart: VLPartSection? = nil) {
        self.info = info; self.images = images; self.categories = categories; self.annotations = annotations
        self.partCategories = partCategories; self.imageLabels = imageLabels; self.vlpart = vlpart
    }

    /// Decodes a (small) document with Foundation's decoder.
    /// - Throws: ``StoreError/unreadable(file:reason:)`` or ``StoreError/json(file:path:message:)``.
    public static func read(path: String) throws -> COCODocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.unreadable(file: path, reason: "no such file")
        }
        do {
            return try JSONDecoder().decode(COCODocument.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            throw StoreError.json(file: path, path: context.codingPath.jsonPath, message: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            throw StoreError.json(file: path, path: (context.codingPath + [key]).jsonPath, message: "missing")
        }
    }
}

/// One image entry: `id`, `file_name`, `width`, `height` (pixels).
public struct COCOImage: Codable, Sendable, Equatable {
    public var id: Int64
    public var fileName: String
    public var width: Int
    public var height: Int

    enum CodingKeys: String, CodingKey { case id, fileName = "file_name", width, height }

    public init(id: Int64, fileName: String, width: Int, height: Int) {
        self.id = id; self.fileName = fileName; self.width = width; self.height = height
    }
}

/// One category: parts are named `object:part` with `supercategory` `PART` (PACO style).
public struct COCOCategory: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var supercategory: String?

    public init(id: Int64, name: String, supercategory: String? = nil) {
        self.id = id; self.name = name; self.supercategory = supercategory
    }
}

/// One image-level label.
public struct COCOImageLabel: Codable, Sendable, Equatable {
    public var imageID: Int64
    public var categoryID: Int64
    public var score: Double?

    enum CodingKeys: String, CodingKey { case imageID = "image_id", categoryID = "category_id", score }

    public init(imageID: Int64, categoryID: Int64, score: Double? = nil) {
        self.imageID = imageID; self.categoryID = categoryID; self.score = score
    }
}

/// One object or part annotation. Parts point at their object with `obj_ann_id`; objects point
/// at themselves (PACO style). `score` is set on generated labels only.
public struct COCOAnnotation: Codable, Sendable, Equatable {
    public var id: Int64
    public var imageID: Int64
    public var categoryID: Int64
    /// `[x, y, width, height]` in pixels.
    public var bbox: [Double]
    public var area: Double
    public var iscrowd: Int
    public var segmentation: COCOSegmentation
    public var objAnnID: Int64?
    public var score: Double?

    enum CodingKeys: String, CodingKey {
        case id, imageID = "image_id", categoryID = "category_id", bbox, area, iscrowd, segmentation
        case objAnnID = "obj_ann_id", score
    }

    public init(id: Int64, imageID: Int64, categoryID: Int64, bbox: [Double], area: Double, iscrowd: Int = 0,
                segmentation: COCOSegmentation, objAnnID: Int64? = nil, score: Double? = nil) {
        self.id = id; self.imageID = imageID; self.categoryID = categoryID; self.bbox = bbox; self.area = area
        self.iscrowd = iscrowd; self.segmentation = segmentation; self.objAnnID = objAnnID; self.score = score
    }
}

/// A mask as COCO writes it: an RLE object `{"size": [h, w], "counts": "…"}` or polygons
/// `[[x0, y0, x1, y1, …], …]` in pixels.
public enum COCOSegmentation: Codable, Sendable, Equatable {
    case rle(RLE)
    case polygons([[Double]])
    /// An already-compressed counts string at `width × height` (export copies it from the store).
    case compressedRLE(counts: String, width: Int, height: Int)

    private enum Keys: String, CodingKey { case size, counts }

    public init(from decoder: Decoder) throws {
        if let polygons = try? decoder.singleValueContainer().decode([[Double]].self) {
            self = .polygons(polygons)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        let size = try container.decode([Int].self, forKey: .size)
        guard size.count == 2, size[0] >= 0, size[1] >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .size, in: container, debugDescription: "expected [height, width]")
        }
        do {
            if let counts = try? container.decode(String.self, forKey: .counts) {
                self = .rle(try RLE(compressed: counts, width: size[1], height: size[0]))
            } else {
                let counts = try container.decode([Int].self, forKey: .counts)
                self = .rle(try RLE(uncompressedCounts: counts, width: size[1], height: size[0]))
            }
        } catch let error as MaskError {
            throw DecodingError.dataCorruptedError(forKey: .counts, in: container, debugDescription: "bad RLE: \(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .polygons(polygons):
            var container = encoder.singleValueContainer()
            try container.encode(polygons)
        case let .rle(rle):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode([rle.height, rle.width], forKey: .size)
            try container.encode(rle.compressed, forKey: .counts)
        case let .compressedRLE(counts, width, height):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode([height, width], forKey: .size)
            try container.encode(counts, forKey: .counts)
        }
    }
}

/// vlpart's own section of an exported document: where the labels came from.
public struct VLPartSection: Codable, Sendable, Equatable {
    public var version: String
    public var exportedAt: String
    /// The export's filters (`dataset`, `source`, `status`, `run`).
    public var filters: [String: String]
    public var datasets: [DatasetEntry]
    public var runs: [RunEntry]
    /// Per-annotation origin for every label that is not accepted gold, and for any with provenance.
    public var labels: [LabelEntry]

    enum CodingKeys: String, CodingKey { case version, exportedAt = "exported_at", filters, datasets, runs, labels }

    public init(version: String, exportedAt: String, filters: [String: String], datasets: [DatasetEntry],
                runs: [RunEntry], labels: [LabelEntry]) {
        self.version = version; self.exportedAt = exportedAt; self.filters = filters
        self.datasets = datasets; self.runs = runs; self.labels = labels
    }

    /// A dataset the exported images come from.
    public struct DatasetEntry: Codable, Sendable, Equatable {
        public var name: String, role: String, format: String, root: String
        public init(name: String, role: String, format: String, root: String) {
            self.name = name; self.role = role; self.format = format; self.root = root
        }
    }

    /// A run that produced exported labels; `params` is its JSON text.
    public struct RunEntry: Codable, Sendable, Equatable {
        public var id: Int64, kind: String, status: String, params: String?
        public init(id: Int64, kind: String, status: String, params: String?) {
            self.id = id; self.kind = kind; self.status = status; self.params = params
        }
    }

    /// The origin of one exported annotation; `provenance` is its JSON text.
    public struct LabelEntry: Codable, Sendable, Equatable {
        public var annotationID: Int64, source: String, status: String, runID: Int64?, provenance: String?
        enum CodingKeys: String, CodingKey {
            case annotationID = "annotation_id", source, status, runID = "run_id", provenance
        }
        public init(annotationID: Int64, source: String, status: String, runID: Int64?, provenance: String?) {
            self.annotationID = annotationID; self.source = source; self.status = status
            self.runID = runID; self.provenance = provenance
        }
    }
}

extension [CodingKey] {
    /// `annotations[3].segmentation.counts`.
    var jsonPath: String {
        JSONPath(map { key in key.intValue.map { .index($0) } ?? .key(key.stringValue) }).description
    }
}
