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
            var result: [ObjectReference] = []
            for d in datasets {
                guard let datasetID = d.id else { continue }
                let root = absoluteRoot(of: d)
                let images = try ImageRecord.filter(Column("dataset_id") == datasetID).fetchAll(db)
                let byID = Dictionary(images.compactMap { i in i.id.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
                let categories = Dictionary(try Category.fetchAll(db).compactMap { c in c.id.map { ($0, c.name) } },
                                            uniquingKeysWith: { a, _ in a })
                var request = Annotation
                    .filter(Column("level") == Level.object.rawValue)
                    .filter(Column("status") != LabelStatus.rejected.rawValue)
                    .filter(byID.keys.contains(Column("image_id")))
                if let ids { request = request.filter(ids.contains(Column("id"))) }
                for a in try request.order(Column("id")).fetchAll(db) {
                    guard let image = byID[a.imageID] else { continue }
                    result.append(ObjectReference(annotation: a, image: image,
                                                  imagePath: root.appendingPathComponent(image.fileName).path,
                                                  datasetName: d.name, role: d.role,
                                                  categoryName: categories[a.categoryID] ?? "?"))
                }
            }
            return result.sorted { ($0.annotation.id ?? 0) < ($1.annotation.id ?? 0) }
        }
    }
}
