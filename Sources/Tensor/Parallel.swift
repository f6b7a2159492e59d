import Dispatch
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

/// Number of worker chunks parallel loops split into: the active processor count.
public let parallelWidth: Int = max(1, ProcessInfo_activeProcessorCount())

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
