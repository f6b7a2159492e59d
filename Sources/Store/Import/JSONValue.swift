import Foundation

/// One JSON value, as small as possible: objects keep their keys in file order as pairs, since
/// the elements of a COCO file have a handful of keys and a linear lookup beats hashing.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// The JSON type name, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The value of `key` when this is an object holding it.
    subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        for (k, v) in pairs where k == key { return v }
        return nil
    }
}

/// Where a value sits in a document, built into text only when an error needs it:
/// `annotations[1234].segmentation.counts`.
struct JSONPath: CustomStringConvertible, Sendable {
    enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    // The first three components live inline and `more` stays empty (an empty array does not
    // allocate), so `annotations[1234].segmentation` costs no heap allocation per element.
    private var first: Component?, second: Component?, third: Component?
    private var more: [Component] = []

    init(_ components: [Component] = []) {
        for component in components { append(component) }
    }

    static func element(_ array: String, _ index: Int) -> JSONPath {
        var path = JSONPath()
        path.first = .key(array)
        path.second = .index(index)
        return path
    }

    func appending(_ key: String) -> JSONPath { var path = self; path.append(.key(key)); return path }
    func appending(_ index: Int) -> JSONPath { var path = self; path.append(.index(index)); return path }

    private mutating func append(_ component: Component) {
        if first == nil { first = component } else if second == nil { second = component }
        else if third == nil { third = component } else { more.append(component) }
    }

    var components: [Component] { [first, second, third].compactMap { $0 } + more }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case let .key(key): text += text.isEmpty ? key : ".\(key)"
            case let .index(i): text += "[\(i)]"
            }
        }
        return text
    }
}

/// Typed, path-aware access to one JSON object element, throwing
/// `annotations[12].bbox: expected array of 4 numbers, found string`.
struct JSONFields {
    let value: JSONValue
    let path: JSONPath
    let file: String

    init(_ value: JSONValue, path: JSONPath, file: String) throws {
        self.value = value; self.path = path; self.file = file
        guard case .object = value else { throw error("expected object, found \(value.typeName)") }
    }

    func error(_ message: String, key: String? = nil) -> StoreError {
        .json(file: file, path: (key.map { path.appending($0) } ?? path).description, message: message)
    }

    func has(_ key: String) -> Bool {
        if let v = value[key], case .null = v { return false }
        return value[key] != nil
    }

    /// A required integer (`id`, `image_id`): a number with no fraction.
    func int(_ key: String) throws -> Int64 {
        guard let v = value[key] else { throw error("missing", key: key) }
        return try Self.int(v) ?? { throw error("expected integer, found \(v.typeName == "number" ? "fraction" : v.typeName)", key: key) }()
    }

    func optionalInt(_ key: String) throws -> Int64? {
        guard let v = value[key], !v.isNull else { return nil }
        return try Self.int(v) ?? { throw error("expected integer, found \(v.typeName)", key: key) }()
    }

    static func int(_ v: JSONValue) -> Int64? {
        guard case let .number(d) = v, d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int64(d)
    }

    func double(_ key: String) throws -> Double {
        guard let v = value[key] else { throw error("missing", key: key) }
        guard case let .number(d) = v else { throw error("expected number, found \(v.typeName)", key: key) }
        return d
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let v = value[key], !v.isNull else { return nil }
        guard case let .number(d) = v else { throw error("expected number, found \(v.typeName)", key: key) }
        return d
    }

    func string(_ key: String) throws -> String {
        guard let v = value[key] else { throw error("missing", key: key) }
        guard case let .string(s) = v else { throw error("expected string, found \(v.typeName)", key: key) }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = value[key], !v.isNull else { return nil }
        guard case let .string(s) = v else { throw error("expected string, found \(v.typeName)", key: key) }
        return s
    }

    /// A number array of exactly `count` elements (`bbox`), or `nil` when absent.
    func optionalNumbers(_ key: String, count: Int) throws -> [Double]? {
        guard let v = value[key], !v.isNull else { return nil }
        guard case let .array(items) = v, items.count == count else {
            throw error("expected array of \(count) numbers, found \(v.typeName)", key: key)
        }
        return try items.enumerated().map { i, item in
            guard case let .number(d) = item else {
                throw StoreError.json(file: file, path: path.appending(key).appending(i).description,
                                      message: "expected number, found \(item.typeName)")
            }
            return d
        }
    }
}

extension JSONValue {
    var isNull: Bool { if case .null = self { true } else { false } }
}
