import GRDB

/// The level of a category or annotation: a whole scene, an object, or a part of an object.
public enum Level: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case scene, object, part
}

/// Where a label came from. `gold` is imported ground truth, `parsed` comes from `vlpart parse`,
/// `predicted` from the segmenter, `manual` from a person.
public enum LabelSource: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case gold, parsed, predicted, manual
}

/// A label's review state. Rejected labels are never resurrected and accepted ones never
/// overwritten by a later run.
public enum LabelStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case pending, accepted, rejected
}

/// Whether a dataset provides parts (`source`) or receives them (`target`).
public enum DatasetRole: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case source, target
}
