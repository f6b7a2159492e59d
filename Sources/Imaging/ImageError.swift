/// Why an image could not be read, decoded, encoded or written. Each description is one line
/// that starts with the file (or `<memory>`) and names the problem.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// Zero bytes.
    case empty(name: String)
    /// The first bytes match no format we decode; `magic` shows them in hex.
    case unknownFormat(name: String, magic: String)
    /// A recognised format we do not decode (GIF, BMP, WebP, TIFF).
    case unsupportedFormat(name: String, format: String)
    /// The data is damaged: truncated, bad checksum, invalid header or entropy data.
    case corrupt(name: String, format: String, reason: String)
    /// The header declares more pixels than `Image.maxPixels`; nothing was allocated.
    case tooLarge(name: String, format: String, reason: String)
    /// A valid file whose pixel layout we do not decode.
    case unsupportedLayout(name: String, format: String, reason: String)
    /// Encoding failed (the codec library reported `reason`).
    case encodeFailed(format: String, reason: String)
    /// The encoded bytes could not be written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read image file: \(reason)"
        case let .empty(name): "\(name): image file is empty (0 bytes)"
        case let .unknownFormat(name, magic): "\(name): not a PNG or JPEG image (starts with \(magic))"
        case let .unsupportedFormat(name, format): "\(name): \(format) images are not supported; convert to PNG or JPEG"
        case let .corrupt(name, format, reason): "\(name): corrupt \(format) data: \(reason)"
        case let .tooLarge(name, format, reason): "\(name): \(format) too large: \(reason)"
        case let .unsupportedLayout(name, format, reason): "\(name): unsupported \(format): \(reason)"
        case let .encodeFailed(format, reason): "cannot encode \(format): \(reason)"
        case let .unwritable(path, reason): "\(path): cannot write image: \(reason)"
        }
    }
}

/// The one-line text of `problem` (an error or a message) about the file at `path`, with the
/// path in front unless the text already starts with it. `Image.read`'s errors (and the store's
/// file errors) name their file, so a caller that always prefixed the path printed it twice.
public func fileErrorMessage(_ problem: Any, path: String) -> String {
    let text = String(describing: problem)
    return text.hasPrefix(path) ? text : "\(path): \(text)"
}
