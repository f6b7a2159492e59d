/// Plain-text renderings of taxonomies for the CLI (`vlpart taxonomy list|show`).
public enum TaxonomyReport {
    /// One line per file: name, naming, counts, split, path.
    public static func list(_ taxonomy: Taxonomy, directory: String) -> String {
        var lines = ["\(taxonomy.files.count) taxonomies in \(directory)"]
        let width = taxonomy.files.map(\.name.count).max() ?? 0
        for file in taxonomy.files {
            let padded = file.name.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "  \(padded)  \(file.objects.count) objects, \(file.partCount) parts, naming \"\(file.naming.rawValue)\""
            if !file.novelObjects.isEmpty { line += ", novel: \(file.novelObjects.joined(separator: ", "))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The whole file: header, each object with its parts (normalised name in brackets where a
    /// synonym changes it, `novel` marks), then the synonym rules.
    public static func show(_ file: TaxonomyFile) -> String {
        var lines = ["\(file.name) (\(file.path))"]
        if let title = file.title { lines.append(title) }
        lines.append("naming: \"\(file.naming.rawValue)\", e.g. \(exampleName(file))")
        lines.append("\(file.objects.count) objects, \(file.partCount) parts")
        if !file.novelObjects.isEmpty {
            let novelParts = file.objects.filter { file.isNovel($0.name) }.reduce(0) { $0 + $1.parts.count }
            lines.append("split: novel \(file.novelObjects.joined(separator: ", ")) (\(novelParts) parts), "
                         + "base \(file.partCount - novelParts) parts")
        }
        for object in file.objects {
            let parts = object.parts.map { part -> String in
                let normalized = Taxonomy.normalize(PartName(object: object.name, part: part), in: file)
                return normalized.part == PartNames.key(part) ? part : "\(part) [\(normalized.part)]"
            }
            let mark = file.isNovel(object.name) ? " (novel)" : ""
            lines.append("  \(object.name)\(mark): \(parts.isEmpty ? "(no parts)" : parts.joined(separator: ", "))")
        }
        if !file.synonyms.isEmpty {
            lines.append("synonyms:")
            for rule in file.synonyms {
                var line = "  \(rule.aliases.joined(separator: ", ")) → \(rule.canonical)"
                if !rule.also.isEmpty { line += " (also \(rule.also.joined(separator: ", ")))" }
                if let objects = rule.objects { line += " for \(objects.joined(separator: ", "))" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func exampleName(_ file: TaxonomyFile) -> String {
        guard let object = file.objects.first(where: { !$0.parts.isEmpty }), let part = object.parts.first else {
            return file.naming.rawValue
        }
        return file.categoryName(object: object.name, part: part)
    }
}
