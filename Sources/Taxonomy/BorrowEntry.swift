import Foundation
import GRDB
import Store

/// One borrowed part: its name for the target, and the base part category it comes from.
public struct BorrowedPart: Sendable, Equatable, Codable {
    /// The part's name for the target object, canonical after synonyms (`foot`); the target
    /// part category is `target:name` (`dog:foot`).
    public var name: String
    /// The base part as the store names it (`paw`).
    public var basePart: String
    /// The base part category's id (`cat:paw`).
    public var baseCategoryID: Int64

    enum CodingKeys: String, CodingKey { case name, basePart = "base_part", baseCategoryID = "base_category_id" }

    public init(name: String, basePart: String, baseCategoryID: Int64) {
        self.name = name; self.basePart = basePart; self.baseCategoryID = baseCategoryID
    }
}

/// A base category that ranked below the proposed one, with its combined score.
public struct BorrowCandidate: Sendable, Equatable, Codable {
    public var category: String
    public var categoryID: Int64
    public var score: Double

    enum CodingKeys: String, CodingKey { case category, categoryID = "category_id", score }

    public init(category: String, categoryID: Int64, score: Double) {
        self.category = category; self.categoryID = categoryID; self.score = score
    }
}

/// A stored borrow proposal (a `borrow` row) with names resolved and JSON columns decoded.
///
/// `borrow.parts` holds a JSON array of ``BorrowedPart`` objects (`{"name", "base_part",
/// "base_category_id"}`), `borrow.runner_up` a JSON array of ``BorrowCandidate``s, best first.
public struct BorrowEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var target: String
    public var targetCategoryID: Int64
    public var base: String
    public var baseCategoryID: Int64
    public var score: Double
    public var runnerUps: [BorrowCandidate]
    public var status: Borrow.Status
    public var parts: [BorrowedPart]
    public var decidedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, target, targetCategoryID = "target_category_id", base, baseCategoryID = "base_category_id"
        case score, runnerUps = "runner_up", status, parts, decidedAt = "decided_at"
    }

    /// Whether a reviewer has decided it (approved, edited or rejected).
    public var isDecided: Bool { status != .proposed }

    /// The borrowed parts as target part categories: `dog:head`, …
    public var targetPartNames: [String] {
        var names: [String] = []   // a name fed by several base parts is one target part
        for part in parts where !names.contains(part.name) { names.append(part.name) }
        return names.map { "\(target):\($0)" }
    }
}

/// What ``Store/approvedBorrow(forTargetCategory:)`` returns: the parts a target object
/// category borrows, in order, each aligned with the base part category it comes from.
public struct ApprovedBorrow: Sendable, Equatable {
    /// The base object category (`cat`).
    public var baseCategoryID: Int64
    /// Part names for the target, canonical (`head`, `foot`, …); the target part category is
    /// `target:name`.
    public var partNames: [String]
    /// The base part category of each entry of `partNames` (same order and count).
    public var basePartCategoryIDs: [Int64]
}

extension BorrowEntry {
    static let json: (JSONEncoder, JSONDecoder) = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (e, JSONDecoder())
    }()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try json.0.encode(value), as: UTF8.self)
    }

    /// Decodes a `borrow` row; malformed JSON columns decode as empty lists.
    static func from(_ row: Borrow, target: String, base: String) -> BorrowEntry {
        let parts = row.parts.flatMap { try? json.1.decode([BorrowedPart].self, from: Data($0.utf8)) } ?? []
        let runners = row.runnerUp.flatMap { try? json.1.decode([BorrowCandidate].self, from: Data($0.utf8)) } ?? []
        return BorrowEntry(id: row.id ?? 0, target: target, targetCategoryID: row.targetCategoryID, base: base,
                           baseCategoryID: row.baseCategoryID, score: row.score, runnerUps: runners,
                           status: row.status, parts: parts, decidedAt: row.decidedAt)
    }
}

extension Store {
    /// The approved borrow of a target object category, for the parser: the base category, the
    /// target part names in order and the base part category ids in the same order. `nil` when
    /// the category has no proposal, or its proposal is still pending or was rejected.
    /// Proposals a reviewer approved, edited (parts renamed or dropped) or switched to the
    /// runner-up all count as approved.
    ///
    /// ```swift
    /// if let borrow = try store.approvedBorrow(forTargetCategory: dogID) {
    ///     for (name, baseID) in zip(borrow.partNames, borrow.basePartCategoryIDs) { … }
    /// }
    /// ```
    public func approvedBorrow(forTargetCategory categoryID: Int64) throws -> ApprovedBorrow? {
        let row = try read { db in
            try Borrow.filter(Column("target_category_id") == categoryID).order(Column("id").desc).fetchOne(db)
        }
        guard let row, row.status == .approved || row.status == .edited else { return nil }
        let entry = BorrowEntry.from(row, target: "", base: "")
        guard !entry.parts.isEmpty else { return nil }
        return ApprovedBorrow(baseCategoryID: entry.baseCategoryID, partNames: entry.parts.map(\.name),
                              basePartCategoryIDs: entry.parts.map(\.baseCategoryID))
    }

    /// Every stored proposal (the newest per target category), sorted by target name;
    /// optionally only those with the given statuses.
    public func borrowEntries(statuses: Set<Borrow.Status>? = nil) throws -> [BorrowEntry] {
        try read { db in try borrowEntries(db, statuses: statuses) }
    }

    func borrowEntries(_ db: Database, statuses: Set<Borrow.Status>? = nil) throws -> [BorrowEntry] {
        let rows = try Borrow.order(Column("id")).fetchAll(db)
        var newest: [Int64: Borrow] = [:]
        for row in rows { newest[row.targetCategoryID] = row }
        var names: [Int64: String] = [:]
        for category in try Category.filter(Column("level") == Level.object.rawValue).fetchAll(db) {
            if let id = category.id { names[id] = category.name }
        }
        return newest.values
            .filter { statuses?.contains($0.status) ?? true }
            .map { BorrowEntry.from($0, target: names[$0.targetCategoryID] ?? "#\($0.targetCategoryID)",
                                    base: names[$0.baseCategoryID] ?? "#\($0.baseCategoryID)") }
            .sorted { $0.target < $1.target }
    }

    /// A base category's part categories as borrowed parts, renamed through `taxonomy`'s
    /// synonyms (the first file defining the base object; key-normalised otherwise), in id
    /// order, without repeats after renaming.
    func borrowedParts(_ db: Database, baseCategoryID: Int64, baseName: String, taxonomy: Taxonomy?) throws -> [BorrowedPart] {
        let rows = try Category.filter(Column("level") == Level.part.rawValue && Column("object_category_id") == baseCategoryID)
            .order(Column("id")).fetchAll(db)
        var seen = Set<String>()
        var out: [BorrowedPart] = []
        for row in rows {
            guard let id = row.id, let part = row.partName else { continue }
            let name = taxonomy?.normalize(PartName(object: baseName, part: part)).part ?? PartNames.key(part)
            if seen.insert(name).inserted { out.append(BorrowedPart(name: name, basePart: part, baseCategoryID: id)) }
        }
        return out
    }
}
