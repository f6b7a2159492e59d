import Foundation
import GRDB

/// One execution of a long job (import, features, parse, train, eval, pretrain) with its
/// parameters and results as JSON. Labels a run writes point back to it.
public struct Run: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"
    /// Lifecycle of a run.
    public enum Status: String, Codable, Sendable, DatabaseValueConvertible { case running, finished, failed }

    public var id: Int64?
    /// `import`, `features`, `parse`, `train`, `eval`, `pretrain`.
    public var kind: String
    public var params: String?
    public var status: Status
    public var startedAt: Date
    public var finishedAt: Date?
    public var stats: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, params, status, startedAt = "started_at", finishedAt = "finished_at", stats
    }

    public init(id: Int64? = nil, kind: String, params: String? = nil, status: Status = .running,
                startedAt: Date = Date(), finishedAt: Date? = nil, stats: String? = nil) {
        self.id = id; self.kind = kind; self.params = params; self.status = status
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.stats = stats
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One unit of a resumable, shardable run: an annotation (usually a target object) and its state.
public struct WorkItem: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "work_item"
    /// Progress of one work item.
    public enum State: String, Codable, Sendable, DatabaseValueConvertible { case pending, running, done, failed }

    public var runID: Int64
    public var annotationID: Int64
    public var state: State
    public var error: String?

    enum CodingKeys: String, CodingKey { case runID = "run_id", annotationID = "annotation_id", state, error }

    public init(runID: Int64, annotationID: Int64, state: State = .pending, error: String? = nil) {
        self.runID = runID; self.annotationID = annotationID; self.state = state; self.error = error
    }
}
