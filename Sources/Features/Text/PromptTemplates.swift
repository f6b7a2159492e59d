import Foundation

/// Prompt templates that turn a category name into sentences for the text encoder, averaged
/// into one embedding per category as CLIP and LSeg do ("prompt ensembling").
///
/// ```swift
/// PromptTemplates.readable("car_(automobile):wheel")              // "wheel of a car"
/// PromptTemplates.default.prompts(for: "car_(automobile):wheel")
/// // ["a photo of a wheel of a car.", "a close-up photo of the wheel of a car.", …]
/// ```
///
/// Each template holds exactly one `{}`, replaced by the readable name. The set is configurable:
/// pass your own templates, read them from a file (one per line), or use `.plain` for the bare
/// readable name.
public struct PromptTemplates: Sendable, Equatable {
    /// Templates, each with exactly one `{}` placeholder.
    public let templates: [String]

    /// Validates and wraps `templates`.
    /// - Throws: `TextEncoderError.badTemplate` for an empty list or a template without exactly one `{}`.
    public init(_ templates: [String]) throws {
        guard !templates.isEmpty else { throw TextEncoderError.badTemplate(template: "") }
        for template in templates where template.components(separatedBy: "{}").count != 2 {
            throw TextEncoderError.badTemplate(template: template)
        }
        self.templates = templates
    }

    private init(unchecked templates: [String]) { self.templates = templates }

    /// Five object-centred photo templates (a subset of CLIP's ImageNet prompts, suited to parts).
    public static let `default` = PromptTemplates(unchecked: [
        "a photo of a {}.",
        "a close-up photo of the {}.",
        "a cropped photo of a {}.",
        "a good photo of the {}.",
        "a {}.",
    ])

    /// The bare readable name, no template.
    public static let plain = PromptTemplates(unchecked: ["{}"])

    /// Reads templates from a text file, one per line; blank lines and lines starting with `#`
    /// are skipped.
    /// - Throws: `TextEncoderError.unreadable` or `.badTemplate`.
    public init(contentsOfFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TextEncoderError.unreadable(path: path, reason: error.localizedDescription)
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !lines.isEmpty else { throw TextEncoderError.unreadable(path: path, reason: "no templates in the file") }
        try self.init(lines)
    }

    /// The sentences for one category name, one per template, in template order.
    public func prompts(for categoryName: String) -> [String] {
        let readable = Self.readable(categoryName)
        return templates.map { $0.replacingOccurrences(of: "{}", with: readable) }
    }

    /// Human-readable text for a dataset category name.
    ///
    /// `object:part` (split at the last colon, both sides non-empty) becomes `part of a object`;
    /// each side loses a parenthesised qualifier (LVIS style `car_(automobile)`), and underscores
    /// and runs of spaces become single spaces. This is the rule of `Taxonomy.PartName.readable`,
    /// repeated here because `Features` sits below `Taxonomy`; tests pin both to the same examples.
    ///
    /// `car_(automobile):wheel` → `wheel of a car`; `traffic_light` → `traffic light`.
    public static func readable(_ categoryName: String) -> String {
        if let colon = categoryName.lastIndex(of: ":") {
            let object = String(categoryName[..<colon])
            let part = String(categoryName[categoryName.index(after: colon)...])
            if !object.isEmpty && !part.isEmpty {
                return "\(readableWord(part)) of a \(readableWord(object))"
            }
        }
        return readableWord(categoryName)
    }

    /// `car_(automobile)` → `car`; `fire_hydrant` → `fire hydrant`.
    static func readableWord(_ name: String) -> String {
        var text = name
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            text.removeSubrange(open...close)
        }
        return text.replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
    }
}
