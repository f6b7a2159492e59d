import Foundation

/// Category names read from a plain list: one name per line, trimmed; blank lines skipped.
///
/// Used for `--names FILE` and for the names file of an `EmbeddingTable`. Taxonomy files
/// (`--taxonomy NAME`) are read by the `Taxonomy` module.
public enum CategoryNameList {
    /// One name per line, trimmed; blank lines are skipped.
    /// - Throws: `TextEncoderError.unreadable` for a missing file or one that is not UTF-8 text.
    public static func readLines(path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TextEncoderError.unreadable(path: path, reason: "no such file")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TextEncoderError.unreadable(path: path, reason: "cannot read the file as UTF-8 text")
        }
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
