import ArgumentParser
import Foundation
import Store

/// `vlpart stats`: counts per dataset, category, source and status.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count images, objects and parts per dataset, category and source, and labels per review state.",
        discussion: "Reads one consistent snapshot, so it works while an import or parse is writing."
    )

    @Flag(help: "Print JSON instead of tables.")
    var json = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let stats = try store.open().stats()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(stats), as: UTF8.self))
            return
        }
        print(table(["dataset", "role", "format", "images", "objects", "parts", "image labels"],
                    stats.datasets.map { [$0.name, $0.role, $0.format, "\($0.images)", "\($0.objects)", "\($0.parts)", "\($0.imageLabels)"] }))
        print("")
        print(table(["dataset", "category", "level", "labels"],
                    stats.categories.map { [$0.dataset, $0.category, $0.level, "\($0.count)"] }))
        print("")
        print(table(["source", "status", "labels"], stats.sources.map { [$0.source, $0.status, "\($0.count)"] }))
        print("")
        print(LabelStatus.allCases.map { "\($0.rawValue) \(stats.statuses[$0.rawValue] ?? 0)" }.joined(separator: ", "))
    }

    /// Left-aligned columns separated by two spaces.
    private func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
