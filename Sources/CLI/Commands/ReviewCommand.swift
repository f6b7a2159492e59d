import ArgumentParser
import Foundation
import Review
import Store

/// `vlpart review`: writes a static HTML site for looking at a parse run's labels.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Write a static HTML site of a parse run's part labels, least confident first.",
        discussion: """
        The site opens from disk in any browser (no server, no network): index.html has counts per \
        category and score histograms; objects-<n>.html pages show each object's crop with its \
        parts coloured, the base object it borrowed them from, the score and id of every part \
        label, and a "copy ids" box; taxonomy.html lists every borrow proposal. \
        Pictures go to img/obj-<annotation id>.png.
        Decide from the terminal with the ids a page gives you:
          vlpart review --out review --status pending
          (copy the ids of bad objects into bad.txt)
          vlpart label reject --ids-file bad.txt
          vlpart label accept --run demo --status pending
        Prints the path of index.html (or, with --json, a summary).
        """
    )

    @Option(help: ArgumentHelp("The folder to write the site into (created if needed).", valueName: "dir"))
    var out: String
    @Option(name: .customLong("run"),
            help: ArgumentHelp("The parse run to review, by name or id (default: the newest parse run).", valueName: "run"))
    var parseRun: String?
    @Option(help: "Order of objects: score (least confident first) or category.")
    var sort: ReviewSort = .score
    @Option(help: "Only part labels in these states, comma-separated: pending, accepted, rejected (default: all).")
    var status: String?
    @Option(name: .customLong("page-size"), help: "Objects per page.")
    var pageSize = 50
    @Option(name: .customLong("picture-size"), help: "Long side of object crops in the pictures, pixels.")
    var pictureSize = 192
    @Flag(help: "Print a JSON summary {index, run_id, run_name, objects, parts, pages, pictures, picture_failures}.")
    var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if pageSize < 1 { throw ValidationError("--page-size must be at least 1, got \(pageSize)") }
        if pictureSize < 16 { throw ValidationError("--picture-size must be at least 16, got \(pictureSize)") }
    }

    func run() throws {
        var options = ReviewOptions()
        options.run = parseRun
        options.sort = sort
        options.statuses = try status.map { try parseList($0, "--status") }
        options.pageSize = pageSize
        options.pictureSize = pictureSize
        let site = ReviewSite(store: try store.open(), options: options)
        let progress = ProgressReporter("review", unit: "obj")
        let summary = try site.write(to: URL(fileURLWithPath: out)) { done, total in progress.update(done, of: total) }
        if summary.pictureFailures > 0 {
            FileHandle.standardError.write(Data("review: \(summary.pictureFailures) pictures could not be drawn; the pages say why\n".utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.index)
        }
    }
}

extension ReviewSort: ExpressibleByArgument {}
