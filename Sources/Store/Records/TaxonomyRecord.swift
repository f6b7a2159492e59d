import Foundation
import GRDB

/// A stored taxonomy (object → parts), loaded from a YAML file or made by borrowing.
public struct TaxonomyRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "taxonomy"
    /// Where a taxonomy came from.
    public enum Origin: String, Codable, Sendable, DatabaseValueConvertible { case file, borrowed }

    public var id: Int64?
    public var name: String
    public var origin: Origin
    public var path: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey { case id, name, origin, path, createdAt = "created_at" }

    public init(id: Int64? = nil, name: String, origin: Origin, path: String? = nil, createdAt: Date = Date()) {
        self.id = id; self.name = name; self.origin = origin; self.path = path; self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One part of one object in a stored taxonomy.
public struct TaxonomyPart: Codable, Sendable, Equatable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "taxonomy_part"
    public var taxonomyID: Int64
    public var objectCategoryID: Int64
    public var partName: String

    enum CodingKeys: String, CodingKey {
        case taxonomyID = "taxonomy_id", objectCategoryID = "object_category_id", partName = "part_name"
    }

    public init(taxonomyID: Int64, objectCategoryID: Int64, partName: String) {
        self.taxonomyID = taxonomyID; self.objectCategoryID = objectCategoryID; self.partName = partName
    }
}
