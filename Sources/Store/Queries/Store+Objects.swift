import Foundation
import GRDB

/// An object annotation with what is needed to find its pixels.
public struct ObjectReference: Sendable {
    public let annotation: Annotation
    public let image: ImageRecord
    /// Absolute path of the image file.
    public let imagePath: String
    public let datasetName: String
    public let role: DatasetRole
    /// The object category's normalised name (`dog`).
    public let categoryName: String
}

extension Store {
    /// Object-level annotations that are not rejected, in id order.
    ///
    /// - Parameters:
    ///   - dataset: only this dataset (by name); `nil` for every dataset.
    ///   - role: only datasets with this role; `nil` for both.
    ///   - ids: only these annotation ids; `nil` for all.
    /// - Throws: `StoreError` when a named dataset does not exist.
    public func objects(dataset: String? = nil, role: DatasetRole? = nil, ids: [Int64]? = nil) throws -> [ObjectReference] {
        try read { db in
            var datasets = try Dataset.fetchAll(db)
            if let dataset {
                datasets = datasets.filter { $0.name == dataset }
                guard !datasets.isEmpty else { throw StoreError.unknownDataset(name: dataset) }
            }
            if let role { datasets = datasets.filter { $0.role == role } }
            let byDataset = Dictionary(datasets.compactMap { d in d.id.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
            // Annotations first, then only the images they sit on: a lookup by ids touches a
            // handful of rows however large the datasets are.
            var request = Annotation
                .filter(Column("level") == Level.object.rawValue)
                .filter(Column("status") != LabelStatus.rejected.rawValue)
            if let ids { request = request.filter(ids.contains(Column("id"))) }
            let annotations = try request.order(Column("id")).fetchAll(db)
            let imageIDs = Array(Set(annotations.map(\.imageID)))
            let images = Dictionary(try ImageRecord.fetchAll(db, keys: imageIDs).compactMap { i in i.id.map { ($0, i) } },
                                    uniquingKeysWith: { a, _ in a })
            let categoryIDs = Array(Set(annotations.map(\.categoryID)))
            let categories = Dictionary(try Category.fetchAll(db, keys: categoryIDs).compactMap { c in c.id.map { ($0, c.name) } },
                                        uniquingKeysWith: { a, _ in a })
            var roots: [Int64: URL] = [:]
            return annotations.compactMap { a in
                guard let image = images[a.imageID], let d = byDataset[image.datasetID] else { return nil }
                let root = roots[image.datasetID] ?? absoluteRoot(of: d)
                roots[image.datasetID] = root
                return ObjectReference(annotation: a, image: image, imagePath: root.appendingPathComponent(image.fileName).path,
                                       datasetName: d.name, role: d.role, categoryName: categories[a.categoryID] ?? "?")
            }
        }
    }
}
