import Foundation

/// How a dataset spells its part categories.
public enum NamingConvention: String, Sendable, CaseIterable {
    /// `object:part` — PACO and VLPart's PASCAL-Part conversion (`car_(automobile):wheel`).
    case objectColonPart = "object:part"
    /// `Object Part` — PartImageNet (`Quadruped Head`, `Car Side Mirror`).
    case objectSpacePart = "Object Part"
}

/// One taxonomy file from `taxonomies/`: a dataset's objects and their parts, its naming
/// convention, its synonyms and an optional base/novel split. The format is documented in
/// `taxonomies/README.md`:
///
/// ```yaml
/// name: pascal_part
/// naming: "object:part"
/// split:
///   novel: [bus, dog]
/// objects:
///   dog: [head, leg, paw, torso]
/// synonyms:
///   - canonical: foot
///     aliases: [paw]
///     objects: [cat, dog]
/// ```
///
/// Names are kept exactly as the dataset spells them; ``Taxonomy`` normalises them.
public struct TaxonomyFile: Sendable, Equatable {
    /// An object category with its parts in file order.
    public struct Object: Sendable, Equatable {
        /// Dataset spelling (`car_(automobile)`, `Quadruped`).
        public var name: String
        /// Dataset spellings, in file order (PartImageNet part ids follow this order).
        public var parts: [String]
        /// 1-based line of the object in its file.
        public var line: Int

        public init(name: String, parts: [String], line: Int = 0) {
            self.name = name
            self.parts = parts
            self.line = line
        }
    }

    /// Where the file was read from (used in error messages).
    public var path: String
    /// The taxonomy's name (`pascal_part`); unique among loaded files.
    public var name: String
    /// A one-line human description.
    public var title: String?
    /// How the dataset writes part category names.
    public var naming: NamingConvention
    /// Objects in file order.
    public var objects: [Object]
    /// Part synonym rules, in file order.
    public var synonyms: [SynonymRule]
    /// Objects (dataset spelling) whose parts are held out as novel; empty when the file has
    /// no split.
    public var novelObjects: [String]
    /// 1-based line of the `split` block, for errors about it.
    var splitLine = 1

    public init(path: String, name: String, title: String? = nil, naming: NamingConvention,
                objects: [Object], synonyms: [SynonymRule] = [], novelObjects: [String] = []) {
        self.path = path
        self.name = name
        self.title = title
        self.naming = naming
        self.objects = objects
        self.synonyms = synonyms
        self.novelObjects = novelObjects
    }

    /// Reads and validates a taxonomy file.
    ///
    /// - Throws: ``TaxonomyError`` naming the file and line: unreadable file, YAML syntax,
    ///   missing or mistyped keys, empty objects, duplicate objects or parts, unknown or
    ///   conflicting synonyms, unknown objects in the split.
    public static func load(path: String) throws -> TaxonomyFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TaxonomyError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try TaxonomyFile(yaml: text, path: path)
    }

    /// Parses and validates taxonomy YAML; `path` names it in errors.
    public init(yaml: String, path: String) throws {
        self = try TaxonomyYAMLReader(path: path).read(yaml)
        try validate()
    }

    /// The object with this name (compared by key, so `Car` finds `car`).
    public func object(named name: String) -> Object? {
        let key = PartNames.objectKey(name)
        return objects.first { PartNames.objectKey($0.name) == key }
    }

    /// Whether `object` is held out as novel by the file's split.
    public func isNovel(_ object: String) -> Bool {
        let key = PartNames.objectKey(object)
        return novelObjects.contains { PartNames.objectKey($0) == key }
    }

    /// Total number of (object, part) categories.
    public var partCount: Int { objects.reduce(0) { $0 + $1.parts.count } }

    /// The dataset's category name for a part: `dog:head` or `Quadruped Head`.
    public func categoryName(object: String, part: String) -> String {
        switch naming {
        case .objectColonPart: "\(object):\(part)"
        case .objectSpacePart: "\(object) \(part)"
        }
    }

    /// Splits a dataset category name into object and part by the file's convention; `nil`
    /// when it does not follow it (or, for `Object Part`, names no known object).
    public func partName(category: String) -> PartName? {
        switch naming {
        case .objectColonPart: PartName(colonSeparated: category)
        case .objectSpacePart: PartName(spaceSeparated: category, objects: objects.map(\.name))
        }
    }

    /// Every part category of the file in its own spelling, object by object.
    public var categoryNames: [String] {
        objects.flatMap { object in object.parts.map { categoryName(object: object.name, part: $0) } }
    }
}
