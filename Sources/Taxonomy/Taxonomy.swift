/// Taxonomy files merged into one lookup: objects → parts, and dataset part names
/// normalised into (object, part) pairs through each file's synonyms.
///
/// ```swift
/// let taxonomy = try Taxonomy.loadShipped()
/// taxonomy.parts(of: "dog")                       // ["head", "leg", "ear", …, "foot", "torso"]
/// let name = try taxonomy.normalize(category: "Quadruped Body", dataset: "partimagenet")
/// name?.description                               // "quadruped:torso"
/// name?.original.description                      // "Quadruped:Body" (dataset spelling kept)
/// ```
public struct Taxonomy: Sendable {
    /// The merged files, in merge order.
    public private(set) var files: [TaxonomyFile]

    /// Merges `files`.
    ///
    /// - Throws: ``TaxonomyError/duplicateTaxonomy(name:firstPath:secondPath:)`` when two files
    ///   share a name.
    public init(files: [TaxonomyFile]) throws {
        self.files = []
        for file in files { try add(file) }
    }

    /// Loads and merges taxonomy files.
    public static func load(paths: [String]) throws -> Taxonomy {
        try Taxonomy(files: paths.map(TaxonomyFile.load(path:)))
    }

    /// Adds one more file.
    public mutating func add(_ file: TaxonomyFile) throws {
        if let existing = files.first(where: { $0.name == file.name }) {
            throw TaxonomyError.duplicateTaxonomy(name: file.name, firstPath: existing.path, secondPath: file.path)
        }
        files.append(file)
    }

    /// This taxonomy with `other`'s files added after its own.
    public func merged(with other: Taxonomy) throws -> Taxonomy {
        var out = self
        for file in other.files { try out.add(file) }
        return out
    }

    /// The file with this taxonomy name (`pascal_part`).
    public func file(named name: String) -> TaxonomyFile? {
        files.first { $0.name == name }
    }

    /// Every object key across the files, in first-seen order (`car_(automobile)` and `Car`
    /// both become `car`).
    public var objects: [String] {
        var seen = Set<String>(), out: [String] = []
        for file in files {
            for object in file.objects where seen.insert(PartNames.objectKey(object.name)).inserted {
                out.append(PartNames.objectKey(object.name))
            }
        }
        return out
    }

    /// The canonical parts of an object (any spelling), united over every file that defines
    /// it, in first-seen order; empty for an unknown object.
    ///
    /// PASCAL-Part's `dog:paw` and PACO's `dog:foot` both appear once, as `foot`.
    public func parts(of object: String) -> [String] {
        let key = PartNames.objectKey(object)
        var seen = Set<String>(), out: [String] = []
        for file in files {
            for entry in file.objects where PartNames.objectKey(entry.name) == key {
                for part in entry.parts {
                    let canonical = Self.normalize(PartName(object: entry.name, part: part), in: file).part
                    if seen.insert(canonical).inserted { out.append(canonical) }
                }
            }
        }
        return out
    }

    /// The taxonomies that define `object` (any spelling).
    public func files(defining object: String) -> [TaxonomyFile] {
        files.filter { $0.object(named: object) != nil }
    }

    /// Whether any file's split marks `object` as novel.
    public func isNovel(_ object: String) -> Bool {
        files.contains { $0.isNovel(object) }
    }

    /// Normalises a dataset part name.
    ///
    /// - Parameters:
    ///   - name: object and part as the dataset spells them.
    ///   - dataset: the taxonomy whose synonyms apply; when `nil`, the first file defining the
    ///     object is used, and a name no file knows is only key-normalised.
    public func normalize(_ name: PartName, dataset: String? = nil) -> NormalizedPartName {
        let file = dataset.flatMap(file(named:)) ?? files(defining: name.object).first
        guard let file else {
            return NormalizedPartName(object: PartNames.objectKey(name.object), part: PartNames.key(name.part),
                                      original: name)
        }
        return Self.normalize(name, in: file)
    }

    /// Splits a dataset category name by the dataset's naming convention and normalises it;
    /// `nil` when the dataset is unknown or the name does not follow its convention.
    public func normalize(category: String, dataset: String) -> NormalizedPartName? {
        guard let file = file(named: dataset), let name = file.partName(category: category) else { return nil }
        return Self.normalize(name, in: file)
    }

    static func normalize(_ name: PartName, in file: TaxonomyFile) -> NormalizedPartName {
        var part = PartNames.key(name.part)
        var alternatives: [String] = []
        if let rule = file.synonyms.first(where: { $0.applies(to: name.object) && $0.matches(part: name.part) }) {
            part = rule.canonical
            alternatives = rule.also
        }
        return NormalizedPartName(object: PartNames.objectKey(name.object), part: part,
                                  alternatives: alternatives, original: name, dataset: file.name)
    }
}
