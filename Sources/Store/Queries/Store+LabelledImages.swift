import Foundation
import GRDB

/// One image with every object and part annotation on it (the segmenter's training unit).
public struct LabelledImage: Sendable {
    public let image: ImageRecord
    /// Absolute path of the image file.
    public let imagePath: String
    public let datasetName: String
    public let role: DatasetRole
    /// Object and part annotations on the image, in id order, with their category's
    /// normalised name (`dog`, `dog:head`). Rejected ones are included: callers decide.
    public let annotations: [(annotation: Annotation, category: String)]
}

extension Store {
    /// Every image of the given datasets (all when `nil`) that has at least one object or part
    /// annotation, with its annotations, ordered by image id.
    ///
    /// - Throws: `StoreError.unknownDataset` when a named dataset does not exist.
    public func labelledImages(datasets names: [String]? = nil) throws -> [LabelledImage] {
        try read { db in
            var datasets = try Dataset.fetchAll(db)
            if let names {
                for name in names where !datasets.contains(where: { $0.name == name }) {
                    throw StoreError.unknownDataset(name: name)
                }
                datasets = datasets.filter { names.contains($0.name) }
            }
            let byID = Dictionary(datasets.compactMap { d in d.id.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
            let images = try ImageRecord.filter(byID.keys.contains(Column("dataset_id"))).order(Column("id")).fetchAll(db)
            let categories = Dictionary(try Category.fetchAll(db).compactMap { c in c.id.map { ($0, c.name) } },
                                        uniquingKeysWith: { a, _ in a })
            let annotations = try Annotation
                .filter([Level.object.rawValue, Level.part.rawValue].contains(Column("level")))
                .order(Column("id")).fetchAll(db)
            var perImage: [Int64: [(annotation: Annotation, category: String)]] = [:]
            for a in annotations { perImage[a.imageID, default: []].append((a, categories[a.categoryID] ?? "?")) }
            var roots: [Int64: URL] = [:]
            return images.compactMap { image in
                guard let id = image.id, let list = perImage[id], let d = byID[image.datasetID] else { return nil }
                let root = roots[image.datasetID] ?? absoluteRoot(of: d)
                roots[image.datasetID] = root
                return LabelledImage(image: image, imagePath: root.appendingPathComponent(image.fileName).path,
                                     datasetName: d.name, role: d.role, annotations: list)
            }
        }
    }
}

extension Store {
    /// Normalised names of every category of `level`, sorted.
    public func categoryNames(level: Level) throws -> [String] {
        try read { db in try Category.filter(Column("level") == level.rawValue).fetchAll(db).map(\.name).sorted() }
    }

    /// Names of the object categories annotated on images of datasets with `role`, sorted
    /// (e.g. the novel objects: those of the target datasets).
    public func objectCategoryNames(role: DatasetRole) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT c.name FROM annotation a JOIN image i ON i.id = a.image_id
                JOIN dataset d ON d.id = i.dataset_id JOIN category c ON c.id = a.category_id
                WHERE a.level = ? AND d.role = ? ORDER BY c.name
                """, arguments: [Level.object.rawValue, role.rawValue])
        }
    }
}
