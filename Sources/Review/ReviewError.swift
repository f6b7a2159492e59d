import Foundation

/// Errors of `vlpart review`; each description is one line naming the file and the problem.
public enum ReviewError: Error, CustomStringConvertible, Equatable {
    /// The store holds no parse run to review.
    case noParseRun(store: String)
    /// A page or picture could not be written.
    case unwritable(path: String, reason: String)
    /// A page size below one.
    case badPageSize(Int)

    public var description: String {
        switch self {
        case let .noParseRun(store): "\(store): no parse run to review; run `vlpart parse` first"
        case let .unwritable(path, reason): "\(path): cannot write: \(reason)"
        case let .badPageSize(size): "--page-size must be at least 1, got \(size)"
        }
    }
}
