/// NumPy `.npy` files (`numpy/lib/format.py`): magic, version, a Python-dict header, raw data.
public enum Npy {
    /// Reads a `.npy` file (format v1, v2 or v3) holding little-endian `<f4`, `<f2`, `<f8`, `<i8`
    /// or `<i4` data in C order, converting to `Float`. Fortran order, big-endian data and other
    /// dtypes are rejected.
    /// - Throws: `TensorIOError` naming the file and the problem.
    public static func read(path: String) throws -> Tensor {
        try read(bytes: readFileBytes(path), path: path)
    }

    static func read(bytes: [UInt8], path: String) throws -> Tensor {
        func bad(_ reason: String) -> TensorIOError { .malformed(path: path, reason: reason) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw bad("not a .npy file (bad magic)") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated header length") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw bad("unsupported format version \(major).\(bytes[7])")
        }
        guard headerStart + headerLength <= bytes.count else { throw bad("header runs past the end of the file") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = stringValue(for: "descr", in: header) else { throw bad("header lacks 'descr'") }
        guard let fortran = rawValue(for: "fortran_order", in: header) else { throw bad("header lacks 'fortran_order'") }
        guard fortran.hasPrefix("False") else { throw bad("fortran_order True is not supported (save with np.ascontiguousarray)") }
        guard let shapeText = rawValue(for: "shape", in: header), shapeText.hasPrefix("("),
              let close = shapeText.firstIndex(of: ")") else { throw bad("header lacks a 'shape' tuple") }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<close]
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: " \t\nL")
            if t.isEmpty { continue }
            guard let d = Int(t), d >= 0 else { throw bad("shape \(shapeText[...close]) has an invalid dimension") }
            shape.append(d)
        }
        let kind: ElementDecoder.Kind
        switch descr {
        case "<f4": kind = .f32
        case "<f2": kind = .f16
        case "<f8": kind = .f64
        case "<i8": kind = .i64
        case "<i4": kind = .i32
        default: throw bad("dtype '\(descr)' is not supported (expected little-endian <f4, <f2, <f8, <i8 or <i4)")
        }
        let dataStart = headerStart + headerLength
        guard let count = checkedElementCount(shape), count.multipliedReportingOverflow(by: ElementDecoder.size(kind)).overflow == false
        else { throw bad("shape \(shape) is too large") }
        let needed = count * ElementDecoder.size(kind)
        guard bytes.count - dataStart == needed else {
            throw bad("shape \(shape) of \(descr) needs \(needed) data bytes, file has \(bytes.count - dataStart)")
        }
        let data = bytes.withUnsafeBytes { ElementDecoder.decode($0, offset: dataStart, count: count, kind: kind) }
        return Tensor(shape: shape, data: data)
    }

    /// The text after `'key':` up to the end of the header.
    static func rawValue(for key: String, in header: String) -> Substring? {
        for quote in ["'", "\""] {
            if let r = header.range(of: "\(quote)\(key)\(quote)") {
                var rest = header[r.upperBound...].drop { $0 == " " }
                guard rest.first == ":" else { continue }
                rest = rest.dropFirst().drop { $0 == " " }
                return rest
            }
        }
        return nil
    }

    static func stringValue(for key: String, in header: String) -> String? {
        guard let raw = rawValue(for: key, in: header), let q = raw.first, q == "'" || q == "\"" else { return nil }
        let body = raw.dropFirst()
        guard let end = body.firstIndex(of: q) else { return nil }
        return String(body[..<end])
    }

    /// Writes a float32 C-order `.npy` (format 1.0, header padded to a 64-byte boundary); atomic.
    /// - Throws: `TensorIOError.unreadable` when the file cannot be written.
    public static func write(_ tensor: Tensor, path: String) throws {
        let shapeText: String
        switch tensor.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(tensor.shape[0]),)"
        default: shapeText = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let n = header.utf8.count
        bytes.append(UInt8(n & 0xFF)); bytes.append(UInt8(n >> 8))
        bytes += Array(header.utf8)
        appendLittleEndian(tensor.data, to: &bytes)
        try writeFileBytes(bytes, to: path)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
