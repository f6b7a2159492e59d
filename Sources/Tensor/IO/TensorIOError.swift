import Foundation

/// Errors reading or writing tensor files; each description is one line naming the file.
public enum TensorIOError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, read or written.
    case unreadable(path: String, reason: String)
    /// The bytes do not follow the format (truncated, bad header, inconsistent offsets, …).
    case malformed(path: String, reason: String)
    /// A tensor uses an element type this reader does not convert.
    case unsupportedDType(path: String, key: String, dtype: String)
    /// A pickle asked for something the restricted unpickler refuses (a foreign global, an object
    /// construction opcode, …). Nothing was executed.
    case forbiddenPickle(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read or write tensor file: \(reason)"
        case let .malformed(path, reason): "\(path): malformed tensor file: \(reason)"
        case let .unsupportedDType(path, key, dtype): "\(path): tensor '\(key)' has unsupported dtype \(dtype)"
        case let .forbiddenPickle(path, reason): "\(path): refused to unpickle: \(reason)"
        }
    }
}

/// Reads a whole file into memory, throwing `TensorIOError.unreadable` with the OS reason.
func readFileBytes(_ path: String) throws -> [UInt8] {
    guard FileManager.default.fileExists(atPath: path) else { throw TensorIOError.unreadable(path: path, reason: "no such file") }
    do {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        return [UInt8](data)
    } catch {
        throw TensorIOError.unreadable(path: path, reason: error.localizedDescription)
    }
}

/// Writes bytes atomically (temporary file, then rename).
func writeFileBytes(_ bytes: [UInt8], to path: String) throws {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw TensorIOError.unreadable(path: path, reason: error.localizedDescription)
    }
}

/// Little-endian element decoding shared by the readers.
enum ElementDecoder {
    /// Element types the readers convert to `Float`.
    enum Kind: String { case f64, f32, f16, bf16, i64, i32, i16, i8, u8, bool }

    static func size(_ kind: Kind) -> Int {
        switch kind {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// Decodes `count` elements starting at byte `offset` of `bytes` into Floats. Caller has bounds-checked.
    static func decode(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int, kind: Kind, bigEndian: Bool = false) -> [Float] {
        let p = bytes.baseAddress! + offset
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch kind {
            case .f32:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                    out[i] = Float(bitPattern: bigEndian ? u.byteSwapped : UInt32(littleEndian: u))
                }
            case .f16:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    out[i] = Float(Float16(bitPattern: bigEndian ? u.byteSwapped : UInt16(littleEndian: u)))
                }
            case .bf16:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    out[i] = Float(bitPattern: UInt32(bigEndian ? u.byteSwapped : UInt16(littleEndian: u)) << 16)
                }
            case .f64:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
                    out[i] = Float(Double(bitPattern: bigEndian ? u.byteSwapped : UInt64(littleEndian: u)))
                }
            case .i64:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
                    out[i] = Float(Int64(bitPattern: bigEndian ? u.byteSwapped : UInt64(littleEndian: u)))
                }
            case .i32:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                    out[i] = Float(Int32(bitPattern: bigEndian ? u.byteSwapped : UInt32(littleEndian: u)))
                }
            case .i16:
                for i in 0..<count {
                    let u = p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    out[i] = Float(Int16(bitPattern: bigEndian ? u.byteSwapped : UInt16(littleEndian: u)))
                }
            case .i8: for i in 0..<count { out[i] = Float(Int8(bitPattern: p.load(fromByteOffset: i, as: UInt8.self))) }
            case .u8, .bool: for i in 0..<count { out[i] = Float(p.load(fromByteOffset: i, as: UInt8.self)) }
            }
            initialized = count
        }
    }
}

/// Product of dimensions with overflow and sign checks; nil when invalid.
func checkedElementCount(_ shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
        guard d >= 0 else { return nil }
        let (r, o) = n.multipliedReportingOverflow(by: d)
        if o { return nil }
        n = r
    }
    return n
}

/// Appends the little-endian bytes of Float32 values.
func appendLittleEndian(_ values: [Float], to bytes: inout [UInt8]) {
    bytes.reserveCapacity(bytes.count + 4 * values.count)
    for v in values {
        let u = v.bitPattern.littleEndian
        bytes.append(UInt8(truncatingIfNeeded: u)); bytes.append(UInt8(truncatingIfNeeded: u >> 8))
        bytes.append(UInt8(truncatingIfNeeded: u >> 16)); bytes.append(UInt8(truncatingIfNeeded: u >> 24))
    }
}
