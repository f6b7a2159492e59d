import Yams

/// Turns taxonomy YAML into a ``TaxonomyFile``, keeping line numbers for error messages.
///
/// Works on Yams' node tree (not `Codable`) so every error can point at the offending line.
struct TaxonomyYAMLReader {
    let path: String

    private static let topLevelKeys: Set<String> = ["name", "title", "naming", "split", "objects", "synonyms"]
    private static let synonymKeys: Set<String> = ["canonical", "aliases", "also", "objects"]

    func read(_ yaml: String) throws -> TaxonomyFile {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw TaxonomyError.syntax(path: path, line: 1, message: "the file is empty")
            }
            root = node
        } catch let error as TaxonomyError {
            throw error
        } catch let error as YamlError {
            throw Self.describe(error, path: path)
        }
        guard let top = root.mapping else {
            throw TaxonomyError.wrongType(path: path, line: line(root), key: "<document>", expected: "a mapping")
        }
        for key in top.keys {
            let name = key.string ?? ""
            guard Self.topLevelKeys.contains(name) else {
                throw TaxonomyError.unknownKey(path: path, line: line(key), key: name)
            }
        }
        let name = try requiredString(top, "name", in: root)
        let title = try optionalString(top, "title")
        let namingText = try requiredString(top, "naming", in: root)
        guard let naming = NamingConvention(rawValue: namingText) else {
            throw TaxonomyError.unknownNaming(path: path, line: line(top["naming"]), value: namingText)
        }
        guard let objectsNode = top["objects"] else {
            throw TaxonomyError.missingKey(path: path, line: line(root), key: "objects")
        }
        var file = TaxonomyFile(path: path, name: name, title: title, naming: naming,
                                objects: try readObjects(objectsNode))
        if let split = top["split"] {
            guard let splitMap = split.mapping else {
                throw TaxonomyError.wrongType(path: path, line: line(split), key: "split", expected: "a mapping with 'novel'")
            }
            for key in splitMap.keys where key.string != "novel" {
                throw TaxonomyError.unknownKey(path: path, line: line(key), key: key.string ?? "")
            }
            file.splitLine = line(split)
            file.novelObjects = try stringList(splitMap["novel"], key: "split.novel", fallbackLine: line(split)) ?? []
        }
        if let synonyms = top["synonyms"] {
            file.synonyms = try readSynonyms(synonyms)
        }
        return file
    }

    private func readObjects(_ node: Node) throws -> [TaxonomyFile.Object] {
        guard let mapping = node.mapping else {
            throw TaxonomyError.wrongType(path: path, line: line(node), key: "objects",
                                          expected: "a mapping of object → [parts]")
        }
        var objects: [TaxonomyFile.Object] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw TaxonomyError.wrongType(path: path, line: line(key), key: "objects", expected: "object names as keys")
            }
            if value.null != nil {
                throw TaxonomyError.emptyObject(path: path, line: line(key), object: name)
            }
            guard let parts = try stringList(value, key: name, fallbackLine: line(key)) else {
                throw TaxonomyError.emptyObject(path: path, line: line(key), object: name)
            }
            objects.append(.init(name: name, parts: parts, line: line(key)))
        }
        return objects
    }

    private func readSynonyms(_ node: Node) throws -> [SynonymRule] {
        guard let sequence = node.sequence else {
            throw TaxonomyError.wrongType(path: path, line: line(node), key: "synonyms", expected: "a list of rules")
        }
        return try sequence.map { item in
            guard let rule = item.mapping else {
                throw TaxonomyError.wrongType(path: path, line: line(item), key: "synonyms",
                                              expected: "rules with 'canonical' and 'aliases'")
            }
            for key in rule.keys where !Self.synonymKeys.contains(key.string ?? "") {
                throw TaxonomyError.unknownKey(path: path, line: line(key), key: key.string ?? "")
            }
            let canonical = try requiredString(rule, "canonical", in: item)
            guard let aliases = try stringList(rule["aliases"], key: "aliases", fallbackLine: line(item)),
                  !aliases.isEmpty
            else { throw TaxonomyError.missingKey(path: path, line: line(item), key: "aliases") }
            let also = try stringList(rule["also"], key: "also", fallbackLine: line(item)) ?? []
            let objects = try stringList(rule["objects"], key: "objects", fallbackLine: line(item))
            return SynonymRule(canonical: PartNames.key(canonical), aliases: aliases,
                               also: also.map(PartNames.key), objects: objects, line: line(item))
        }
    }

    // MARK: Scalars and lists

    private func requiredString(_ mapping: Node.Mapping, _ key: String, in parent: Node) throws -> String {
        guard let node = mapping[key] else {
            throw TaxonomyError.missingKey(path: path, line: line(parent), key: key)
        }
        guard let text = node.scalar?.string, node.null == nil else {
            throw TaxonomyError.wrongType(path: path, line: line(node), key: key, expected: "a string")
        }
        return text
    }

    private func optionalString(_ mapping: Node.Mapping, _ key: String) throws -> String? {
        guard let node = mapping[key], node.null == nil else { return nil }
        guard let text = node.scalar?.string else {
            throw TaxonomyError.wrongType(path: path, line: line(node), key: key, expected: "a string")
        }
        return text
    }

    /// A list of scalars; `nil` when the key is absent or null.
    private func stringList(_ node: Node?, key: String, fallbackLine: Int) throws -> [String]? {
        guard let node, node.null == nil else { return nil }
        guard let sequence = node.sequence else {
            throw TaxonomyError.wrongType(path: path, line: line(node, fallbackLine), key: key, expected: "a list [a, b, …]")
        }
        return try sequence.map { item in
            guard let text = item.scalar?.string, item.null == nil else {
                throw TaxonomyError.wrongType(path: path, line: line(item, fallbackLine), key: key,
                                              expected: "a list of names")
            }
            return text
        }
    }

    private func line(_ node: Node?, _ fallback: Int = 1) -> Int { node?.mark?.line ?? fallback }

    /// Yams errors are multi-line (they quote the snippet); keep one line with the position.
    static func describe(_ error: YamlError, path: String) -> TaxonomyError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .syntax(path: path, line: mark.line, message: text)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .syntax(path: path, line: context.mark.line,
                           message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? "invalid YAML"
            return .syntax(path: path, line: 1, message: first)
        }
    }
}
