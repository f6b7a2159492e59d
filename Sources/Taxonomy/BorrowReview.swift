import Foundation
import GRDB
import Store

/// A reviewer's decision about one borrow proposal.
public enum BorrowDecision: Sendable, Equatable {
    /// Accept the proposed base and parts (status `approved`).
    case approve
    /// Refuse borrowing for this category (status `rejected`); the parser skips it.
    case reject
    /// Keep the base but borrow only these parts, in this order (status `edited`). Each entry
    /// is a part of the base — by its target name (`foot`) or base name (`paw`) — or
    /// `new=base` to rename one (`hoof=foot`).
    case edit(parts: [String])
    /// Borrow from the best runner-up instead, with its parts (status `edited`).
    case runnerUp
}

/// What ``Store/decideBorrow(category:decision:taxonomy:now:)`` changed.
public struct BorrowDecisionResult: Sendable, Equatable {
    public var entry: BorrowEntry
    /// The status before, so callers can say out loud when a decision was overridden.
    public var previousStatus: Borrow.Status
    public var previousDecidedAt: Date?
    /// Whether an earlier decision was replaced.
    public var overrodeDecision: Bool { previousStatus != .proposed }
}

extension Store {
    /// Records a decision for the proposal of target category `category` (normalised name or
    /// any spelling the store normalises to it), with `decided_at = now`.
    ///
    /// Naming one category is the explicit request this needs to override an earlier decision;
    /// the result's ``BorrowDecisionResult/overrodeDecision`` says when it did, so the caller
    /// can report it. Bulk approval (``approveAllBorrows(minScore:now:)``) never overrides.
    ///
    /// - Throws: ``BorrowError/noProposal(store:category:)``, ``BorrowError/noRunnerUp(store:category:)``,
    ///   ``BorrowError/unknownPart(store:category:part:available:)``, ``BorrowError/badPartList(store:category:reason:)``.
    @discardableResult
    public func decideBorrow(category: String, decision: BorrowDecision, taxonomy: Taxonomy? = nil,
                             now: Date = Date()) throws -> BorrowDecisionResult {
        let key = Self.categoryKey(category)
        return try write { db in
            guard let entry = try borrowEntries(db).first(where: { $0.target == key }) else {
                throw BorrowError.noProposal(store: path, category: category)
            }
            guard var row = try Borrow.fetchOne(db, key: entry.id) else {
                throw BorrowError.noProposal(store: path, category: category)
            }
            var target = entry.target, base = entry.base
            switch decision {
            case .approve:
                row.status = .approved
            case .reject:
                row.status = .rejected
            case .edit(let names):
                let parts = try editedParts(names, of: entry)
                row.parts = try BorrowEntry.encode(parts)
                row.status = .edited
            case .runnerUp:
                guard let runner = entry.runnerUps.first else { throw BorrowError.noRunnerUp(store: path, category: category) }
                let parts = try borrowedParts(db, baseCategoryID: runner.categoryID, baseName: runner.category, taxonomy: taxonomy)
                let demoted = BorrowCandidate(category: entry.base, categoryID: entry.baseCategoryID, score: entry.score)
                row.runnerUp = try BorrowEntry.encode([demoted] + entry.runnerUps.dropFirst())
                row.baseCategoryID = runner.categoryID
                row.score = runner.score
                row.parts = try BorrowEntry.encode(parts)
                row.status = .edited
                base = runner.category
            }
            row.decidedAt = now
            try row.update(db)
            target = entry.target
            return BorrowDecisionResult(entry: BorrowEntry.from(row, target: target, base: base),
                                        previousStatus: entry.status, previousDecidedAt: entry.decidedAt)
        }
    }

    /// Approves every still-pending proposal whose score is at least `minScore`; decided ones
    /// are left alone. Returns the approved entries.
    @discardableResult
    public func approveAllBorrows(minScore: Double, now: Date = Date()) throws -> [BorrowEntry] {
        try write { db in
            var out: [BorrowEntry] = []
            for entry in try borrowEntries(db, statuses: [.proposed]) where entry.score >= minScore {
                guard var row = try Borrow.fetchOne(db, key: entry.id) else { continue }
                row.status = .approved
                row.decidedAt = now
                try row.update(db)
                out.append(BorrowEntry.from(row, target: entry.target, base: entry.base))
            }
            return out
        }
    }

    /// Up to `limit` object annotation ids of a category, lowest first, to show a reviewer.
    public func exampleObjects(categoryID: Int64, limit: Int = 5) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM annotation WHERE category_id = ? AND level = 'object' ORDER BY id LIMIT ?",
                               arguments: [categoryID, limit])
        }
    }

    /// Resolves a reviewer's part list against the proposal's borrowed parts.
    func editedParts(_ names: [String], of entry: BorrowEntry) throws -> [BorrowedPart] {
        let available = entry.parts.map(\.name)
        guard !names.isEmpty else { throw BorrowError.badPartList(store: path, category: entry.target, reason: "no parts given") }
        var out: [BorrowedPart] = []
        for raw in names {
            let pieces = raw.split(separator: "=", maxSplits: 1).map { PartNames.key(String($0)) }
            let newName = pieces[0], source = pieces.count > 1 ? pieces[1] : pieces[0]
            guard !newName.isEmpty, !newName.contains(":") else {
                throw BorrowError.badPartList(store: path, category: entry.target, reason: "invalid part name '\(raw)'")
            }
            guard let part = entry.parts.first(where: { $0.name == source })
                    ?? entry.parts.first(where: { PartNames.key($0.basePart) == source }) else {
                throw BorrowError.unknownPart(store: path, category: entry.target, part: source, available: available)
            }
            // Without `new=`, a part keeps the name it was proposed under (`paw` stays `foot`).
            let name = pieces.count > 1 ? newName : part.name
            // A name may repeat to fold several base parts into one (`body,body=neck`: the novel
            // object has no neck), never to list the same base part twice.
            guard !out.contains(where: { $0.name == name && $0.baseCategoryID == part.baseCategoryID }) else {
                throw BorrowError.badPartList(store: path, category: entry.target, reason: "part '\(name)' is listed twice")
            }
            guard !out.contains(where: { $0.name != name && $0.baseCategoryID == part.baseCategoryID }) else {
                throw BorrowError.badPartList(store: path, category: entry.target,
                                              reason: "base part '\(part.basePart)' is given two names")
            }
            out.append(BorrowedPart(name: name, basePart: part.basePart, baseCategoryID: part.baseCategoryID))
        }
        return out
    }
}
