import GRDB

/// What `vlpart stats` reports: per dataset, per category and per source/status.
public struct StoreStats: Sendable, Equatable, Codable {
    /// Counts of one dataset.
    public struct DatasetCounts: Sendable, Equatable, Codable {
        public var name: String, role: String, format: String
        public var images = 0, objects = 0, parts = 0, imageLabels = 0
    }
    /// Annotations of one category in one dataset.
    public struct CategoryCounts: Sendable, Equatable, Codable {
        public var dataset: String, category: String, level: String, count: Int
    }
    /// Annotations of one source and status.
    public struct SourceCounts: Sendable, Equatable, Codable {
        public var source: String, status: String, count: Int
    }

    public var datasets: [DatasetCounts] = []
    public var categories: [CategoryCounts] = []
    public var sources: [SourceCounts] = []
    /// Total annotations by status (`pending`, `accepted`, `rejected`).
    public var statuses: [String: Int] = [:]
}

extension Store {
    /// Counts everything in one read snapshot; works while another process imports.
    public func stats() throws -> StoreStats {
        try read { db in
            var stats = StoreStats()
            for dataset in try Dataset.order(Column("name")).fetchAll(db) {
                var counts = StoreStats.DatasetCounts(name: dataset.name, role: dataset.role.rawValue, format: dataset.format)
                let id = dataset.id ?? 0
                counts.images = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image WHERE dataset_id = ?", arguments: [id]) ?? 0
                for row in try Row.fetchAll(db, sql: """
                    SELECT a.level, COUNT(*) FROM annotation a JOIN image i ON i.id = a.image_id
                    WHERE i.dataset_id = ? GROUP BY a.level
                    """, arguments: [id]) {
                    if (row[0] as String) == "object" { counts.objects = row[1] } else { counts.parts = row[1] }
                }
                counts.imageLabels = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM image_label l JOIN image i ON i.id = l.image_id WHERE i.dataset_id = ?
                    """, arguments: [id]) ?? 0
                stats.datasets.append(counts)
            }
            stats.categories = try Row.fetchAll(db, sql: """
                SELECT d.name, c.name, c.level, COUNT(*) \(LabelFilter.fromClause)
                GROUP BY d.id, c.id ORDER BY d.name, c.level, c.name
                """).map { .init(dataset: $0[0], category: $0[1], level: $0[2], count: $0[3]) }
            stats.sources = try Row.fetchAll(db, sql: """
                SELECT source, status, COUNT(*) FROM annotation GROUP BY source, status ORDER BY source, status
                """).map { .init(source: $0[0], status: $0[1], count: $0[2]) }
            for status in LabelStatus.allCases {
                stats.statuses[status.rawValue] = stats.sources.filter { $0.status == status.rawValue }.map(\.count).reduce(0, +)
            }
            return stats
        }
    }
}
