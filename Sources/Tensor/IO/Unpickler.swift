/// The restricted pickle virtual machine behind `TorchCheckpoint`: a stack machine over the opcodes
/// a `torch.save` state dict uses (protocols 2–4). It calls nothing: allowed globals become inert
/// markers, and `REDUCE` interprets only the handful of constructors a state dict needs.
struct Unpickler {
    let bytes: [UInt8]
    let path: String
    var pos = 0
    var stack: [PickleValue] = []
    var memo: [Int: PickleValue] = [:]

    init(bytes: [UInt8], path: String) { self.bytes = bytes; self.path = path }

    func bad(_ reason: String) -> TensorIOError { .malformed(path: path, reason: "pickle: " + reason) }
    func refuse(_ reason: String) -> TensorIOError { .forbiddenPickle(path: path, reason: reason) }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - pos else { throw bad("truncated at byte \(pos)") }
        defer { pos += n }
        return bytes[pos..<(pos + n)]
    }
    mutating func uint(_ n: Int) throws -> Int {
        var v: UInt64 = 0
        for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        guard v <= UInt64(Int.max) else { throw bad("length out of range at byte \(pos)") }
        return Int(v)
    }
    mutating func line() throws -> String {
        guard let end = bytes[pos...].firstIndex(of: 0x0A) else { throw bad("unterminated line at byte \(pos)") }
        defer { pos = end + 1 }
        return String(decoding: bytes[pos..<end], as: UTF8.self)
    }
    mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw bad("stack underflow at byte \(pos)") }
        return v
    }
    /// Pops everything above the topmost mark, and the mark.
    mutating func popMark() throws -> [PickleValue] {
        guard let m = stack.lastIndex(where: { if case .mark = $0 { true } else { false } }) else { throw bad("missing MARK at byte \(pos)") }
        let items = Array(stack[(m + 1)...])
        stack.removeSubrange(m...)
        return items
    }

    /// Resolves a GLOBAL against the allow-list; everything else is refused.
    func global(_ module: String, _ name: String) throws -> PickleValue {
        switch (module, name) {
        case ("collections", "OrderedDict"), ("torch._utils", "_rebuild_tensor_v2"),
             ("torch._utils", "_rebuild_parameter"), ("_codecs", "encode"):
            return .global(module: module, name: name)
        case ("torch", _):
            let kinds: [String: ElementDecoder.Kind] = [
                "FloatStorage": .f32, "DoubleStorage": .f64, "HalfStorage": .f16, "BFloat16Storage": .bf16,
                "LongStorage": .i64, "IntStorage": .i32, "ShortStorage": .i16, "CharStorage": .i8,
                "ByteStorage": .u8, "BoolStorage": .bool,
            ]
            if let k = kinds[name] { return .storageType(k) }
        default: break
        }
        throw refuse("global '\(module).\(name)' is not allowed (only tensors and plain containers are loaded)")
    }

    mutating func run() throws -> PickleValue {
        while true {
            let op = try take(1).first!
            switch op {
            case 0x80: _ = try take(1)                                   // PROTO
            case 0x95: _ = try take(8)                                   // FRAME
            case 0x2E: return try pop()                                  // STOP
            case 0x63:                                                   // GLOBAL
                let module = try line(), name = try line()
                stack.append(try global(module, name))
            case 0x93:                                                   // STACK_GLOBAL
                guard case let .string(name) = try pop(), case let .string(module) = try pop() else { throw bad("STACK_GLOBAL needs two strings") }
                stack.append(try global(module, name))
            case 0x71: memo[try uint(1)] = try peek()                    // BINPUT
            case 0x72: memo[try uint(4)] = try peek()                    // LONG_BINPUT
            case 0x94: memo[memo.count] = try peek()                     // MEMOIZE
            case 0x68, 0x6A:                                             // BINGET, LONG_BINGET
                let i = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[i] else { throw bad("memo index \(i) not set") }
                stack.append(v)
            case 0x28: stack.append(.mark)                               // MARK
            case 0x30: _ = try pop()                                     // POP
            case 0x31: _ = try popMark()                                 // POP_MARK
            case 0x32: stack.append(try peek())                          // DUP
            case 0x29: stack.append(.tuple([]))                          // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(try popMark()))               // TUPLE
            case 0x85: let a = try pop(); stack.append(.tuple([a]))      // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); stack.append(.tuple([a, b]))
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(.tuple([a, b, c]))
            case 0x7D: stack.append(.dict(PickleDict()))                 // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList()))                 // EMPTY_LIST
            case 0x73:                                                   // SETITEM
                let v = try pop(), k = try pop()
                guard case let .dict(d) = try peek() else { throw bad("SETITEM on a non-dict") }
                d.items.append((k, v))
            case 0x75:                                                   // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0, case let .dict(d) = try peek() else { throw bad("SETITEMS on a non-dict") }
                for i in stride(from: 0, to: items.count, by: 2) { d.items.append((items[i], items[i + 1])) }
            case 0x61:                                                   // APPEND
                let v = try pop()
                guard case let .list(l) = try peek() else { throw bad("APPEND on a non-list") }
                l.items.append(v)
            case 0x65:                                                   // APPENDS
                let items = try popMark()
                guard case let .list(l) = try peek() else { throw bad("APPENDS on a non-list") }
                l.items += items
            case 0x58: stack.append(.string(try utf8(try uint(4))))      // BINUNICODE
            case 0x8C: stack.append(.string(try utf8(try uint(1))))      // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(try utf8(try uint(8))))      // BINUNICODE8
            case 0x55: stack.append(.string(try utf8(try uint(1))))      // SHORT_BINSTRING
            case 0x54: stack.append(.string(try utf8(try uint(4))))      // BINSTRING
            case 0x43: stack.append(.bytes(Array(try take(try uint(1)))))    // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try take(try uint(4)))))    // BINBYTES
            case 0x8E: stack.append(.bytes(Array(try take(try uint(8)))))    // BINBYTES8
            case 0x4B: stack.append(.int(try uint(1)))                   // BININT1
            case 0x4D: stack.append(.int(try uint(2)))                   // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x8A:                                                   // LONG1
                let n = try uint(1)
                guard n <= 8 else { throw bad("LONG1 of \(n) bytes is too large") }
                let raw = try take(n)
                var v: UInt64 = 0
                for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
                if n > 0 && n < 8 && raw.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
                stack.append(.int(Int(Int64(bitPattern: v))))
            case 0x88: stack.append(.bool(true))                         // NEWTRUE
            case 0x89: stack.append(.bool(false))                        // NEWFALSE
            case 0x4E: stack.append(.none)                               // NONE
            case 0x47:                                                   // BINFLOAT (big-endian)
                var v: UInt64 = 0
                for b in try take(8) { v = v << 8 | UInt64(b) }
                stack.append(.float(Double(bitPattern: v)))
            case 0x51: stack.append(try persistentLoad(try pop()))       // BINPERSID
            case 0x52:                                                   // REDUCE
                let args = try pop(), callable = try pop()
                stack.append(try reduce(callable, args))
            case 0x62:                                                   // BUILD: state of a dict/tensor is ignored
                _ = try pop()
                switch try peek() {
                case .dict, .tensor: break
                default: throw refuse("BUILD on something other than a dict or tensor")
                }
            case 0x69: throw refuse("opcode INST (object construction) is not allowed")
            case 0x6F: throw refuse("opcode OBJ (object construction) is not allowed")
            case 0x81, 0x92: throw refuse("opcode NEWOBJ (object construction) is not allowed")
            case 0x82, 0x83, 0x84: throw refuse("extension-registry opcodes (EXT) are not allowed")
            case 0x50: throw refuse("text PERSID is not allowed")
            default: throw refuse("opcode 0x\(String(op, radix: 16)) is not supported")
            }
        }
    }

    func peek() throws -> PickleValue {
        guard let v = stack.last else { throw bad("stack underflow at byte \(pos)") }
        return v
    }
    mutating func utf8(_ n: Int) throws -> String { String(decoding: try take(n), as: UTF8.self) }

    func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        guard case let .tuple(t) = pid, t.count >= 5, case .string("storage") = t[0],
              case let .storageType(kind) = t[1], case let .string(key) = t[2], case let .int(numel) = t[4], numel >= 0
        else { throw refuse("persistent id is not a ('storage', torch.*Storage, key, location, numel) record") }
        guard !key.contains("/"), !key.contains("..") else { throw bad("storage key '\(key)' is not a plain name") }
        return .storage(StorageRef(key: key, kind: kind, numel: numel))
    }

    func ints(_ v: PickleValue, _ what: String) throws -> [Int] {
        guard case let .tuple(items) = v else { throw bad("\(what) is not a tuple") }
        return try items.map { guard case let .int(i) = $0 else { throw bad("\(what) holds a non-integer") }; return i }
    }

    func reduce(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case let .global(module, name) = callable, case let .tuple(a) = args else {
            throw refuse("REDUCE of something other than an allowed global")
        }
        switch (module, name) {
        case ("collections", "OrderedDict"):
            let d = PickleDict()
            if let first = a.first, case let .list(pairs) = first {
                for p in pairs.items { if case let .tuple(kv) = p, kv.count == 2 { d.items.append((kv[0], kv[1])) } }
            }
            return .dict(d)
        case ("torch._utils", "_rebuild_tensor_v2"):
            guard a.count >= 4, case let .storage(s) = a[0], case let .int(offset) = a[1] else {
                throw bad("_rebuild_tensor_v2 arguments are not (storage, offset, size, stride, …)")
            }
            let size = try ints(a[2], "tensor size"), stride = try ints(a[3], "tensor stride")
            guard size.count == stride.count else { throw bad("tensor size \(size) and stride \(stride) differ in rank") }
            return .tensor(PickledTensor(storage: s, offset: offset, size: size, stride: stride))
        case ("torch._utils", "_rebuild_parameter"):
            guard let first = a.first, case .tensor = first else { throw bad("_rebuild_parameter without a tensor") }
            return first
        case ("_codecs", "encode"):
            guard let first = a.first, case let .string(s) = first else { throw bad("_codecs.encode without a string") }
            // Protocol-2 bytes are pickled as encode(latin-1 text, 'latin1'): one byte per scalar.
            return .bytes(s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        default:
            throw refuse("REDUCE of '\(module).\(name)' is not allowed")
        }
    }
}
