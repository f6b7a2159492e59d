/// A minimal reader for the uncompressed (STORED) zip archives `torch.save` writes: entries are found
/// through the central directory (local headers carry zero sizes), with Zip64 records followed when
/// the 32-bit fields overflow. Every offset is bounds-checked against the file.
struct ZipArchive {
    struct Entry { let name: String; let dataOffset: Int; let size: Int }

    let bytes: [UInt8]
    let path: String
    private(set) var entries: [String: Entry] = [:]

    init(bytes: [UInt8], path: String) throws {
        self.bytes = bytes
        self.path = path
        try readCentralDirectory()
    }

    private func bad(_ reason: String) -> TensorIOError { .malformed(path: path, reason: "zip: " + reason) }

    private func u16(_ o: Int) throws -> Int {
        guard o >= 0, o + 2 <= bytes.count else { throw bad("field at \(o) past end of file") }
        return Int(bytes[o]) | Int(bytes[o + 1]) << 8
    }
    private func u32(_ o: Int) throws -> Int {
        guard o >= 0, o + 4 <= bytes.count else { throw bad("field at \(o) past end of file") }
        return Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24
    }
    private func u64(_ o: Int) throws -> Int {
        guard o >= 0, o + 8 <= bytes.count else { throw bad("field at \(o) past end of file") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[o + i]) << (8 * UInt64(i)) }
        guard v <= UInt64(Int.max) else { throw bad("64-bit field at \(o) out of range") }
        return Int(v)
    }

    private mutating func readCentralDirectory() throws {
        // End of central directory: last occurrence of PK\5\6 within the final 64 KiB + 22 bytes.
        var eocd = -1
        var i = bytes.count - 22
        let stop = max(0, bytes.count - 22 - 65_535)
        while i >= stop {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 5, bytes[i + 3] == 6 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw bad("no end-of-central-directory record (truncated file?)") }
        var count = try u16(eocd + 10), cdSize = try u32(eocd + 12), cdOffset = try u32(eocd + 16)
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard locator >= 0, try u32(locator) == 0x0706_4B50 else { throw bad("Zip64 locator missing") }
            let z = try u64(locator + 8)
            guard try u32(z) == 0x0606_4B50 else { throw bad("Zip64 end record missing at \(z)") }
            count = try u64(z + 32); cdSize = try u64(z + 40); cdOffset = try u64(z + 48)
        }
        guard cdOffset <= bytes.count, cdSize <= bytes.count - cdOffset else { throw bad("central directory outside the file") }
        var p = cdOffset
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4B50 else { throw bad("bad central directory entry at \(p)") }
            let method = try u16(p + 10)
            var compressed = try u32(p + 20), size = try u32(p + 24)
            let nameLength = try u16(p + 28), extraLength = try u16(p + 30), commentLength = try u16(p + 32)
            var local = try u32(p + 42)
            guard p + 46 + nameLength + extraLength <= bytes.count else { throw bad("entry name past end of file") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // Zip64 extra field (id 1): 8-byte values for the 32-bit fields that read 0xFFFFFFFF, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = try u16(e), len = try u16(e + 2)
                if id == 1 {
                    var f = e + 4
                    if size == 0xFFFF_FFFF { size = try u64(f); f += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = try u64(f); f += 8 }
                    if local == 0xFFFF_FFFF { local = try u64(f); f += 8 }
                }
                e += 4 + len
            }
            guard method == 0 else { throw bad("entry '\(name)' is compressed (method \(method)); torch.save writes stored entries") }
            guard compressed == size else { throw bad("entry '\(name)' sizes disagree") }
            guard try u32(local) == 0x0403_4B50 else { throw bad("bad local header for '\(name)'") }
            let dataOffset = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard dataOffset <= bytes.count, size <= bytes.count - dataOffset else {
                throw bad("entry '\(name)' (\(size) bytes at \(dataOffset)) runs past the end of the file")
            }
            entries[name] = Entry(name: name, dataOffset: dataOffset, size: size)
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    func data(_ name: String) -> ArraySlice<UInt8>? {
        guard let e = entries[name] else { return nil }
        return bytes[e.dataOffset..<(e.dataOffset + e.size)]
    }
}
