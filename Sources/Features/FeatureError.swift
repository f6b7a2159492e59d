/// Errors of the Features module; each description is one line naming the file or input.
public enum FeatureError: Error, CustomStringConvertible, Equatable {
    /// The checkpoint could not be read or is not a ViT this module knows.
    case unreadable(path: String, reason: String)
    /// Parameters the model needs are absent from the checkpoint.
    case missingKeys(path: String, keys: [String])
    /// Checkpoint tensors that match no parameter.
    case unusedKeys(path: String, keys: [String])
    /// A tensor has the wrong shape for the inferred configuration.
    case shapeMismatch(path: String, key: String, expected: [Int], found: [Int])
    /// The configuration (inferred or from config.json) is inconsistent.
    case invalidConfig(path: String, reason: String)
    /// The input image or tensor cannot go through the model with these options.
    case invalidInput(name: String, reason: String)

    public var description: String {
        func list(_ keys: [String]) -> String {
            keys.prefix(6).joined(separator: ", ") + (keys.count > 6 ? ", …" : "")
        }
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read checkpoint: \(reason)"
        case let .missingKeys(path, keys): return "\(path): missing \(keys.count) parameters (\(list(keys)))"
        case let .unusedKeys(path, keys): return "\(path): \(keys.count) keys match no parameter (\(list(keys)))"
        case let .shapeMismatch(path, key, e, f): return "\(path): \(key) has shape \(f), expected \(e)"
        case let .invalidConfig(path, reason): return "\(path): invalid ViT configuration: \(reason)"
        case let .invalidInput(name, reason): return "\(name): \(reason)"
        }
    }
}
