import GRDB

/// Which annotations a label command, stats query or export selects. Empty fields select all.
///
/// ```swift
/// let weak = LabelFilter(dataset: "imagenet", runID: 3, scoreBelow: 0.4, statuses: [.pending])
/// try store.setStatus(.rejected, matching: weak)
/// ```
public struct LabelFilter: Sendable, Equatable {
    /// Exact annotation ids.
    public var ids: [Int64]?
    /// Dataset name.
    public var dataset: String?
    /// Category name, normalised (`dog:head`) or as the dataset spells it (`Quadruped Head`).
    public var category: String?
    public var runID: Int64?
    /// Only labels whose score is below this (labels without a score never match).
    public var scoreBelow: Double?
    public var sources: [LabelSource]?
    public var statuses: [LabelStatus]?

    public init(ids: [Int64]? = nil, dataset: String? = nil, category: String? = nil, runID: Int64? = nil,
                scoreBelow: Double? = nil, sources: [LabelSource]? = nil, statuses: [LabelStatus]? = nil) {
        self.ids = ids; self.dataset = dataset; self.category = category; self.runID = runID
        self.scoreBelow = scoreBelow; self.sources = sources; self.statuses = statuses
    }

    /// `true` when nothing restricts the selection.
    public var isEmpty: Bool { self == LabelFilter() }

    /// The SQL condition over `annotation a JOIN image i JOIN dataset d JOIN category c`, with its
    /// bound arguments (values are never spliced into the SQL text).
    func whereClause() -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let ids {
            clauses.append("a.id IN (SELECT value FROM json_each(?))")
            arguments += [ "[" + ids.map(String.init).joined(separator: ",") + "]" ]
        }
        if let dataset { clauses.append("d.name = ?"); arguments += [dataset] }
        if let category {
            clauses.append("""
                (c.name = ? OR c.id IN (SELECT dc.category_id FROM dataset_category dc
                  WHERE dc.source_name = ? OR dc.export_name = ?))
                """)
            arguments += [CategoryNaming.normalise(category), category, category]
        }
        if let runID { clauses.append("a.run_id = ?"); arguments += [runID] }
        if let scoreBelow { clauses.append("a.score < ?"); arguments += [scoreBelow] }
        if let sources {
            clauses.append("a.source IN (SELECT value FROM json_each(?))")
            arguments += [jsonArray(sources.map(\.rawValue))]
        }
        if let statuses {
            clauses.append("a.status IN (SELECT value FROM json_each(?))")
            arguments += [jsonArray(statuses.map(\.rawValue))]
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }

    private func jsonArray(_ words: [String]) -> String {
        "[" + words.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    /// The join every filtered query starts from.
    static let fromClause = """
        FROM annotation a JOIN image i ON i.id = a.image_id JOIN dataset d ON d.id = i.dataset_id
        JOIN category c ON c.id = a.category_id
        """
}
