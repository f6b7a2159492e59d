import Foundation

/// A streaming reader for large JSON documents shaped like COCO files: a top-level object whose
/// big members are arrays. It hands out the top-level keys one at a time and the elements of an
/// array one at a time, so memory holds one element, never the whole document.
///
/// ```swift
/// let stream = try JSONStream(path: "instances.json")
/// try stream.forEachMember { key in
///     if key == "annotations" {
///         try stream.forEachElement { index, value in … }
///     } else {
///         try stream.skipValue()
///     }
/// }
/// ```
///
/// Syntax errors name the element being read and the byte offset:
/// `instances.json: annotations[1234]: unexpected end of file at byte 5123`.
/// Memory: one 1 MiB buffer plus the element being decoded.
final class JSONStream {
    private let fd: Int32
    private let file: String
    private let capacity = 1 << 20
    private let buffer: UnsafeMutablePointer<UInt8>
    // Hot state lives in raw memory: Swift checks exclusive access to a class's stored `var`s
    // at run time on every read and write, which cost ~6% of an import. Computed properties
    // over a pointer are not checked.
    private let cursor = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    private var position: Int { get { cursor[0] } set { cursor[0] = newValue } }
    private var end: Int { get { cursor[1] } set { cursor[1] = newValue } }
    private var consumed: Int64 = 0      // bytes of the file before `buffer[0]`
    private var atEOF = false
    private let scratchStorage = UnsafeMutablePointer<ScratchBytes>.allocate(capacity: 1)
    private var scratch: ScratchBytes {
        _read { yield scratchStorage.pointee }
        _modify { yield &scratchStorage.pointee }
    }
    /// The element being read, for error messages.
    private(set) var context = JSONPath()

    /// Opens `path`; errors name `displayName` (defaults to `path`).
    init(path: String, displayName: String? = nil) throws {
        file = displayName ?? path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StoreError.unreadable(file: file, reason: String(cString: strerror(errno))) }
        buffer = .allocate(capacity: capacity)
        cursor.initialize(repeating: 0, count: 2)
        scratchStorage.initialize(to: ScratchBytes())
    }

    deinit {
        scratchStorage.pointee.free()
        scratchStorage.deallocate()
        cursor.deallocate()
        buffer.deallocate()
        close(fd)
    }

    /// Bytes read so far.
    var offset: Int64 { consumed + Int64(position) }

    // MARK: Errors

    func syntaxError(_ message: String) -> StoreError {
        .json(file: file, path: context.description, message: "\(message) at byte \(offset)")
    }

    // MARK: Bytes

    private func refill() throws -> Bool {
        if atEOF { return false }
        consumed += Int64(end)
        position = 0
        end = 0
        while true {
            let n = read(fd, buffer, capacity)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.unreadable(file: file, reason: String(cString: strerror(errno)))
            }
            if n == 0 { atEOF = true; return false }
            end = n
            return true
        }
    }

    @inline(__always) private func peek() throws -> UInt8? {
        if position < end { return buffer[position] }
        return try refill() ? buffer[position] : nil
    }

    @inline(__always) private func next() throws -> UInt8 {
        if position >= end, try !refill() { throw syntaxError("unexpected end of file") }
        let byte = buffer[position]
        position += 1
        return byte
    }

    @inline(__always) private func skipWhitespace() throws -> UInt8? {
        while true {
            if position >= end, try !refill() { return nil }
            let byte = buffer[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 } else { return byte }
        }
    }

    private func nonWhitespace() throws -> UInt8 {
        guard let byte = try skipWhitespace() else { throw syntaxError("unexpected end of file") }
        return byte
    }

    private func expect(_ byte: UInt8, _ what: String) throws {
        let found = try nonWhitespace()
        guard found == byte else { throw syntaxError("expected \(what), found '\(Self.show(found))'") }
        position += 1
    }

    private static func show(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
    }

    // MARK: Top level

    /// Reads the top-level object, calling `body` with each key; `body` must consume the value
    /// (``skipValue()``, ``readValue()`` or ``forEachElement(_:)``). Checks that only whitespace
    /// follows the object.
    func forEachMember(_ body: (String) throws -> Void) throws {
        context = JSONPath()
        guard try nonWhitespace() == UInt8(ascii: "{") else {
            throw syntaxError("expected the document to be a JSON object")
        }
        position += 1
        if try nonWhitespace() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard try nonWhitespace() == UInt8(ascii: "\"") else { throw syntaxError("expected a key string") }
                position += 1
                let key = try readStringBody()
                try expect(UInt8(ascii: ":"), "':'")
                context = JSONPath([.key(key)])
                try body(key)
                context = JSONPath()
                let separator = try nonWhitespace()
                position += 1
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else {
                    throw syntaxError("expected ',' or '}' after member '\(key)', found '\(Self.show(separator))'")
                }
            }
        }
        if let trailing = try skipWhitespace() {
            throw syntaxError("unexpected '\(Self.show(trailing))' after the document")
        }
    }

    /// Reads an array value element by element; `body` gets the index and the decoded element.
    /// A non-array value throws `key: expected array, found …`.
    func forEachElement(_ body: (Int, JSONValue) throws -> Void) throws {
        let base = context
        let first = try nonWhitespace()
        guard first == UInt8(ascii: "[") else {
            let found = try readValue()
            throw StoreError.json(file: file, path: base.description, message: "expected array, found \(found.typeName)")
        }
        position += 1
        if try nonWhitespace() == UInt8(ascii: "]") { position += 1; return }
        var index = 0
        while true {
            context = base.appending(index)
            let value = try readValue()
            try body(index, value)
            let separator = try nonWhitespace()
            position += 1
            if separator == UInt8(ascii: "]") { break }
            guard separator == UInt8(ascii: ",") else {
                throw syntaxError("expected ',' or ']' after an element, found '\(Self.show(separator))'")
            }
            index += 1
        }
        context = base
    }

    /// Skips one value without building it.
    func skipValue() throws {
        var depth = 0
        repeat {
            let byte = try nonWhitespace()
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                position += 1; depth += 1; continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw syntaxError("unexpected '\(Self.show(byte))'") }
                position += 1; depth -= 1
            case UInt8(ascii: "\""):
                position += 1
                try skipStringBody()
            default:
                _ = try readScalar()
            }
            if depth > 0 {
                let after = try nonWhitespace()
                if after == UInt8(ascii: ",") || after == UInt8(ascii: ":") { position += 1 }
            }
        } while depth > 0
    }

    // MARK: Values

    /// Reads and builds one value.
    func readValue() throws -> JSONValue {
        let byte = try nonWhitespace()
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var pairs: [(String, JSONValue)] = []
            if try nonWhitespace() == UInt8(ascii: "}") { position += 1; return .object(pairs) }
            while true {
                guard try nonWhitespace() == UInt8(ascii: "\"") else { throw syntaxError("expected a key string") }
                position += 1
                let key = try readStringBody()
                try expect(UInt8(ascii: ":"), "':'")
                pairs.append((key, try readValue()))
                let separator = try next()
                if separator == UInt8(ascii: "}") { return .object(pairs) }
                if separator == UInt8(ascii: ",") { continue }
                position -= 1
                let found = try nonWhitespace()
                position += 1
                if found == UInt8(ascii: "}") { return .object(pairs) }
                guard found == UInt8(ascii: ",") else {
                    throw syntaxError("expected ',' or '}' in object, found '\(Self.show(found))'")
                }
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONValue] = []
            if try nonWhitespace() == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try readValue())
                let found = try nonWhitespace()
                position += 1
                if found == UInt8(ascii: "]") { return .array(items) }
                guard found == UInt8(ascii: ",") else {
                    throw syntaxError("expected ',' or ']' in array, found '\(Self.show(found))'")
                }
            }
        case UInt8(ascii: "\""):
            position += 1
            return .string(try readStringBody())
        default:
            return try readScalar()
        }
    }

    /// Reads `true`, `false`, `null` or a number.
    private func readScalar() throws -> JSONValue {
        let byte = try nonWhitespace()
        switch byte {
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw syntaxError("unexpected '\(Self.show(byte))'")
        }
    }

    private func literal(_ word: StaticString) throws {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard try next() == expected else { throw syntaxError("invalid literal (expected \(word))") }
        }
    }

    /// Integers are accumulated exactly; anything with a fraction or exponent goes through strtod.
    private func readNumber() throws -> Double {
        scratch.count = 0
        var integral = true
        var negative = false
        var value: Int64 = 0
        var digits = 0
        while let byte = try peek() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if integral, digits < 18 { value = value * 10 + Int64(byte - 48) } else { integral = false }
                digits += 1
            case UInt8(ascii: "-") where scratch.count == 0:
                negative = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                integral = false
            default:
                return try finishNumber(integral: integral, negative: negative, value: value, digits: digits)
            }
            scratch.append(byte)
            position += 1
        }
        return try finishNumber(integral: integral, negative: negative, value: value, digits: digits)
    }

    private func finishNumber(integral: Bool, negative: Bool, value: Int64, digits: Int) throws -> Double {
        guard digits > 0 else { throw syntaxError("invalid number") }
        if integral { return Double(negative ? -value : value) }
        let length = scratch.count
        scratch.append(0)
        var endPointer: UnsafeMutablePointer<CChar>?
        let start = UnsafeMutableRawPointer(scratch.base).assumingMemoryBound(to: CChar.self)
        let result = strtod(start, &endPointer)
        guard let endPointer, endPointer - start == length else {
            throw syntaxError("invalid number '\(String(decoding: UnsafeBufferPointer(start: scratch.base, count: length), as: UTF8.self))'")
        }
        return result
    }

    /// Reads a string after its opening quote, decoding escapes.
    private func readStringBody() throws -> String {
        scratch.count = 0
        while true {
            // Fast path: copy a run of plain bytes straight from the buffer.
            var runEnd = position
            while runEnd < end {
                let b = buffer[runEnd]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                runEnd += 1
            }
            // A string with no escape that ends inside the buffer (nearly every string): make
            // it straight from the buffer, without the copy into `scratch`.
            if scratch.count == 0, runEnd < end, buffer[runEnd] == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: buffer + position, count: runEnd - position),
                                  as: UTF8.self)
                position = runEnd + 1
                return text
            }
            if runEnd > position {
                scratch.append(buffer + position, count: runEnd - position)
                position = runEnd
            }
            let byte = try next()
            switch byte {
            case UInt8(ascii: "\""):
                return scratch.string
            case UInt8(ascii: "\\"):
                try readEscape()
            case ..<0x20:
                throw syntaxError("control character in string")
            default:
                scratch.append(byte)
            }
        }
    }

    private func readEscape() throws {
        let byte = try next()
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard try next() == UInt8(ascii: "\\"), try next() == UInt8(ascii: "u") else {
                    throw syntaxError("unpaired surrogate in string")
                }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw syntaxError("unpaired surrogate in string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw syntaxError("invalid \\u escape") }
            for byte in String(Character(unicode)).utf8 { scratch.append(byte) }
        default:
            throw syntaxError("invalid escape '\\\(Self.show(byte))'")
        }
    }

    private func readHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try next()
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 55)
            default: throw syntaxError("invalid \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }

    private func skipStringBody() throws {
        while true {
            while position < end {
                let b = buffer[position]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { break }
                position += 1
            }
            let byte = try next()
            if byte == UInt8(ascii: "\"") { return }
            if byte == UInt8(ascii: "\\") { _ = try next() }
        }
    }
}

/// A growable byte buffer in manually managed memory (see `JSONStream.cursor` for why).
struct ScratchBytes {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity = 256

    init() { base = .allocate(capacity: capacity) }

    func free() { base.deallocate() }

    @inline(__always) mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        if count + n > capacity { grow(count + n) }
        (base + count).update(from: bytes, count: n)
        count += n
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
}
