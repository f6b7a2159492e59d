import Foundation

/// Name normalisation shared by taxonomy files, importers and parsing.
///
/// Datasets spell the same thing differently: `Quadruped Body`, `dog:torso`,
/// `car_(automobile):wheel`, `license plate`. vlpart compares names by a *key*: lowercase,
/// `_` read as a space, runs of spaces collapsed, and for objects an LVIS-style parenthesised
/// qualifier dropped. Keys are only for matching; the dataset's own spelling is kept for
/// export.
public enum PartNames {
    /// The matching key of a part name: `Side Mirror` → `side mirror`, `inner_body` → `inner body`.
    public static func key(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The matching key of an object name: `car_(automobile)` → `car`, `Potted_Plant` → `potted plant`.
    public static func objectKey(_ name: String) -> String {
        key(PartName.readable(name))
    }
}

/// One synonym rule of a taxonomy file: `aliases` normalise to `canonical`, optionally only
/// for some objects.
///
/// ```yaml
/// - canonical: foot
///   aliases: [paw]
///   also: [hand]          # other parts a paw may correspond to when matching taxonomies
///   objects: [cat, dog]   # omit to apply to every object of the file
/// ```
public struct SynonymRule: Sendable, Equatable {
    /// The part name the aliases become (a key: lowercase, spaces).
    public var canonical: String
    /// Dataset spellings that mean `canonical`.
    public var aliases: [String]
    /// Further canonical parts an alias may also correspond to (for cross-dataset matching).
    public var also: [String]
    /// Objects (dataset spelling) the rule applies to; `nil` means all objects of the file.
    public var objects: [String]?
    /// 1-based line of the rule in its file.
    public var line: Int

    public init(canonical: String, aliases: [String], also: [String] = [], objects: [String]? = nil, line: Int = 0) {
        self.canonical = canonical
        self.aliases = aliases
        self.also = also
        self.objects = objects
        self.line = line
    }

    /// Whether the rule applies to parts of `object` (compared by object key).
    public func applies(to object: String) -> Bool {
        guard let objects else { return true }
        let key = PartNames.objectKey(object)
        return objects.contains { PartNames.objectKey($0) == key }
    }

    /// Whether `part` (any spelling) is one of the aliases.
    public func matches(part: String) -> Bool {
        let key = PartNames.key(part)
        return aliases.contains { PartNames.key($0) == key }
    }
}

/// A dataset's part category name resolved to vlpart's normalised (object, part) pair.
///
/// `original` keeps the dataset spelling for export; `object` and `part` are keys after the
/// synonym table: PartImageNet `Quadruped Body` → (`quadruped`, `torso`), PASCAL-Part
/// `cat:paw` → (`cat`, `foot`, alternatives `[hand]`).
public struct NormalizedPartName: Hashable, Sendable, CustomStringConvertible {
    /// Object key (`car`, `quadruped`).
    public var object: String
    /// Canonical part key after synonyms (`torso`, `wheel`).
    public var part: String
    /// Other canonical parts this one may correspond to (`hand` for a paw).
    public var alternatives: [String]
    /// The name as the dataset spells it.
    public var original: PartName
    /// The taxonomy (dataset) whose rules were applied, if any.
    public var dataset: String?

    public init(object: String, part: String, alternatives: [String] = [], original: PartName, dataset: String? = nil) {
        self.object = object
        self.part = part
        self.alternatives = alternatives
        self.original = original
        self.dataset = dataset
    }

    /// The normalised pair as `object:part`.
    public var description: String { "\(object):\(part)" }

    /// `part` followed by the alternatives: every canonical part this name may match.
    public var candidates: [String] { [part] + alternatives }
}

extension PartName {
    /// Splits a PartImageNet-style `Supercategory Part` name (`Car Side Mirror`) using the
    /// known object names: the longest object that prefixes the name (by key) wins. `nil`
    /// when no object matches or nothing is left for the part.
    public init?(spaceSeparated name: String, objects: [String]) {
        let nameKey = PartNames.key(name)
        let candidates = objects.filter { object in
            let objectKey = PartNames.key(object)
            return nameKey.hasPrefix(objectKey + " ")
        }
        guard let object = candidates.max(by: { PartNames.key($0).count < PartNames.key($1).count }) else {
            return nil
        }
        // Keep the dataset's spelling of the part: drop as many words as the object has.
        let objectWords = PartNames.key(object).split(separator: " ").count
        let words = name.split(whereSeparator: { $0 == " " || $0 == "_" })
        let part = words.dropFirst(objectWords).joined(separator: " ")
        guard !part.isEmpty else { return nil }
        self.init(object: object, part: part)
    }
}
