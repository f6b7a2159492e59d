import Foundation
import GRDB
import Imaging

/// Streams a COCO-family JSON file (coco, paco, partimagenet, pascal-part) into the store inside
/// the caller's write transaction. Memory holds the id maps and one element at a time.
///
/// The file is read once when `categories` and `images` precede `annotations` (the usual order);
/// otherwise annotations are skipped on the first pass and read in a second.
final class COCOImporter {
    struct ImageEntry { let rowID: Int64; let width: Int; let height: Int }
    struct CategoryEntry { let categoryID: Int64; let level: Level; let objectCategoryID: Int64? }
    struct AnnotationEntry { let rowID: Int64; let imageRowID: Int64; let isObject: Bool }

    let db: Database
    let options: ImportOptions
    let datasetID: Int64
    let file: String
    var report: ImportReport
    var categories = CategoryRegistry()

    var imagesBySourceID = SourceIDMap<ImageEntry>()
    var categoriesBySourceID: [Int64: CategoryEntry] = [:]
    var annotationsBySourceID = SourceIDMap<AnnotationEntry>()
    /// Parts whose object came later in the file: (part row, object's source id, part's path).
    var pendingLinks: [(rowID: Int64, parentSourceID: Int64, imageRowID: Int64, index: Int)] = []
    /// PartImageNet: parts grouped per (image, object category), to derive the objects.
    var partGroups: [PartGroupKey: [(rowID: Int64, rle: RLE)]] = [:]
    let classMap: [String: String]

    /// Created on the first annotation; its writer thread must be idle before other database work.
    private(set) var activeInserter: AnnotationInserter?

    func inserter() throws -> AnnotationInserter {
        if let activeInserter { return activeInserter }
        let made = try AnnotationInserter(db)
        activeInserter = made
        return made
    }

    struct PartGroupKey: Hashable { let imageRowID: Int64; let objectCategoryID: Int64 }

    init(db: Database, options: ImportOptions, datasetID: Int64, classMap: [String: String]) {
        self.db = db
        self.options = options
        self.datasetID = datasetID
        self.file = options.file
        self.classMap = classMap
        report = ImportReport(dataset: options.dataset)
    }

    /// Reads the whole file.
    func run() throws {
        defer { activeInserter?.waitIdle() }   // on errors too: the writer shares our connection
        let stream = try JSONStream(path: file)
        var sawImages = false, sawCategories = false, deferredAnnotations = false
        try stream.forEachMember { key in
            switch key {
            case "categories":
                try stream.forEachElement { i, v in try readCategory(JSONFields(v, path: .element(key, i), file: file)) }
                sawCategories = true
            case "images":
                try stream.forEachElement { i, v in try readImage(JSONFields(v, path: .element(key, i), file: file)) }
                sawImages = true
            case "annotations":
                if sawImages && sawCategories {
                    try readAnnotations(stream)
                } else {
                    deferredAnnotations = true
                    try stream.skipValue()
                }
            default:
                if !["info", "licenses"].contains(key) { report.ignoredSections.append(key) }
                try stream.skipValue()
            }
        }
        if deferredAnnotations {
            let second = try JSONStream(path: file)
            try second.forEachMember { key in
                if key == "annotations" { try readAnnotations(second) } else { try second.skipValue() }
            }
        }
        try activeInserter?.finish()
        try resolvePendingLinks()
        if options.format == .partimagenet { try deriveObjectsFromParts() }
    }

    // MARK: Categories

    private func readCategory(_ c: JSONFields) throws {
        let id = try c.int("id")
        let name = try c.string("name")
        let supercategory = try c.optionalString("supercategory")
        guard categoriesBySourceID[id] == nil else { throw c.error("duplicate category id \(id)", key: "id") }
        guard !name.trimmingSpaces.isEmpty else { throw c.error("empty category name", key: "name") }
        let split: (object: String, part: String)? = options.format == .partimagenet
            ? CategoryNaming.splitSpaced(name, supercategory: supercategory)
            : CategoryNaming.splitColon(name)
        let entry: CategoryEntry
        if let split {
            let object = try categories.ensure(db, level: .object, name: CategoryNaming.normalise(split.object))
            if options.format == .partimagenet {
                // The object category is derived; record its spelling so export can write it back.
                try categories.link(db, datasetID: datasetID, categoryID: object, sourceID: nil,
                                    sourceName: split.object, exportName: split.object, supercategory: nil)
            }
            let partName = CategoryNaming.normalise(split.part)
            let part = try categories.ensure(db, level: .part, name: "\(CategoryNaming.normalise(split.object)):\(partName)",
                                             objectCategoryID: object, partName: partName)
            try categories.link(db, datasetID: datasetID, categoryID: part, sourceID: id, sourceName: name,
                                exportName: "\(split.object):\(split.part)", supercategory: supercategory)
            entry = CategoryEntry(categoryID: part, level: .part, objectCategoryID: object)
        } else {
            let object = try categories.ensure(db, level: .object, name: CategoryNaming.normalise(name))
            try categories.link(db, datasetID: datasetID, categoryID: object, sourceID: id, sourceName: name,
                                exportName: name, supercategory: supercategory)
            entry = CategoryEntry(categoryID: object, level: .object, objectCategoryID: nil)
        }
        categoriesBySourceID[id] = entry
    }

    // MARK: Images

    private func readImage(_ f: JSONFields) throws {
        let id = try f.int("id")
        let fileName = try f.string("file_name")
        let width = try f.int("width"), height = try f.int("height")
        guard imagesBySourceID[id] == nil else { throw f.error("duplicate image id \(id)", key: "id") }
        guard width > 0 else { throw f.error("image size must be positive, found \(width)", key: "width") }
        guard height > 0 else { throw f.error("image size must be positive, found \(height)", key: "height") }
        let path = URL(fileURLWithPath: options.imagesRoot).appendingPathComponent(fileName).path
        switch ImageHeader.read(path: path) {
        case .missing: report.record(.missingImageFile, "\(f.path) (id \(id)): \(path)")
        case let .undecodable(reason): report.record(.undecodableImage, "\(f.path) (id \(id)): \(path): \(reason)")
        case let .size(w, h) where w != width || h != height:
            report.record(.imageSizeMismatch, "\(f.path) (id \(id)): \(fileName) is \(w)×\(h), JSON says \(width)×\(height)")
        case .size: break
        }
        try db.execute(sql: "INSERT INTO image (dataset_id, file_name, width, height, split, source_id) VALUES (?, ?, ?, ?, NULL, ?)",
                       arguments: [datasetID, fileName, width, height, id])
        let rowID = db.lastInsertedRowID
        imagesBySourceID[id] = ImageEntry(rowID: rowID, width: Int(width), height: Int(height))
        report.images += 1
        if options.format == .partimagenet, let synset = Self.synset(of: fileName) {
            let label = classMap[synset] ?? synset
            let category = try categories.ensure(db, level: .object, name: CategoryNaming.normalise(label))
            try categories.link(db, datasetID: datasetID, categoryID: category, sourceID: nil, sourceName: synset,
                                exportName: label, supercategory: nil)
            try db.execute(sql: "INSERT INTO image_label (image_id, category_id, source, status) VALUES (?, ?, 'gold', 'accepted')",
                           arguments: [rowID, category])
            report.imageLabels += 1
        }
    }

    /// The ImageNet synset of `n02085620/n02085620_1.JPEG` (or `n02085620_1.JPEG`).
    static func synset(of fileName: String) -> String? {
        let parts = fileName.split(separator: "/")
        if parts.count >= 2 { return String(parts[parts.count - 2]) }
        guard let name = parts.last, let underscore = name.firstIndex(of: "_") else { return nil }
        let synset = name[..<underscore]
        return synset.isEmpty ? nil : String(synset)
    }
}
