/// Errors from reading, validating, merging and locating taxonomy files.
///
/// Every description is one line that starts with the file (and line, where one applies):
/// `taxonomies/pascal_part.yaml:14: object 'dog' lists part 'ear' twice`.
public enum TaxonomyError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The YAML itself is malformed (or has duplicate keys).
    case syntax(path: String, line: Int, message: String)
    /// A required key is absent.
    case missingKey(path: String, line: Int, key: String)
    /// A value has the wrong YAML type.
    case wrongType(path: String, line: Int, key: String, expected: String)
    /// A key that the format does not define (usually a typo).
    case unknownKey(path: String, line: Int, key: String)
    /// `naming` is neither `object:part` nor `Object Part`.
    case unknownNaming(path: String, line: Int, value: String)
    /// No objects, or an object whose parts list is missing (`dog:` with no value).
    case emptyObject(path: String, line: Int, object: String)
    /// An object or part name is blank or holds a character the naming convention reserves.
    case invalidName(path: String, line: Int, name: String, reason: String)
    /// Two objects normalise to the same name.
    case duplicateObject(path: String, line: Int, object: String)
    /// One object lists a part twice (after normalising case, `_` and spaces).
    case duplicatePart(path: String, line: Int, object: String, part: String)
    /// A synonym names an alias that no object in its scope has as a part.
    case unknownSynonym(path: String, line: Int, alias: String)
    /// A synonym or split names an object that the file does not define.
    case unknownObject(path: String, line: Int, object: String)
    /// A synonym would map one alias two ways, or fold two distinct parts of one object together.
    case conflictingSynonym(path: String, line: Int, alias: String, reason: String)
    /// Two files define the same taxonomy name.
    case duplicateTaxonomy(name: String, firstPath: String, secondPath: String)
    /// No shipped taxonomy has this name.
    case notFound(name: String, directory: String, available: [String])
    /// No `taxonomies/` directory was found.
    case directoryNotFound(searched: [String])

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read taxonomy: \(reason)"
        case let .syntax(path, line, message): "\(path):\(line): YAML error: \(message)"
        case let .missingKey(path, line, key): "\(path):\(line): missing key '\(key)'"
        case let .wrongType(path, line, key, expected): "\(path):\(line): '\(key)' must be \(expected)"
        case let .unknownKey(path, line, key): "\(path):\(line): unknown key '\(key)'"
        case let .unknownNaming(path, line, value):
            "\(path):\(line): naming '\(value)' is not one of \"object:part\", \"Object Part\""
        case let .emptyObject(path, line, object):
            object.isEmpty ? "\(path):\(line): 'objects' is empty"
                : "\(path):\(line): object '\(object)' has no parts list (write [] for an object without parts)"
        case let .invalidName(path, line, name, reason): "\(path):\(line): invalid name '\(name)': \(reason)"
        case let .duplicateObject(path, line, object): "\(path):\(line): object '\(object)' is defined twice"
        case let .duplicatePart(path, line, object, part): "\(path):\(line): object '\(object)' lists part '\(part)' twice"
        case let .unknownSynonym(path, line, alias):
            "\(path):\(line): synonym alias '\(alias)' is not a part of any object it applies to"
        case let .unknownObject(path, line, object): "\(path):\(line): unknown object '\(object)'"
        case let .conflictingSynonym(path, line, alias, reason): "\(path):\(line): synonym '\(alias)' \(reason)"
        case let .duplicateTaxonomy(name, first, second): "\(second): taxonomy '\(name)' is already defined by \(first)"
        case let .notFound(name, directory, available):
            "\(directory): no taxonomy named '\(name)' (available: \(available.joined(separator: ", ")))"
        case let .directoryNotFound(searched):
            "no taxonomies directory found (set VLPART_TAXONOMIES; searched \(searched.joined(separator: ", ")))"
        }
    }
}
