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
    /// false: CKernels' portable rounds even where the CPU has SHA-NI.
    private let useHardware: Bool

    /// A fresh hash. `useHardware: false` forces the portable rounds (tests compare the two).
    public init(useHardware: Bool = true) {
        self.useHardware = useHardware
    }

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

    /// `count` whole blocks at `base`, through CKernels (SHA-NI rounds when the CPU has them).
    private mutating func compressBlocks(_ base: UnsafeRawPointer, count: Int) {
        let hardware = useHardware
        withUnsafeMutableBytes(of: &state) { words in
            let state = words.baseAddress!.assumingMemoryBound(to: UInt32.self)
            let data = base.assumingMemoryBound(to: UInt8.self)
            if hardware { vlk_sha256_blocks(state, data, count) } else { vlk_sha256_blocks_portable(state, data, count) }
        }
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
