import Foundation
import GRDB

/// A model file vlpart used or made (ViT, text encoder, segmenter head), by path and SHA-256.
public struct ModelRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model"
    /// What kind of network the file holds.
    public enum Kind: String, Codable, Sendable, DatabaseValueConvertible { case vit, text, segmenter }

    public var id: Int64?
    public var kind: Kind
    public var path: String
    public var sha256: String
    public var config: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey { case id, kind, path, sha256, config, createdAt = "created_at" }

    public init(id: Int64? = nil, kind: Kind, path: String, sha256: String, config: String? = nil,
                createdAt: Date = Date()) {
        self.id = id; self.kind = kind; self.path = path; self.sha256 = sha256
        self.config = config; self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
