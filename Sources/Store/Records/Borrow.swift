import Foundation
import GRDB

/// A proposal that a novel (target) object category borrows the part taxonomy of a base one,
/// e.g. `dog` borrows `cat`'s head, torso, leg, paw, tail, and its review state.
public struct Borrow: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "borrow"
    /// Review state of a proposal.
    public enum Status: String, Codable, Sendable, DatabaseValueConvertible { case proposed, approved, edited, rejected }

    public var id: Int64?
    public var targetCategoryID: Int64
    public var baseCategoryID: Int64
    /// Similarity that ranked the base category first.
    public var score: Double
    /// JSON: the next candidates and their scores.
    public var runnerUp: String?
    public var status: Status
    /// JSON array of `{"name", "base_part", "base_category_id"}`: the target part names and the base
    /// part each comes from (edited by the reviewer when `status == .edited`).
    public var parts: String?
    public var decidedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, targetCategoryID = "target_category_id", baseCategoryID = "base_category_id"
        case score, runnerUp = "runner_up", status, parts, decidedAt = "decided_at"
    }

    public init(id: Int64? = nil, targetCategoryID: Int64, baseCategoryID: Int64, score: Double,
                runnerUp: String? = nil, status: Status = .proposed, parts: String? = nil, decidedAt: Date? = nil) {
        self.id = id; self.targetCategoryID = targetCategoryID; self.baseCategoryID = baseCategoryID
        self.score = score; self.runnerUp = runnerUp; self.status = status; self.parts = parts
        self.decidedAt = decidedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
