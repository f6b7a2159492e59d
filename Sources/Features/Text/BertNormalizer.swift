import Foundation

/// BERT's text normaliser and pre-tokeniser, as the HuggingFace `tokenizers` library runs them
/// for uncased models (`BertNormalizer` + `BertPreTokenizer`; checkpoints.md §5.3).
///
/// ```
/// "Café  déjà-vu!" → ["cafe", "deja", "-", "vu", "!"]
/// ```
///
/// The steps, in order: drop control and format characters and map white space to `' '`;
/// surround CJK ideographs with spaces; decompose (NFD) and drop non-spacing marks; lowercase
/// each code point without context; split on white space and around every punctuation mark.
///
/// Design notes:
/// - Everything works on `Unicode.Scalar`s (code points), never on `Character`s, because the
///   reference counts and slices code points.
/// - The `tokenizers` crate classifies format characters (Cf), punctuation (P*) and
///   non-spacing marks (Mn) with Unicode 8.0 tables. Characters assigned to those categories
///   later behave like letters there (`a\u{08D4}b` is one word), so we only trust a category
///   for scalars whose Unicode age is at most 8.0. Unassigned code points (Cn) are kept.
/// - Lowercasing uses the full, context-free mapping (`ΣΊΣΥΦΟΣ` → `σισυφοσ`, no final sigma).
public enum BertNormalizer {
    /// Normalises `text` and splits it into words and punctuation marks.
    public static func words(_ text: String) -> [String] {
        splitWords(normalize(text))
    }

    /// Cleaning, CJK spacing, accent stripping and lowercasing, as one string.
    public static func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isDropped(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // NFD, then drop non-spacing marks, then lowercase: the order of `BertNormalizer`.
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
        var result = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            if isOld(scalar) && scalar.properties.generalCategory == .nonspacingMark { continue }
            let lower = scalar.properties.lowercaseMapping
            if lower.unicodeScalars.count == 1 && lower.unicodeScalars.first == scalar {
                result.append(scalar)
            } else {
                result.append(contentsOf: lower.unicodeScalars)
            }
        }
        return String(result)
    }

    /// Splits normalised text on white space and around each punctuation mark
    /// (`BertPreTokenizer`): `"dog's"` → `["dog", "'", "s"]`.
    public static func splitWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                flush()
            } else if isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    // MARK: Character classes

    /// Deleted by `clean_text`: NUL, U+FFFD, and control, format, private-use and surrogate
    /// code points other than tab, newline and carriage return.
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0 || v == 0xFFFD { return true }
        if v == 0x09 || v == 0x0A || v == 0x0D { return false }
        switch scalar.properties.generalCategory {
        case .control, .privateUse, .surrogate: return true
        case .format: return isOld(scalar)
        default: return false
        }
    }

    /// Tab, newline, carriage return, or any code point with the Unicode `White_Space` property
    /// (Rust's `char::is_whitespace`, used by the reference).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20: return true
        default: return scalar.value > 0x7F && scalar.properties.isWhitespace
        }
    }

    /// ASCII punctuation and symbols (33–47, 58–64, 91–96, 123–126), or Unicode category P*.
    /// Non-ASCII symbols such as `€` or emoji are not punctuation and stay inside words.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        guard v > 0x7F, isOld(scalar) else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT treats as one token per character. Kana and Hangul
    /// are not included.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar was assigned by Unicode 8.0, the version of the reference's
    /// category tables.
    static func isOld(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }
}
