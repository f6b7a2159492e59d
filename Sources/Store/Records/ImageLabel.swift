import GRDB

/// An image-level (scene or class) label, e.g. the ImageNet synset of a class folder.
public struct ImageLabel: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "image_label"
    public var id: Int64?
    public var imageID: Int64
    public var categoryID: Int64
    public var source: LabelSource
    public var status: LabelStatus
    public var score: Double?
    public var runID: Int64?

    enum CodingKeys: String, CodingKey {
        case id, imageID = "image_id", categoryID = "category_id", source, status, score, runID = "run_id"
    }

    public init(id: Int64? = nil, imageID: Int64, categoryID: Int64, source: LabelSource,
                status: LabelStatus, score: Double? = nil, runID: Int64? = nil) {
        self.id = id; self.imageID = imageID; self.categoryID = categoryID
        self.source = source; self.status = status; self.score = score; self.runID = runID
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
