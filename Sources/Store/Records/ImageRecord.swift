import GRDB

/// One image of a dataset. `fileName` is relative to the dataset's root, so a store and its
/// images can move together.
public struct ImageRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "image"
    public var id: Int64?
    public var datasetID: Int64
    /// Path relative to the dataset root (`n02085620/n02085620_1.JPEG`).
    public var fileName: String
    /// Pixels.
    public var width: Int
    public var height: Int
    public var split: String?
    /// The dataset's own image id, kept for export.
    public var sourceID: Int64?

    enum CodingKeys: String, CodingKey {
        case id, datasetID = "dataset_id", fileName = "file_name", width, height, split, sourceID = "source_id"
    }

    public init(id: Int64? = nil, datasetID: Int64, fileName: String, width: Int, height: Int,
                split: String? = nil, sourceID: Int64? = nil) {
        self.id = id; self.datasetID = datasetID; self.fileName = fileName
        self.width = width; self.height = height; self.split = split; self.sourceID = sourceID
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
