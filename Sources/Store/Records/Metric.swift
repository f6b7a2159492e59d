import GRDB

/// One number an eval or train run measured (mIoU, AP50, loss), optionally per category.
public struct Metric: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "metric"
    public var id: Int64?
    public var runID: Int64
    public var name: String
    public var split: String?
    public var categoryID: Int64?
    public var value: Double

    enum CodingKeys: String, CodingKey {
        case id, runID = "run_id", name, split, categoryID = "category_id", value
    }

    public init(id: Int64? = nil, runID: Int64, name: String, split: String? = nil, categoryID: Int64? = nil, value: Double) {
        self.id = id; self.runID = runID; self.name = name; self.split = split
        self.categoryID = categoryID; self.value = value
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
