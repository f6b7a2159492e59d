/// Turns dataset category names into vlpart's normalised (object, part) names, keeping the
/// dataset's spelling for export. Synonyms (`body`↔`torso`) are the Taxonomy module's job.
enum CategoryNaming {
    /// Lower case, trimmed, runs of white space collapsed: `Quadruped  Head ` → `quadruped head`.
    static func normalise(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// Splits `object:part` at the last colon (as Taxonomy's `PartName(colonSeparated:)` does);
    /// `nil` when there is no colon or a side is empty.
    static func splitColon(_ name: String) -> (object: String, part: String)? {
        guard let colon = name.lastIndex(of: ":") else { return nil }
        let object = String(name[..<colon]), part = String(name[name.index(after: colon)...])
        guard !object.trimmingSpaces.isEmpty, !part.trimmingSpaces.isEmpty else { return nil }
        return (object, part)
    }

    /// PartImageNet's `Quadruped Head` with supercategory `Quadruped` → (`Quadruped`, `Head`).
    /// Without a matching supercategory prefix the name splits at its first space.
    static func splitSpaced(_ name: String, supercategory: String?) -> (object: String, part: String)? {
        if let supercategory, !supercategory.isEmpty, name.hasPrefix(supercategory + " ") {
            let part = String(name.dropFirst(supercategory.count + 1))
            return part.trimmingSpaces.isEmpty ? nil : (supercategory, part)
        }
        guard let space = name.firstIndex(of: " ") else { return nil }
        let object = String(name[..<space]), part = String(name[name.index(after: space)...])
        return object.isEmpty || part.trimmingSpaces.isEmpty ? nil : (object, part)
    }
}

extension String {
    var trimmingSpaces: String { split(separator: " ").joined(separator: " ") }
}
