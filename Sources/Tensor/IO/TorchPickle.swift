/// PyTorch `.pth` / `.bin` checkpoints (zip format, torch ≥ 1.6), read through a restricted
/// unpickler that only builds plain containers and tensors. See `checkpoints.md` §4.1.
public enum TorchCheckpoint {
    /// Reads every tensor of a checkpoint. Nested dictionaries are flattened with dotted keys
    /// (`{"teacher": {"backbone.cls_token": …}}` gives `teacher.backbone.cls_token`); non-tensor
    /// leaves (epochs, strings) are dropped.
    ///
    /// The unpickler never imports or calls anything: it accepts only the globals a state dict
    /// needs (`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`, `_rebuild_parameter`,
    /// `torch.*Storage`, `_codecs.encode`) and rejects object-building opcodes and other globals.
    /// - Throws: `TensorIOError` naming the file: `.forbiddenPickle` for refused content,
    ///   `.malformed` for damaged archives or tensors out of their storage's bounds.
    public static func read(path: String) throws -> [String: Tensor] {
        let bytes = try readFileBytes(path)
        let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
        if bytes.count >= legacyMagic.count && Array(bytes[0..<legacyMagic.count]) == legacyMagic {
            throw TensorIOError.malformed(path: path, reason: "legacy (pre-1.6) torch format is not supported; re-save with torch.save in zip format")
        }
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 3, bytes[3] == 4 else {
            throw TensorIOError.malformed(path: path, reason: "not a zip-format PyTorch checkpoint")
        }
        let archive = try ZipArchive(bytes: bytes, path: path)
        guard let pickleName = archive.entries.keys.filter({ $0.hasSuffix("/data.pkl") }).min(by: { $0.count < $1.count }),
              let pickle = archive.data(pickleName) else {
            throw TensorIOError.malformed(path: path, reason: "zip has no <root>/data.pkl")
        }
        let root = String(pickleName.dropLast("data.pkl".count))
        var bigEndian = false
        if let order = archive.data(root + "byteorder") { bigEndian = String(decoding: order, as: UTF8.self).hasPrefix("big") }
        var unpickler = Unpickler(bytes: Array(pickle), path: path)
        let object = try unpickler.run()
        var storages: [String: [Float]] = [:]
        var out: [String: Tensor] = [:]
        func materialize(_ t: PickledTensor, name: String) throws -> Tensor {
            func bad(_ r: String) -> TensorIOError { .malformed(path: path, reason: "tensor '\(name)': " + r) }
            let s = t.storage
            if storages[s.key] == nil {
                guard let raw = archive.data(root + "data/" + s.key) else { throw bad("storage data/\(s.key) is missing") }
                let elsize = ElementDecoder.size(s.kind)
                guard s.numel >= 0, raw.count / elsize >= s.numel else { throw bad("storage \(s.key) has \(raw.count) bytes, needs \(s.numel) elements") }
                storages[s.key] = raw.withUnsafeBytes { ElementDecoder.decode($0, offset: 0, count: s.numel, kind: s.kind, bigEndian: bigEndian) }
            }
            let storage = storages[s.key]!
            guard t.size.count == t.stride.count, t.offset >= 0, t.stride.allSatisfy({ $0 >= 0 }),
                  let count = checkedElementCount(t.size) else { throw bad("invalid size \(t.size) / stride \(t.stride)") }
            if count == 0 { return Tensor(shape: t.size, data: []) }
            var extent = t.offset
            for (d, st) in zip(t.size, t.stride) {
                let (m, o1) = (d - 1).multipliedReportingOverflow(by: st)
                let (e, o2) = extent.addingReportingOverflow(m)
                guard !o1, !o2 else { throw bad("size \(t.size) / stride \(t.stride) overflow") }
                extent = e
            }
            guard extent < storage.count else { throw bad("offset \(t.offset), size \(t.size), stride \(t.stride) exceed storage of \(storage.count) elements") }
            // Contiguous fast path; otherwise gather by strides.
            var contiguous = true
            var expect = 1
            for (d, st) in zip(t.size, t.stride).reversed() { if d != 1 && st != expect { contiguous = false }; expect *= d }
            if contiguous { return Tensor(shape: t.size, data: Array(storage[t.offset..<(t.offset + count)])) }
            var data = [Float](repeating: 0, count: count)
            var index = [Int](repeating: 0, count: t.size.count)
            for i in 0..<count {
                var src = t.offset
                for j in 0..<index.count { src += index[j] * t.stride[j] }
                data[i] = storage[src]
                var j = index.count - 1
                while j >= 0 { index[j] += 1; if index[j] < t.size[j] { break }; index[j] = 0; j -= 1 }
            }
            return Tensor(shape: t.size, data: data)
        }
        func walk(_ value: PickleValue, prefix: String) throws {
            switch value {
            case let .tensor(t): out[prefix] = try materialize(t, name: prefix)
            case let .dict(d):
                for (k, v) in d.items {
                    let key: String
                    switch k { case let .string(s): key = s; case let .int(i): key = String(i); default: continue }
                    try walk(v, prefix: prefix.isEmpty ? key : prefix + "." + key)
                }
            default: break
            }
        }
        try walk(object, prefix: "")
        return out
    }
}

/// A storage reference from a `BINPERSID` record: `('storage', torch.FloatStorage, key, location, numel)`.
struct StorageRef { let key: String; let kind: ElementDecoder.Kind; let numel: Int }
/// Arguments of `_rebuild_tensor_v2`, before the data is read.
struct PickledTensor { let storage: StorageRef; let offset: Int; let size: [Int]; let stride: [Int] }
/// Mutable containers are classes so memo references and the stack see the same object.
final class PickleDict { var items: [(PickleValue, PickleValue)] = [] }
final class PickleList { var items: [PickleValue] = [] }

indirect enum PickleValue {
    case none, bool(Bool), int(Int), float(Double), string(String), bytes([UInt8])
    case tuple([PickleValue]), list(PickleList), dict(PickleDict)
    case global(module: String, name: String)
    case storageType(ElementDecoder.Kind)
    case storage(StorageRef), tensor(PickledTensor)
    case mark
}
