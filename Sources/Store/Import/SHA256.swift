import CKernels
import Foundation

/// SHA-256 (FIPS 180-4), streaming, so an import can hash its file in the same pass that parses
/// it. Recognises a file that was already imported, and identifies model checkpoints.
public struct SHA256 {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var pending = [UInt8](repeating: 0, count: 64)
    private var pendingCount = 0
    private var length: UInt64 = 0
    /// The message schedule, reused for every block (no allocation per 64 bytes).
    private var schedule = [UInt32](repeating: 0, count: 64)
    /// Whether full blocks go to CKernels' SHA-NI rounds (when the CPU has them).
    private let useHardware: Bool

    /// A fresh hash. `useHardware: false` forces the portable rounds (tests compare the two).
    public init(useHardware: Bool = true) {
        self.useHardware = useHardware && vlk_has_sha_ni() == 1
    }

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    mutating func update(_ data: UnsafeRawBufferPointer) {
        guard var base = data.baseAddress else { return }
        var count = data.count
        length &+= UInt64(count)
        if pendingCount > 0 {
            let take = min(64 - pendingCount, count)
            for i in 0..<take { pending[pendingCount + i] = base.load(fromByteOffset: i, as: UInt8.self) }
            pendingCount += take; base += take; count -= take
            if pendingCount == 64 {
                let block = pending
                block.withUnsafeBytes { compressBlocks($0.baseAddress!, count: 1) }
                pendingCount = 0
            } else {
                return   // all of `data` went into the unfinished block
            }
        }
        if count >= 64 {
            let blocks = count / 64
            compressBlocks(base, count: blocks)
            base += blocks * 64; count -= blocks * 64
        }
        for i in 0..<count { pending[i] = base.load(fromByteOffset: i, as: UInt8.self) }
        pendingCount = count
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The digest as 64 lower-case hex digits.
    mutating func finalizeHex() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (pendingCount + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        let savedLength = length
        update(tail)
        length = savedLength
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        return words.map { String(format: "%08x", $0) }.joined()
    }

    /// `count` whole blocks at `base`, through SHA-NI when available.
    private mutating func compressBlocks(_ base: UnsafeRawPointer, count: Int) {
        if useHardware {
            withUnsafeMutableBytes(of: &state) { words in
                _ = vlk_sha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                      base.assumingMemoryBound(to: UInt8.self), count)
            }
        } else {
            for block in 0..<count { compress(base + 64 * block) }
        }
    }

    private mutating func compress(_ block: UnsafeRawPointer) {
        var state = self.state
        schedule.withUnsafeMutableBufferPointer { w in
            Self.k.withUnsafeBufferPointer { k in
                for i in 0..<16 { w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
                for i in 16..<64 {
                    let s0 = w[i - 15].rotr(7) ^ w[i - 15].rotr(18) ^ (w[i - 15] >> 3)
                    let s1 = w[i - 2].rotr(17) ^ w[i - 2].rotr(19) ^ (w[i - 2] >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, h) = state
                for i in 0..<64 {
                    let t1 = h &+ (e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                    let t2 = (a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                    h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                }
                state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                         state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
            }
        }
        self.state = state
    }

    /// Hashes a whole file in 1 MiB chunks.
    public static func hexDigest(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.unreadable(file: path, reason: "cannot open")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalizeHex()
    }
}

private extension UInt32 {
    @inline(__always) func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}

/// Hashes a file on its own thread while the importer parses it, so the hash costs no wall
/// time on a machine with a spare core.
final class BackgroundFileHasher: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var digest: Result<String, Error>?
    private var cancelled = false

    init(path: String) {
        let thread = Thread { [self] in
            let result = Result { try self.hash(path) }
            lock.withLock { digest = result }
            done.signal()
        }
        thread.start()
    }

    private func hash(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.unreadable(file: path, reason: "cannot open")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if lock.withLock({ cancelled }) { return "" }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalizeHex()
    }

    /// Waits for the digest.
    func result() throws -> String {
        done.wait()
        done.signal()
        return try lock.withLock { digest! }.get()
    }

    /// Stops hashing early (the import failed).
    func cancel() { lock.withLock { cancelled = true } }
}
