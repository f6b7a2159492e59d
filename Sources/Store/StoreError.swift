import Foundation

/// Everything the store and its importers and exporters can throw. Each description is one line
/// that names the file (store, JSON or image) and the problem.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The store file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The store was written by a newer vlpart: it holds migrations this binary does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The path is not a vlpart store (no migrations table, or tables of another program).
    case notAStore(path: String)
    /// A JSON file is malformed; `path` is the JSON path (`annotations[12].segmentation.counts`).
    case json(file: String, path: String, message: String)
    /// A file could not be read.
    case unreadable(file: String, reason: String)
    /// The dataset already exists with other content; `--replace` overwrites it.
    case datasetExists(name: String, file: String)
    /// No dataset has this name.
    case unknownDataset(name: String)
    /// An import found problems and `--strict` was given; `summary` lists the counts.
    case validationFailed(file: String, summary: String)
    /// A label operation named an annotation that does not exist.
    case unknownAnnotation(id: Int64)
    /// A label operation named a category that does not exist.
    case unknownCategory(name: String)
    /// A class-name map or id list file is malformed.
    case badListFile(file: String, line: Int, message: String)
    /// A file could not be written.
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "\(path): cannot open store: \(reason)"
        case let .newerSchema(path, unknown):
            "\(path): this store was written by a newer vlpart (unknown migrations: \(unknown.joined(separator: ", "))); upgrade vlpart to open it"
        case let .notAStore(path): "\(path): not a vlpart store"
        case let .json(file, path, message): "\(file): \(path.isEmpty ? "" : "\(path): ")\(message)"
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .datasetExists(name, file):
            "\(file): dataset '\(name)' already exists with different content; pass --replace to overwrite it"
        case let .unknownDataset(name): "no dataset named '\(name)' in the store"
        case let .validationFailed(file, summary): "\(file): import refused under --strict: \(summary)"
        case let .unknownAnnotation(id): "no annotation with id \(id) in the store"
        case let .unknownCategory(name): "no category named '\(name)' in the store"
        case let .badListFile(file, line, message): "\(file):\(line): \(message)"
        case let .unwritable(file, reason): "\(file): cannot write: \(reason)"
        }
    }
}
