import Foundation
import GRDB

/// One imported dataset: a JSON file (or class folder) plus the folder its images live in.
///
/// ```swift
/// let datasets = try store.read { db in try Dataset.order(Column("name")).fetchAll(db) }
/// ```
public struct Dataset: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "dataset"
    public var id: Int64?
    /// Unique name given with `--dataset`.
    public var name: String
    public var role: DatasetRole
    /// Importer that read it: `coco`, `paco`, `partimagenet`, `pascal-part`, `folder`.
    public var format: String
    /// Image folder; relative to the store's folder when it lies inside it, else absolute.
    public var root: String
    /// The imported file (or folder), as given.
    public var filePath: String?
    /// Hex SHA-256 and byte size of the imported file, so re-importing it is a no-op.
    public var fileSHA256: String?
    public var fileSize: Int64?
    public var importedAt: Date
    /// JSON validation counts of the import.
    public var report: String?

    enum CodingKeys: String, CodingKey {
        case id, name, role, format, root, filePath = "file_path", fileSHA256 = "file_sha256"
        case fileSize = "file_size", importedAt = "imported_at", report
    }

    public init(id: Int64? = nil, name: String, role: DatasetRole, format: String, root: String,
                filePath: String? = nil, fileSHA256: String? = nil, fileSize: Int64? = nil,
                importedAt: Date = Date(), report: String? = nil) {
        self.id = id; self.name = name; self.role = role; self.format = format; self.root = root
        self.filePath = filePath; self.fileSHA256 = fileSHA256; self.fileSize = fileSize
        self.importedAt = importedAt; self.report = report
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
