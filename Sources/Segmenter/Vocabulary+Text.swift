import Features
import Foundation

extension Vocabulary {
    /// Class names from a comma-separated list (`"dog head, dog leg"`): trimmed, inner runs of
    /// spaces collapsed, empty items dropped, and repeats (ignoring case) kept once, first
    /// spelling wins. Punctuation is kept (`car_(automobile):wheel` is one name).
    /// - Throws: `SegmenterError.badVocabulary` when no name is left.
    public static func parseList(_ text: String) throws -> [String] {
        var seen = Set<String>(), names: [String] = []
        for item in text.split(separator: ",") {
            let name = item.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
            guard !name.isEmpty, seen.insert(name.lowercased()).inserted else { continue }
            names.append(name)
        }
        guard !names.isEmpty else { throw SegmenterError.badVocabulary("'\(text)' names no class") }
        return names
    }

    /// A vocabulary whose rows are the text encoder's prompt-ensembled embeddings of `names`
    /// (`dog:head` is read as "head of a dog").
    ///
    /// - Parameters:
    ///   - aliases: object word → wording used instead when embedding (`dog` → `puppy` embeds
    ///     `dog:head` as "head of a puppy"); the class keeps its name. For open-vocabulary checks.
    /// - Throws: `SegmenterError.badVocabulary` for an empty list or a repeated name.
    public static func embedded(names: [String], encoder: TextEncoder, aliases: [String: String] = [:]) throws -> Vocabulary {
        guard !names.isEmpty else { throw SegmenterError.badVocabulary("no class names") }
        let wordings = names.map { name -> String in
            if let colon = name.lastIndex(of: ":") {
                let object = String(name[..<colon])
                if let alias = aliases[object] { return alias + name[colon...] }
                return name
            }
            return aliases[name] ?? name
        }
        let table = encoder.embedCategoryNames(wordings)
        return try Vocabulary(names: names, embeddings: table.data, dim: encoder.dimension)
    }
}
