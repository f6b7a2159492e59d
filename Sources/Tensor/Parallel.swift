import CKernels
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A pointer that concurrent iterations may share because each iteration writes a disjoint range.
///
/// Swift 6 forbids capturing an `UnsafeMutablePointer` in a `@Sendable` closure; wrapping it names
/// the invariant that makes the sharing safe. Only create one inside a `withUnsafe…` scope and never
/// let it escape that scope.
public struct DisjointWrites: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>
    @inlinable public init(base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// A read-only pointer shared by concurrent iterations (nothing writes through it meanwhile).
public struct SharedReads: @unchecked Sendable {
    public let base: UnsafePointer<Float>
    @inlinable public init(base: UnsafePointer<Float>) { self.base = base }
}

/// Number of worker chunks parallel loops split into: the active processor count unless
/// `setParallelWidth(_:)` changed it (e.g. `--threads`); 1 on a `dataParallel` shard's thread.
/// Set it before starting work, not during.
public var parallelWidth: Int { vlk_thread_serial() != 0 ? 1 : _parallelWidth }
nonisolated(unsafe) private var _parallelWidth: Int = max(1, ProcessInfo_activeProcessorCount())

/// Sets how many chunks parallel loops use (and OpenBLAS's thread count) to `n ≥ 1`.
public func setParallelWidth(_ n: Int) {
    _parallelWidth = max(1, n)
    setBLASThreads(n)
}

@usableFromInline func ProcessInfo_activeProcessorCount() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return Int(sysconf(_SC_NPROCESSORS_ONLN))
    #endif
}

/// Runs `body(range)` over `0..<count` split into at most `parallelWidth` contiguous chunks,
/// concurrently. Each call must write only the elements of its own range.
///
/// - Parameters:
///   - count: number of items.
///   - minimumChunk: below this many items per chunk the loop runs serially on the caller.
public func concurrentChunks(_ count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(parallelWidth, count / max(1, minimumChunk)))
    if chunks == 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        body((chunk * count / chunks)..<((chunk + 1) * count / chunks))
    }
}

/// Runs up to `parallelWidth` workers that claim `0..<count` in ranges of `grain` items from a
/// shared counter until none is left (dynamic scheduling: a core slowed by other processes takes
/// fewer ranges instead of holding the others back). Each worker calls `claim()` in a loop and may
/// allocate its scratch once before the loop. Every range is handed out exactly once.
///
/// ```swift
/// concurrentClaims(items, grain: 1) { claim in
///     let scratch = UnsafeMutablePointer<Float>.allocate(capacity: tile); defer { scratch.deallocate() }
///     while let range = claim() { for item in range { … } }
/// }
/// ```
public func concurrentClaims(_ count: Int, grain: Int = 1, _ worker: @Sendable (_ claim: () -> Range<Int>?) -> Void) {
    guard count > 0 else { return }
    let grain = max(1, grain)
    let workers = max(1, min(parallelWidth, (count + grain - 1) / grain))
    let counter = ClaimCounter()
    defer { counter.pointer.deallocate() }
    let claim: @Sendable () -> Range<Int>? = {
        let start = vlk_fetch_add(counter.pointer, grain)
        return start < count ? start..<Swift.min(count, start + grain) : nil
    }
    if workers == 1 { worker(claim); return }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in worker(claim) }
}

/// The shared counter of `concurrentClaims`; only touched through `vlk_fetch_add` (atomic).
private struct ClaimCounter: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()
}

/// Runs `body(shard)` for every shard in `0..<shards` concurrently, one worker each. With two
/// or more shards, `parallelWidth` is 1 on a shard's thread (parallel loops run inline), and
/// OpenBLAS runs one thread until the last concurrent `dataParallel` call ends.
///
/// Data parallelism for training: each shard runs a whole forward and backward pass over its
/// part of the batch with no synchronisation until the end, where splitting each op across cores
/// (and OpenBLAS's idle workers spinning between calls) gained only 1.25× from a second core.
/// Nothing global that other threads read changes, so concurrent callers (tests) see the same widths.
public func dataParallel(_ shards: Int, _ body: @Sendable (_ shard: Int) -> Void) {
    guard shards > 1 else { if shards == 1 { body(0) }; return }   // one shard keeps the parallel loops
    BLASSerialScope.enter()
    defer { BLASSerialScope.leave() }
    DispatchQueue.concurrentPerform(iterations: shards) { shard in
        let previous = vlk_set_thread_serial(1)
        body(shard)
        _ = vlk_set_thread_serial(previous)
    }
}

/// Counts the `dataParallel` calls in flight: the first sets OpenBLAS to one thread, the last
/// restores the count it found (OpenBLAS's thread count is process-global).
private enum BLASSerialScope {
    nonisolated(unsafe) static var active = 0, savedThreads = 1
    static let lock = NSLock()
    static func enter() {
        lock.lock(); defer { lock.unlock() }
        if active == 0 { savedThreads = setBLASThreads(1) }
        active += 1
    }
    static func leave() {
        lock.lock(); defer { lock.unlock() }
        active -= 1
        if active == 0 { setBLASThreads(savedThreads) }
    }
}

/// Results that concurrent workers (per item or per shard) fill, each its own slot, under a lock;
/// read ``items`` once they are done.
public final class ConcurrentResults<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Item?]

    /// `count` empty slots.
    public init(count: Int) { storage = .init(repeating: nil, count: count) }

    /// Fills slot `i`.
    public func set(_ i: Int, _ value: Item) { lock.lock(); storage[i] = value; lock.unlock() }

    /// Every slot, in order; each must have been set.
    public var items: [Item] { lock.lock(); defer { lock.unlock() }; return storage.map { $0! } }
}
