import Foundation

/// Writes a COCO document to disk atomically (a temporary file beside the target, renamed over
/// it on ``finish()``) and in streaming fashion, so an export of a million annotations never
/// holds the whole text. Integral numbers are written without a fraction (`12`, not `12.0`).
public final class COCOWriter {
    private let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private var finished = false

    /// Creates the temporary file.
    /// - Throws: ``StoreError/unwritable(file:reason:)``.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw StoreError.unwritable(file: path, reason: "cannot create \(temporaryPath)")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    // MARK: Structure

    /// Opens an object (as a value or as the value of `key` in the enclosing object).
    public func beginObject(_ key: String? = nil) { separate(key); buffer.append(UInt8(ascii: "{")); needsComma.append(false) }
    public func endObject() { needsComma.removeLast(); buffer.append(UInt8(ascii: "}")) }
    public func beginArray(_ key: String? = nil) { separate(key); buffer.append(UInt8(ascii: "[")); needsComma.append(false) }
    public func endArray() { needsComma.removeLast(); buffer.append(UInt8(ascii: "]")) }

    public func string(_ key: String?, _ value: String) { separate(key); appendString(value) }
    public func int(_ key: String?, _ value: Int64) { separate(key); buffer.append(contentsOf: String(value).utf8) }
    public func number(_ key: String?, _ value: Double) { separate(key); appendNumber(value) }
    public func null(_ key: String?) { separate(key); buffer.append(contentsOf: "null".utf8) }
    /// Writes already-serialised JSON text as a value (checked by the caller).
    public func raw(_ key: String?, _ json: String) { separate(key); buffer.append(contentsOf: json.utf8) }

    public func numbers(_ key: String?, _ values: [Double]) {
        beginArray(key)
        for v in values { number(nil, v) }
        endArray()
    }

    /// Flushes the buffer when it has grown past 1 MiB.
    public func flushIfNeeded() throws { if buffer.count >= 1 << 20 { try flush() } }

    /// Writes the rest, closes and renames the file into place.
    public func finish() throws {
        buffer.append(UInt8(ascii: "\n"))
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
        } catch {
            throw StoreError.unwritable(file: path, reason: "\(error.localizedDescription)")
        }
        finished = true
    }

    private func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch {
            throw StoreError.unwritable(file: path, reason: error.localizedDescription)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: Scalars

    private func separate(_ key: String?) {
        if needsComma[needsComma.count - 1] { buffer.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if let key {
            appendString(key)
            buffer.append(UInt8(ascii: ":"))
        }
    }

    private func appendNumber(_ value: Double) {
        if !value.isFinite {
            buffer.append(contentsOf: "null".utf8)
        } else if value == value.rounded(), abs(value) < 1e15 {
            buffer.append(contentsOf: String(Int64(value)).utf8)
        } else {
            buffer.append(contentsOf: "\(value)".utf8)
        }
    }

    private func appendString(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case ..<0x20: buffer.append(contentsOf: String(format: "\\u%04x", byte).utf8)
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}

extension COCOWriter {
    /// Writes one image entry.
    public func image(_ image: COCOImage) {
        beginObject()
        int("id", image.id); string("file_name", image.fileName)
        int("width", Int64(image.width)); int("height", Int64(image.height))
        endObject()
    }

    /// Writes one category entry.
    public func category(_ category: COCOCategory) {
        beginObject()
        int("id", category.id); string("name", category.name)
        if let s = category.supercategory { string("supercategory", s) }
        endObject()
    }

    /// Writes one annotation entry (RLE segmentations compressed).
    public func annotation(_ a: COCOAnnotation) {
        beginObject()
        int("id", a.id); int("image_id", a.imageID); int("category_id", a.categoryID)
        switch a.segmentation {
        case let .polygons(polygons):
            beginArray("segmentation")
            for p in polygons { numbers(nil, p) }
            endArray()
        case let .rle(rle):
            beginObject("segmentation")
            numbers("size", [Double(rle.height), Double(rle.width)]); string("counts", rle.compressed)
            endObject()
        case let .compressedRLE(counts, width, height):
            beginObject("segmentation")
            numbers("size", [Double(height), Double(width)]); string("counts", counts)
            endObject()
        }
        number("area", a.area); numbers("bbox", a.bbox); int("iscrowd", Int64(a.iscrowd))
        if let o = a.objAnnID { int("obj_ann_id", o) }
        if let s = a.score { number("score", s) }
        endObject()
    }

    /// Writes the `vlpart` section through Foundation's encoder (it is small).
    public func vlpartSection(_ section: VLPartSection) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        raw("vlpart", String(decoding: try encoder.encode(section), as: UTF8.self))
    }
}

extension COCODocument {
    /// Writes the document atomically (temporary file + rename), compressing RLE masks.
    /// - Throws: ``StoreError/unwritable(file:reason:)``.
    public func write(to path: String) throws {
        let w = try COCOWriter(path: path)
        w.beginObject()
        if let info {
            w.beginObject("info")
            for key in info.keys.sorted() { w.string(key, info[key] ?? "") }
            w.endObject()
        }
        w.beginArray("images"); for i in images { w.image(i) }; w.endArray()
        w.beginArray("categories"); for c in categories { w.category(c) }; w.endArray()
        if let partCategories { w.beginArray("part_categories"); for c in partCategories { w.category(c) }; w.endArray() }
        if let imageLabels {
            w.beginArray("image_labels")
            for l in imageLabels {
                w.beginObject(); w.int("image_id", l.imageID); w.int("category_id", l.categoryID)
                if let s = l.score { w.number("score", s) }
                w.endObject()
            }
            w.endArray()
        }
        w.beginArray("annotations")
        for a in annotations { w.annotation(a); try w.flushIfNeeded() }
        w.endArray()
        if let vlpart { try w.vlpartSection(vlpart) }
        w.endObject()
        try w.finish()
    }
}
