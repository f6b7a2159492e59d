import ArgumentParser
import Foundation
import Store
import Taxonomy

/// `vlpart taxonomy review`: approve, edit or reject borrow proposals.
struct TaxonomyReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Approve, edit or reject borrow proposals, interactively or with flags.",
        discussion: """
        On a terminal (or with --interactive) each pending proposal is shown with its score, \
        runner-up and example object ids; answer a (approve), r (borrow from the runner-up), \
        e (edit the part list), x (reject), s (skip) or q (quit). Decisions are stored with their \
        time. Flags decide without prompting; naming a category is what it takes to change an \
        earlier decision for it (the change is printed), and --approve-all only touches pending \
        proposals. Without a terminal and without flags the pending proposals are listed.

        Examples:
          vlpart taxonomy review
          vlpart taxonomy review --approve dog --reject bus
          vlpart taxonomy review --edit dog --parts head,torso,leg,foot=paw,tail
          vlpart taxonomy review --runner-up bus
          vlpart taxonomy review --approve-all --min-score 0.6
        """
    )

    @Option(help: ArgumentHelp("Approve this category's proposal (repeatable).", valueName: "category"))
    var approve: [String] = []
    @Option(help: ArgumentHelp("Reject this category's proposal (repeatable).", valueName: "category"))
    var reject: [String] = []
    @Option(help: ArgumentHelp("Edit this category's part list (with --parts).", valueName: "category"))
    var edit: String?
    @Option(help: ArgumentHelp("Parts for --edit, comma-separated; new=base renames a base part, and a name given twice folds two base parts into one (body,body=neck: the novel object has no neck).", valueName: "a,b,c"))
    var parts: String?
    @Option(name: .customLong("runner-up"), help: ArgumentHelp("Borrow from this category's runner-up instead (repeatable).", valueName: "category"))
    var runnerUp: [String] = []
    @Flag(name: .customLong("approve-all"), help: "Approve every pending proposal scoring at least --min-score.")
    var approveAll = false
    @Option(name: .customLong("min-score"), help: "Lowest score --approve-all approves.")
    var minScore: Double?
    @Flag(help: "Prompt even when standard input is not a terminal (answers are read line by line).")
    var interactive = false

    @OptionGroup var location: TaxonomyDirectoryOption
    @OptionGroup var store: StoreOptions

    private var hasDecisionFlags: Bool { !approve.isEmpty || !reject.isEmpty || edit != nil || !runnerUp.isEmpty || approveAll }

    func validate() throws {
        if (edit == nil) != (parts == nil) { throw ValidationError("--edit CATEGORY and --parts a,b,c go together") }
        if approveAll && minScore == nil { throw ValidationError("--approve-all needs --min-score X (use 0 to approve everything)") }
        if minScore != nil && !approveAll { throw ValidationError("--min-score is only used with --approve-all") }
        if interactive && hasDecisionFlags { throw ValidationError("--interactive cannot be combined with decision flags") }
    }

    func run() throws {
        let store = try self.store.open()
        let taxonomy = location.synonymTable()
        if hasDecisionFlags {
            var decisions: [(String, BorrowDecision)] = approve.map { ($0, .approve) } + reject.map { ($0, .reject) }
            decisions += runnerUp.map { ($0, .runnerUp) }
            if let edit, let parts {
                decisions.append((edit, .edit(parts: parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })))
            }
            for (category, decision) in decisions {
                let result = try store.decideBorrow(category: category, decision: decision, taxonomy: taxonomy)
                let e = result.entry
                var line = "\(e.target): \(e.status.rawValue) ← \(e.base) (\(e.targetPartNames.joined(separator: ", ")))"
                if result.overrodeDecision {
                    line += "; replaces the earlier decision '\(result.previousStatus.rawValue)'"
                        + (result.previousDecidedAt.map { " of \(ISO8601DateFormatter().string(from: $0))" } ?? "")
                }
                print(line)
            }
            if approveAll, let minScore {
                let approved = try store.approveAllBorrows(minScore: minScore)
                print("approved \(approved.count) pending proposals scoring ≥ \(minScore)"
                      + (approved.isEmpty ? "" : ": " + approved.map(\.target).joined(separator: ", ")))
            }
            return
        }
        if interactive || isatty(STDIN_FILENO) != 0 {
            let session = BorrowReviewSession(store: store, taxonomy: taxonomy, readLine: { Swift.readLine() }, write: { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            })
            let s = try session.run()
            print("\napproved \(s.approved), edited \(s.edited), rejected \(s.rejected), skipped \(s.skipped)")
            return
        }
        let pending = try store.borrowEntries(statuses: [.proposed])
        print(alignedTable(["target", "base", "score", "runner-up", "parts"], pending.map { e in
            [e.target, e.base, String(format: "%.3f", e.score),
             e.runnerUps.first.map { "\($0.category) \(String(format: "%.3f", $0.score))" } ?? "-",
             e.targetPartNames.joined(separator: ", ")]
        }))
        note("\(pending.count) pending proposals; standard input is not a terminal: decide with --approve CAT, --reject CAT, "
             + "--edit CAT --parts a,b, --runner-up CAT, --approve-all --min-score X, or prompt with --interactive")
    }
}
