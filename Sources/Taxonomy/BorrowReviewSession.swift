import Foundation
import Store

/// The interactive review loop of `vlpart taxonomy review`: one pending proposal at a time,
/// showing its score, runner-up and example objects, reading one answer line per prompt.
///
/// Answers: `a` approve, `r` pick the runner-up, `e` edit parts (then a comma-separated part
/// list, `new=base` to rename), `x` reject, `s` skip, `q` quit. Input and output are closures
/// so tests (and the CLI on a pipe with `--interactive`) can drive it.
public struct BorrowReviewSession {
    public var store: Store
    public var taxonomy: Taxonomy?
    /// Reads one line (without its newline); `nil` at end of input, which ends the session.
    public var readLine: () -> String?
    public var write: (String) -> Void

    /// Counts of what the session did.
    public struct Summary: Sendable, Equatable {
        public var approved = 0, edited = 0, rejected = 0, skipped = 0
        public var quit = false
    }

    public init(store: Store, taxonomy: Taxonomy? = nil, readLine: @escaping () -> String?,
                write: @escaping (String) -> Void) {
        self.store = store; self.taxonomy = taxonomy; self.readLine = readLine; self.write = write
    }

    /// Reviews every pending proposal in target-name order.
    public func run() throws -> Summary {
        var summary = Summary()
        let pending = try store.borrowEntries(statuses: [.proposed])
        if pending.isEmpty { write("No pending proposals. Run `vlpart taxonomy propose` first.\n") }
        for (index, entry) in pending.enumerated() {
            write(try describe(entry, index: index + 1, of: pending.count))
            answer: while true {
                write("[a]pprove, [r]unner-up, [e]dit parts, [x] reject, [s]kip, [q]uit? ")
                guard let line = readLine() else { summary.quit = true; return summary }
                do {
                    switch line.trimmingCharacters(in: .whitespaces).lowercased() {
                    case "a", "approve":
                        try store.decideBorrow(category: entry.target, decision: .approve, taxonomy: taxonomy)
                        summary.approved += 1
                        write("approved \(entry.target) ← \(entry.base)\n")
                    case "r", "runner-up":
                        let result = try store.decideBorrow(category: entry.target, decision: .runnerUp, taxonomy: taxonomy)
                        summary.edited += 1
                        write("\(entry.target) now borrows from \(result.entry.base): \(result.entry.targetPartNames.joined(separator: ", "))\n")
                    case "e", "edit":
                        write("parts (comma-separated; new=base renames, a repeated name folds base parts into one) [\(entry.parts.map { $0.name == PartNames.key($0.basePart) ? $0.name : "\($0.name)=\($0.basePart)" }.joined(separator: ","))]: ")
                        guard let list = readLine() else { summary.quit = true; return summary }
                        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                        let result = try store.decideBorrow(category: entry.target, decision: .edit(parts: names), taxonomy: taxonomy)
                        summary.edited += 1
                        write("edited \(entry.target): \(result.entry.targetPartNames.joined(separator: ", "))\n")
                    case "x", "reject":
                        try store.decideBorrow(category: entry.target, decision: .reject, taxonomy: taxonomy)
                        summary.rejected += 1
                        write("rejected \(entry.target)\n")
                    case "s", "skip", "":
                        summary.skipped += 1
                    case "q", "quit":
                        summary.quit = true
                        return summary
                    default:
                        write("unknown answer '\(line)'\n")
                        continue answer
                    }
                } catch let error as BorrowError {
                    write("\(error)\n")
                    continue answer
                }
                break answer
            }
        }
        return summary
    }

    /// The block shown for one proposal.
    func describe(_ entry: BorrowEntry, index: Int, of total: Int) throws -> String {
        let examples = try store.exampleObjects(categoryID: entry.targetCategoryID)
        var text = "\n[\(index)/\(total)] \(entry.target) ← \(entry.base)  score \(String(format: "%.3f", entry.score))\n"
        text += "  parts: \(entry.targetPartNames.joined(separator: ", "))\n"
        if let runner = entry.runnerUps.first {
            text += "  runner-up: \(runner.category)  score \(String(format: "%.3f", runner.score))\n"
        } else {
            text += "  runner-up: none\n"
        }
        text += "  example objects (annotation ids): \(examples.map(String.init).joined(separator: ", "))\n"
        return text
    }
}
