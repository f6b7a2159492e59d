import ArgumentParser
import Foundation
import Store

/// `--db PATH`, shared by every command that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store file.", discussion: "Default: $VLPART_DB, else ./vlpart.sqlite.", valueName: "path"))
    var db: String?

    /// The resolved store path.
    var path: String { StoreLocation.resolve(flag: db, environment: ProcessInfo.processInfo.environment) }

    /// Opens the store (creating it when `create`), migrating an older one.
    func open(create: Bool = false) throws -> Store { try Store(path: path, create: create) }
}

/// Label selection flags shared by `vlpart label` subcommands.
struct LabelFilterOptions: ParsableArguments {
    @Option(name: .customLong("id"), help: "An annotation id (repeat for several).")
    var ids: [Int64] = []
    @Option(name: .customLong("ids-file"), help: "A file of annotation ids, one per line or separated by spaces.")
    var idsFile: String?
    @Option(help: "Only labels on this dataset's images.")
    var dataset: String?
    @Option(help: "Only this category: normalised (dog:head) or as the dataset spells it (\"Quadruped Head\").")
    var category: String?
    @Option(help: ArgumentHelp("Only labels written by this run, by name or id (see `vlpart review`).", valueName: "run"))
    var run: String?
    @Option(name: .customLong("score-below"), help: "Only labels whose score is below this value.")
    var scoreBelow: Double?
    @Option(help: "Comma-separated sources: gold, parsed, predicted, manual.")
    var source: String?
    @Option(help: "Comma-separated statuses: pending, accepted, rejected.")
    var status: String?

    /// The filter these flags describe; `store` resolves a `--run` name to its id.
    func filter(store: Store) throws -> LabelFilter {
        var ids = self.ids
        if let idsFile {
            guard let data = FileManager.default.contents(atPath: idsFile) else {
                throw ValidationError("\(idsFile): cannot read the ids file")
            }
            for (n, token) in String(decoding: data, as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," || $0 == "\r" }).enumerated() {
                guard let id = Int64(token) else { throw ValidationError("\(idsFile): item \(n + 1) '\(token)' is not an annotation id") }
                ids.append(id)
            }
        }
        return LabelFilter(ids: ids.isEmpty && idsFile == nil ? nil : ids, dataset: dataset, category: category,
                           runID: try run.map { try store.run($0).id }, scoreBelow: scoreBelow,
                           sources: try source.map { try parseList($0, "--source") },
                           statuses: try status.map { try parseList($0, "--status") })
    }
}

/// Parses `gold,parsed` into enum values, naming the flag and the allowed words on error.
func parseList<T: RawRepresentable & CaseIterable>(_ text: String, _ flag: String) throws -> [T] where T.RawValue == String {
    try text.split(separator: ",").map { word in
        let word = word.trimmingCharacters(in: .whitespaces)
        guard let value = T(rawValue: word) else {
            throw ValidationError("\(flag): '\(word)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension ImportFormat: ExpressibleByArgument {}
extension DatasetRole: ExpressibleByArgument {}
