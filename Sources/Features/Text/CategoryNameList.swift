import Foundation

/// Category names to compare text against, read from a plain list or a taxonomy file.
///
/// - `.txt` (or any other extension): one name per line, trimmed; blank lines skipped.
/// - `.json`: a taxonomy in the reference layout `{"objects": [{"name": "dog", "parts": ["head", …]}]}`.
/// - `.yaml` / `.yml`: the same layout in block YAML (`- name: dog` with `parts: [head, leg]` or
///   a `parts:` list below it). This is a deliberately small reader for taxonomy files; the
///   `Taxonomy` module owns the full format.
///
/// Taxonomies yield every object name and every part as `object:part`, in file order.
public enum CategoryNameList {
    /// Reads names from `path`, choosing the format by extension.
    /// - Throws: `TextEncoderError.unreadable` naming the file and, for YAML/JSON, the problem.
    public static func read(path: String) throws -> [String] {
        switch (path as NSString).pathExtension.lowercased() {
        case "json": return try readJSONTaxonomy(path: path)
        case "yaml", "yml": return try readYAMLTaxonomy(path: path)
        default: return try readLines(path: path)
        }
    }

    /// Resolves `--taxonomy NAME`: an existing file path, else `taxonomies/NAME.{yaml,yml,json}`
    /// under `directory` (default: the current directory).
    /// - Throws: `TextEncoderError.unreadable` listing the places looked at.
    public static func taxonomyFile(named name: String, in directory: String = FileManager.default.currentDirectoryPath) throws -> String {
        if FileManager.default.fileExists(atPath: name) { return name }
        let candidates = ["yaml", "yml", "json"].map {
            ((directory as NSString).appendingPathComponent("taxonomies") as NSString).appendingPathComponent("\(name).\($0)")
        }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw TextEncoderError.unreadable(path: name, reason: "no such taxonomy (looked for \(candidates.joined(separator: ", ")))")
    }

    /// One name per line, trimmed; blank lines are skipped.
    public static func readLines(path: String) throws -> [String] {
        try text(of: path).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    static func readJSONTaxonomy(path: String) throws -> [String] {
        struct Object: Decodable { var name: String; var parts: [String]? }
        struct File: Decodable { var objects: [Object] }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(text(of: path).utf8))
        } catch let error as TextEncoderError {
            throw error
        } catch {
            throw TextEncoderError.unreadable(path: path, reason: "not a taxonomy ({\"objects\": [{\"name\", \"parts\"}]})")
        }
        return file.objects.flatMap { object in [object.name] + (object.parts ?? []).map { "\(object.name):\($0)" } }
    }

    static func readYAMLTaxonomy(path: String) throws -> [String] {
        var names: [String] = []
        var object: String?
        var partsIndent: Int?                  // indentation of a block `parts:` key being read
        for (number, rawLine) in try text(of: path).split(whereSeparator: \.isNewline).enumerated() {
            let line = String(rawLine.prefix { $0 != "#" })
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            let indent = line.prefix { $0 == " " }.count
            if let p = partsIndent {
                if indent > p || (indent == p && content.hasPrefix("- ")), content.hasPrefix("-") {
                    guard let object else { throw yamlError(path, number, "a part before any object name") }
                    names.append("\(object):\(scalar(content.dropFirst()))")
                    continue
                }
                partsIndent = nil
            }
            var body = content
            if body.hasPrefix("- ") { body = String(body.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = scalar(body[..<colon]), value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "name" where indent > 0 || content.hasPrefix("- "):
                object = scalar(Substring(value))
                if let object { names.append(object) }
            case "parts":
                if value.isEmpty {
                    partsIndent = indent + (content.hasPrefix("- ") ? 2 : 0)
                } else {
                    guard value.hasPrefix("["), value.hasSuffix("]") else { throw yamlError(path, number, "parts is neither a list nor [a, b]") }
                    guard let object else { throw yamlError(path, number, "parts before any object name") }
                    for part in value.dropFirst().dropLast().split(separator: ",") where !scalar(part).isEmpty {
                        names.append("\(object):\(scalar(part))")
                    }
                }
            default:
                continue
            }
        }
        return names
    }

    private static func scalar(_ s: Substring) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, let first = t.first, first == "\"" || first == "'", t.last == first {
            t = String(t.dropFirst().dropLast())
        }
        return t
    }

    private static func yamlError(_ path: String, _ line: Int, _ reason: String) -> TextEncoderError {
        .unreadable(path: path, reason: "line \(line + 1): \(reason)")
    }

    private static func text(of path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TextEncoderError.unreadable(path: path, reason: "no such file")
        }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TextEncoderError.unreadable(path: path, reason: "cannot read the file as UTF-8 text")
        }
    }
}
