import GRDB

/// A scene, object or part category. A part category is the pair (object category, part name)
/// and is named `object:part` (`dog:head`). Names are normalised (lower case, single spaces);
/// each dataset's own spelling lives in ``DatasetCategory``.
public struct Category: Codable, Sendable, Equatable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "category"
    public var id: Int64?
    public var level: Level
    /// Normalised name: `dog`, `car_(automobile)`, `dog:head`.
    public var name: String
    /// For parts: the object category the part belongs to.
    public var objectCategoryID: Int64?
    /// For parts: the part alone (`head`).
    public var partName: String?

    enum CodingKeys: String, CodingKey {
        case id, level, name, objectCategoryID = "object_category_id", partName = "part_name"
    }

    public init(id: Int64? = nil, level: Level, name: String, objectCategoryID: Int64? = nil, partName: String? = nil) {
        self.id = id; self.level = level; self.name = name
        self.objectCategoryID = objectCategoryID; self.partName = partName
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// How one dataset numbers and spells a category, so export writes the dataset's spelling back.
public struct DatasetCategory: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "dataset_category"
    public var datasetID: Int64
    public var categoryID: Int64
    /// The dataset's category id; `nil` for categories the importer derived (PartImageNet objects).
    public var sourceID: Int64?
    /// The name exactly as the dataset wrote it (`Quadruped Head`).
    public var sourceName: String
    /// The name export writes: `obj:part` in the dataset's spelling (`Quadruped:Head`).
    public var exportName: String
    public var supercategory: String?

    enum CodingKeys: String, CodingKey {
        case datasetID = "dataset_id", categoryID = "category_id", sourceID = "source_id"
        case sourceName = "source_name", exportName = "export_name", supercategory
    }

    public init(datasetID: Int64, categoryID: Int64, sourceID: Int64?, sourceName: String,
                exportName: String, supercategory: String?) {
        self.datasetID = datasetID; self.categoryID = categoryID; self.sourceID = sourceID
        self.sourceName = sourceName; self.exportName = exportName; self.supercategory = supercategory
    }
}
