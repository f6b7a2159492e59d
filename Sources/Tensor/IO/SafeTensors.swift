import Foundation

/// The safetensors format (`huggingface/safetensors`): an 8-byte little-endian header length, a JSON
/// header mapping names to `{dtype, shape, data_offsets}`, then the raw little-endian data.
public enum SafeTensors {
    /// Largest accepted JSON header, as the reference library caps it.
    public static let maximumHeaderBytes = 100_000_000

    /// Reads every tensor, converting F32/F16/BF16 (and F64/I64/I32/I16/I8/U8/BOOL) to `Float`.
    ///
    /// Validates the header size cap, that every `data_offsets` range matches its dtype and shape,
    /// that the ranges tile the data buffer with no holes or overlaps, and that the file ends there.
    /// - Throws: `TensorIOError` naming the file and the problem.
    public static func read(path: String) throws -> [String: Tensor] {
        try read(bytes: readFileBytes(path), path: path).tensors
    }

    /// Reads tensors and the `__metadata__` string map.
    public static func readWithMetadata(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try read(bytes: readFileBytes(path), path: path)
    }

    static func read(bytes: [UInt8], path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func bad(_ reason: String) -> TensorIOError { .malformed(path: path, reason: reason) }
        guard bytes.count >= 8 else { throw bad("file is \(bytes.count) bytes, shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(maximumHeaderBytes) else { throw bad("header length \(headerLength) exceeds \(maximumHeaderBytes)") }
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= bytes.count else { throw bad("header length \(headerLength) runs past the end of the \(bytes.count)-byte file") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) } catch { throw bad("header is not valid JSON") }
        guard let header = json as? [String: Any] else { throw bad("header is not a JSON object") }
        var metadata: [String: String] = [:]
        var entries: [(name: String, kind: ElementDecoder.Kind, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m { guard let s = v as? String else { throw bad("__metadata__.\(k) is not a string") }; metadata[k] = s }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shapeAny = info["shape"] as? [Any], let offsAny = info["data_offsets"] as? [Any], offsAny.count == 2
            else { throw bad("entry '\(name)' lacks dtype, shape or data_offsets") }
            let shape = try shapeAny.map { d -> Int in
                guard let n = d as? NSNumber, let i = Int(exactly: n.doubleValue), i >= 0 else { throw bad("entry '\(name)' has an invalid shape") }
                return i
            }
            let offs = try offsAny.map { d -> Int in
                guard let n = d as? NSNumber, let i = Int(exactly: n.doubleValue), i >= 0 else { throw bad("entry '\(name)' has invalid data_offsets") }
                return i
            }
            guard let kind = kindFor(dtype) else { throw TensorIOError.unsupportedDType(path: path, key: name, dtype: dtype) }
            guard let count = checkedElementCount(shape), count.multipliedReportingOverflow(by: ElementDecoder.size(kind)).overflow == false,
                  offs[1] >= offs[0], offs[1] - offs[0] == count * ElementDecoder.size(kind)
            else { throw bad("entry '\(name)' spans bytes \(offs[0])..<\(offs[1]) but \(dtype) \(shape) needs a different size") }
            entries.append((name, kind, shape, offs[0], offs[1]))
        }
        // The byte ranges must tile the data buffer exactly, and the buffer must end the file.
        let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        for e in sorted {
            guard e.begin == cursor else {
                throw bad(e.begin < cursor ? "entry '\(e.name)' overlaps the previous tensor" : "hole before entry '\(e.name)' at data offset \(cursor)")
            }
            cursor = e.end
        }
        guard dataStart + cursor == bytes.count else {
            throw bad("data buffer ends at byte \(dataStart + cursor) but the file has \(bytes.count) bytes (truncated or trailing data)")
        }
        var tensors: [String: Tensor] = [:]
        bytes.withUnsafeBytes { raw in
            for e in entries {
                let count = e.shape.reduce(1, *)
                tensors[e.name] = Tensor(shape: e.shape,
                                         data: ElementDecoder.decode(raw, offset: dataStart + e.begin, count: count, kind: e.kind))
            }
        }
        return (tensors, metadata)
    }

    static func kindFor(_ dtype: String) -> ElementDecoder.Kind? {
        switch dtype {
        case "F32": .f32
        case "F16": .f16
        case "BF16": .bf16
        case "F64": .f64
        case "I64": .i64
        case "I32": .i32
        case "I16": .i16
        case "I8": .i8
        case "U8": .u8
        case "BOOL": .bool
        default: nil
        }
    }

    /// Writes tensors as F32 in name order, with an optional `__metadata__` map; atomic.
    /// - Throws: `TensorIOError.unreadable` when the file cannot be written.
    public static func write(_ tensors: [String: Tensor], path: String, metadata: [String: String] = [:]) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]] as [String: Any]
            offset += 4 * t.count
        }
        var json: [UInt8]
        do { json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) } catch {
            throw TensorIOError.unreadable(path: path, reason: "cannot encode header: \(error)")
        }
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + json.count + offset)
        let n = UInt64(json.count)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        bytes += json
        for name in names { appendLittleEndian(tensors[name]!.data, to: &bytes) }
        try writeFileBytes(bytes, to: path)
    }
}
