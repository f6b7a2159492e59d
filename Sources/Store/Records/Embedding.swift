import Foundation
import GRDB

/// A small vector (CLS token, text embedding) keyed by its owner and the model that made it.
/// Large descriptor grids live in a sidecar cache, not here.
public struct Embedding: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "embedding"
    public var id: Int64?
    /// `image`, `annotation`, `category` or `text`.
    public var owner: String
    public var ownerID: Int64
    public var modelSHA: String
    public var facet: String
    public var layer: Int
    public var dim: Int
    /// Little-endian Float32 × `dim`.
    public var data: Data

    enum CodingKeys: String, CodingKey {
        case id, owner, ownerID = "owner_id", modelSHA = "model_sha", facet, layer, dim, data
    }

    /// Packs `vector` as little-endian Float32.
    public init(id: Int64? = nil, owner: String, ownerID: Int64, modelSHA: String, facet: String,
                layer: Int, vector: [Float]) {
        self.id = id; self.owner = owner; self.ownerID = ownerID; self.modelSHA = modelSHA
        self.facet = facet; self.layer = layer; self.dim = vector.count
        self.data = vector.withUnsafeBufferPointer { buf in
            Data(buffer: UnsafeBufferPointer(start: UnsafeRawPointer(buf.baseAddress)?
                .assumingMemoryBound(to: UInt8.self), count: buf.count * 4))
        }
    }

    /// The stored vector; empty when `data` does not hold `dim` floats.
    public var vector: [Float] {
        guard data.count == dim * 4 else { return [] }
        return data.withUnsafeBytes { raw in (0..<dim).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
