import ArgumentParser
import Foundation
import Store

/// `vlpart label list|accept|reject|relabel`: review labels one by one or by filter.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "List, accept, reject or relabel annotations, by --id, --ids-file or filters.",
        discussion: """
        Decisions stick: a rejected label is never resurrected by a later parse run, and accepted \
        or manual labels are never overwritten.
        Example: vlpart label reject --dataset imagenet --run demo --score-below 0.3
        The ids files that `vlpart review` pages give ("copy ids") work with --ids-file.
        """,
        subcommands: [List.self, Accept.self, Reject.self, Relabel.self]
    )

    /// `vlpart label list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show matching annotations.")
        @OptionGroup var filter: LabelFilterOptions
        @Option(help: "Show at most this many (0: all).")
        var limit = 50
        @Flag(help: "Print JSON.")
        var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let opened = try store.open()
            let selection = try filter.filter(store: opened)
            let rows = try opened.labels(matching: selection, limit: limit > 0 ? limit : nil)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
                return
            }
            for row in rows {
                let a = row.annotation
                let score = a.score.map { String(format: " score %.3f", $0) } ?? ""
                print("\(a.id ?? 0)  \(row.dataset)/\(row.fileName)  \(row.category)  \(a.level.rawValue)  \(a.source.rawValue)  \(a.status.rawValue)\(score)")
            }
            let total = try opened.countLabels(matching: selection)
            if total > rows.count { print("… \(total - rows.count) more (use --limit 0 for all)") }
        }
    }

    /// `vlpart label accept`.
    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept matching annotations.")
        @OptionGroup var filter: LabelFilterOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let opened = try store.open()
            let n = try opened.setStatus(.accepted, matching: try requireSelection(filter, opened))
            print("accepted \(n) labels")
        }
    }

    /// `vlpart label reject`.
    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject matching annotations (they stay rejected).")
        @OptionGroup var filter: LabelFilterOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let opened = try store.open()
            let n = try opened.setStatus(.rejected, matching: try requireSelection(filter, opened))
            print("rejected \(n) labels")
        }
    }

    /// `vlpart label relabel`.
    struct Relabel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give matching annotations another category; they become accepted manual labels.")
        @OptionGroup var filter: LabelFilterOptions
        @Option(help: "The new category (dog:head, or the dataset's spelling).")
        var to: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            let opened = try store.open()
            let n = try opened.relabel(matching: try requireSelection(filter, opened), to: to)
            print("relabelled \(n) labels as \(to)")
        }
    }
}

/// Refuses to change every label at once by accident.
private func requireSelection(_ options: LabelFilterOptions, _ store: Store) throws -> LabelFilter {
    let filter = try options.filter(store: store)
    if filter.isEmpty { throw ValidationError("select labels with --id, --ids-file or a filter (--dataset, --run, …)") }
    return filter
}
