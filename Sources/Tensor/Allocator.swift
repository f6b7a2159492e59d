import CKernels

/// Tells glibc's allocator to keep freed memory for reuse instead of handing it back to the
/// kernel: no `mmap` for large blocks, no trimming of the heap, and the heap grown 256 MiB at a time.
///
/// Why: a training step allocates and frees the same few hundred activation and gradient buffers,
/// many above glibc's 128 KiB `mmap` threshold, and a DINO step of the tiny ViT frees more than
/// 1 GiB at once. Each buffer came back from the kernel as fresh pages, so every step paid page
/// faults and page zeroing: a quarter of the cycles in `perf` at one thread. Keeping the memory
/// took `vlpart pretrain --arch tiny` (DINO) from 8.3 to 11.2 images/s at 1 thread and from 11.2 to
/// 14.0 at 2, and the MAE recipe from about 300 to about 450. The cost: a process's resident
/// memory stays at its peak until it exits (pages never touched stay unbacked, so the padding
/// costs address space only). Call once, before heavy work.
///
/// - Returns: whether every setting took (false where glibc is not the allocator).
@discardableResult
public func keepFreedMemoryForReuse() -> Bool {
    vlk_keep_freed_memory(-1, 256 << 20) == 1   // a trim threshold of -1 turns trimming off
}
