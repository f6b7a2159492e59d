import Foundation

/// A part category name split into its object and part, as the datasets spell them.
///
/// PACO and VLPart's PASCAL-Part conversion write `object:part` (`car_(automobile):wheel`);
/// PartImageNet writes `Supercategory Part` (`Quadruped Head`) and is handled by its importer.
public struct PartName: Hashable, Sendable, CustomStringConvertible {
    /// The object category, as spelled by the dataset (`car_(automobile)`).
    public var object: String
    /// The part, as spelled by the dataset (`wheel`).
    public var part: String

    public init(object: String, part: String) {
        self.object = object
        self.part = part
    }

    /// Splits `object:part` at the last colon; `nil` when there is no colon or a side is empty.
    public init?(colonSeparated name: String) {
        guard let colon = name.lastIndex(of: ":") else { return nil }
        let object = String(name[..<colon]), part = String(name[name.index(after: colon)...])
        guard !object.isEmpty, !part.isEmpty else { return nil }
        self.init(object: object, part: part)
    }

    /// `object:part`, the form vlpart exports.
    public var description: String { "\(object):\(part)" }

    /// Human-readable text for prompts: `car_(automobile):wheel` → `wheel of a car`.
    ///
    /// Drops a parenthesised qualifier (LVIS style `car_(automobile)`) and turns underscores
    /// into spaces.
    public var readable: String {
        "\(Self.readable(part)) of a \(Self.readable(object))"
    }

    /// `car_(automobile)` → `car`; `traffic_light` → `traffic light`.
    public static func readable(_ name: String) -> String {
        var text = name
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            text.removeSubrange(open...close)
        }
        return text.replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").joined(separator: " ")
    }
}
