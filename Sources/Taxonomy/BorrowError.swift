/// Errors from proposing, reviewing and exporting borrowed taxonomies. Each description is one
/// line naming the store (or file) and the problem.
public enum BorrowError: Error, CustomStringConvertible, Equatable {
    /// No CLS embeddings of object annotations are stored.
    case noEmbeddings(store: String)
    /// CLS embeddings of several models are stored and none was chosen.
    case ambiguousModel(store: String, models: [String])
    /// `--model-sha` names no stored model (or a prefix matching several).
    case unknownModel(store: String, sha: String, models: [String])
    /// No dataset has the role target (or the named dataset has no object annotations).
    case noTargets(store: String, detail: String)
    /// No source-role object with a CLS embedding belongs to a category that has parts.
    case noBases(store: String)
    /// Two CLS vectors of one model have different lengths.
    case dimensionMismatch(store: String, annotationID: Int64, expected: Int, found: Int)
    /// No proposal exists for this target category.
    case noProposal(store: String, category: String)
    /// The proposal has no runner-up to pick.
    case noRunnerUp(store: String, category: String)
    /// An edited part list names a part the base category does not have.
    case unknownPart(store: String, category: String, part: String, available: [String])
    /// An edited part list is empty or repeats a part.
    case badPartList(store: String, category: String, reason: String)
    /// A file could not be written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .noEmbeddings(store):
            "\(store): no CLS embeddings of object annotations; run `vlpart features cache` first"
        case let .ambiguousModel(store, models):
            "\(store): CLS embeddings of several models are stored (\(models.joined(separator: ", "))); choose one with --model-sha"
        case let .unknownModel(store, sha, models):
            "\(store): no single stored model matches --model-sha \(sha) (stored: \(models.joined(separator: ", ")))"
        case let .noTargets(store, detail): "\(store): no target objects to propose for: \(detail)"
        case let .noBases(store):
            "\(store): no base (source-role) objects with CLS embeddings in categories that have parts"
        case let .dimensionMismatch(store, id, expected, found):
            "\(store): CLS embedding of annotation \(id) has \(found) values, expected \(expected)"
        case let .noProposal(store, category):
            "\(store): no borrow proposal for category '\(category)'; run `vlpart taxonomy propose` first"
        case let .noRunnerUp(store, category): "\(store): the proposal for '\(category)' has no runner-up"
        case let .unknownPart(store, category, part, available):
            "\(store): '\(category)' cannot borrow part '\(part)' (base parts: \(available.joined(separator: ", ")); rename with new=base)"
        case let .badPartList(store, category, reason): "\(store): part list for '\(category)': \(reason)"
        case let .unwritable(path, reason): "\(path): cannot write: \(reason)"
        }
    }
}
