/// Errors from reading masks, RLE strings and polygons that came from a file or a user.
///
/// `source` names where the data came from (a file path, or a JSON path inside one such as
/// `paco.json: annotations[12].segmentation`); the default is `<memory>`.
public enum MaskError: Error, CustomStringConvertible, Equatable {
    /// A compressed COCO counts string holds a byte outside `'0'...'o'`.
    case invalidCharacter(source: String, character: Character, offset: Int)
    /// A compressed counts string ends in the middle of a number.
    case truncatedString(source: String, offset: Int)
    /// A count is negative or does not fit in 32 bits.
    case countOutOfRange(source: String, index: Int, value: Int64)
    /// The counts cover a different number of pixels than `width·height`.
    case countSumMismatch(source: String, sum: Int64, width: Int, height: Int)
    /// A negative or absurd mask size.
    case invalidSize(source: String, width: Int, height: Int)
    /// A polygon coordinate is NaN, infinite, or far outside the image.
    case invalidPolygon(source: String, polygon: Int, reason: String)

    public var description: String {
        switch self {
        case let .invalidCharacter(source, character, offset):
            "\(source): invalid character \(character.debugDescription) at offset \(offset) of RLE counts string"
        case let .truncatedString(source, offset):
            "\(source): RLE counts string ends inside a number at offset \(offset)"
        case let .countOutOfRange(source, index, value):
            "\(source): RLE count \(index) is \(value), outside 0...\(UInt32.max)"
        case let .countSumMismatch(source, sum, width, height):
            "\(source): RLE counts sum to \(sum) but a \(width)x\(height) mask has \(width * height) pixels"
        case let .invalidSize(source, width, height):
            "\(source): invalid mask size \(width)x\(height)"
        case let .invalidPolygon(source, polygon, reason):
            "\(source): polygon \(polygon): \(reason)"
        }
    }
}
