import Foundation
import Store

extension Store {
    /// The approved and edited borrows as a taxonomy file in the `taxonomies/` YAML format
    /// (naming `object:part`, one object per target category, parts in borrowed order, the
    /// base category and score in a comment). The text is parsed back with ``TaxonomyFile``
    /// before it is returned, so it always loads and validates.
    ///
    /// - Returns: the YAML and the number of objects in it (0 when nothing is approved; the
    ///   YAML is then `nil`, as an empty `objects` mapping would not validate).
    public func borrowedTaxonomyYAML(name: String = "borrowed", path: String = "borrowed.yaml") throws -> (yaml: String?, objects: Int) {
        let entries = try borrowEntries(statuses: [.approved, .edited]).filter { !$0.parts.isEmpty }
        guard !entries.isEmpty else { return (nil, 0) }
        var lines = [
            "# Part taxonomies borrowed by `vlpart taxonomy propose` and approved with `vlpart taxonomy review`.",
            "# Format: taxonomies/README.md.",
            "name: \(Self.yamlQuoted(name))",
            "title: \(Self.yamlQuoted("Borrowed part taxonomies (\(entries.count) objects)"))",
            "naming: \"object:part\"",
            "objects:",
        ]
        for entry in entries {
            var names: [String] = []   // a name fed by several base parts is one part
            for part in entry.parts where !names.contains(part.name) { names.append(part.name) }
            let parts = names.map { Self.yamlQuoted($0) }.joined(separator: ", ")
            let decided = entry.decidedAt.map { " on \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            lines.append("  \(Self.yamlQuoted(entry.target)): [\(parts)]   # from \(entry.base), score "
                         + String(format: "%.3f", entry.score) + ", \(entry.status.rawValue)\(decided)")
        }
        let yaml = lines.joined(separator: "\n") + "\n"
        _ = try TaxonomyFile(yaml: yaml, path: path)
        return (yaml, entries.count)
    }

    /// Writes ``borrowedTaxonomyYAML(name:path:)`` to `path`; returns the number of objects
    /// written (nothing is written when there are none).
    ///
    /// - Throws: ``BorrowError/unwritable(path:reason:)``.
    @discardableResult
    public func exportBorrowedTaxonomy(to path: String, name: String = "borrowed") throws -> Int {
        let (yaml, count) = try borrowedTaxonomyYAML(name: name, path: path)
        guard let yaml else { return 0 }
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BorrowError.unwritable(path: path, reason: (error as NSError).localizedDescription)
        }
        return count
    }

    /// A YAML double-quoted scalar (JSON string syntax, which YAML accepts).
    static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
