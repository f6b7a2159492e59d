// glibc allocator tuning behind Tensor's keepFreedMemoryForReuse() (malloc.h is not in Swift's Glibc module).
#include "CKernels.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int vlk_keep_freed_memory(int trim_bytes, int top_pad_bytes) {
#if defined(__GLIBC__)
    int ok = mallopt(M_MMAP_MAX, 0);
    ok &= mallopt(M_TRIM_THRESHOLD, trim_bytes);
    ok &= mallopt(M_TOP_PAD, top_pad_bytes);
    return ok ? 1 : 0;
#else
    (void)trim_bytes; (void)top_pad_bytes;
    return 0;
#endif
}
