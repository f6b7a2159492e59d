import Foundation
import GRDB
import Store
import TestSupport
@testable import Taxonomy

/// A temporary on-disk store with a source dataset (cat: head, paw, tail; car: wheel, door)
/// and a target dataset (dog, bus), object CLS vectors written by hand. Remove `folder` when done.
struct BorrowFixture {
    let store: Store
    let folder: URL
    var categories: [String: Int64] = [:]
    var objects: [String: [Int64]] = [:]
    static let model = "aaaa1111"

    /// Synonyms used to rename borrowed parts (`paw` → `foot` for cats).
    static let synonyms = """
        name: base_parts
        naming: "object:part"
        objects:
          cat: [head, paw, tail]
          car: [wheel, door]
        synonyms:
          - canonical: foot
            aliases: [paw]
            objects: [cat]
        """

    static func taxonomy() throws -> Taxonomy {
        try Taxonomy(files: [TaxonomyFile(yaml: synonyms, path: "base_parts.yaml")])
    }

    init(vectors: [String: [[Float]]] = BorrowFixture.defaultVectors) throws {
        folder = try makeTemporaryDirectory("vlpart-borrow")
        store = try Store(path: folder.appendingPathComponent("s.sqlite").path, create: true)
        var categories: [String: Int64] = [:]
        var objects: [String: [Int64]] = [:]
        try store.write { db in
            func category(_ name: String, object: String? = nil, part: String? = nil) throws -> Int64 {
                var c = Category(level: object == nil ? .object : .part, name: object.map { "\($0):\(part!)" } ?? name,
                                 objectCategoryID: object.flatMap { categories[$0] }, partName: part)
                try c.insert(db)
                categories[c.name] = c.id!
                return c.id!
            }
            for name in ["cat", "car", "dog", "bus"] { _ = try category(name) }
            for part in ["head", "paw", "tail"] { _ = try category("", object: "cat", part: part) }
            for part in ["wheel", "door"] { _ = try category("", object: "car", part: part) }
            for (role, names) in [(DatasetRole.source, ["cat", "car"]), (.target, ["dog", "bus"])] {
                var dataset = Dataset(name: role == .source ? "base" : "novel", role: role, format: "coco", root: ".")
                try dataset.insert(db)
                var image = ImageRecord(datasetID: dataset.id!, fileName: "\(role).jpg", width: 8, height: 8)
                try image.insert(db)
                for name in names {
                    for vector in vectors[name] ?? [] {
                        var a = Annotation(imageID: image.id!, categoryID: categories[name]!, level: .object,
                                           bbox: [0, 0, 8, 8], rle: "0", area: 64, source: .gold, status: .accepted)
                        try a.insert(db)
                        objects[name, default: []].append(a.id!)
                        var e = Embedding(owner: "annotation", ownerID: a.id!, modelSHA: Self.model, facet: "cls",
                                          layer: 11, vector: vector)
                        try e.insert(db)
                    }
                }
            }
        }
        self.categories = categories
        self.objects = objects
    }

    static let defaultVectors: [String: [[Float]]] = [
        "cat": [[1, 0, 0], [0.9, 0.1, 0]],
        "car": [[0, 1, 0], [0.1, 0.9, 0]],
        "dog": [[0.95, 0.2, 0], [0.8, 0.1, 0.1]],
        "bus": [[0.1, 0.95, 0.05]],
    ]

    /// Overwrites the CLS vector of the `index`-th object of `category`.
    func setVector(_ category: String, _ index: Int, _ vector: [Float]) throws {
        let id = objects[category]![index]
        try store.write { db in
            try db.execute(sql: "UPDATE embedding SET data = ? WHERE owner = 'annotation' AND owner_id = ?",
                           arguments: [Embedding(owner: "", ownerID: 0, modelSHA: "", facet: "", layer: 0, vector: vector).data, id])
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
