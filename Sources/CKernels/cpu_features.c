// What the CPU offers, read straight from CPUID and XGETBV (not from a compiler's feature list,
// which may not know AVX512-BF16 or AVX512-FP16): Tensor's BLAS-core check compares this with
// the kernels OpenBLAS picked.
#include <string.h>
#include "CKernels.h"
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#if defined(__x86_64__)
static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}
#endif

void vlk_cpu_info(vlk_cpu *out) {
    memset(out, 0, sizeof *out);
#if defined(__x86_64__)
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    unsigned int max_leaf = a;
    memcpy(out->vendor, &b, 4);
    memcpy(out->vendor + 4, &d, 4);
    memcpy(out->vendor + 8, &c, 4);

    __get_cpuid(1, &a, &b, &c, &d);
    unsigned int base_family = (a >> 8) & 0xf, base_model = (a >> 4) & 0xf;
    out->family = (int)(base_family == 0xf ? base_family + ((a >> 20) & 0xff) : base_family);
    out->model = (int)((base_family == 0x6 || base_family == 0xf) ? (((a >> 16) & 0xf) << 4) | base_model : base_model);
    unsigned long long features = 0;
    if (d & (1u << 26)) features |= VLK_CPU_SSE2;
    if (c & (1u << 0)) features |= VLK_CPU_SSE3;
    if (c & (1u << 12)) features |= VLK_CPU_FMA;
    // The OS must save the wide registers (XCR0) before AVX or AVX-512 may be used.
    int os_avx = 0, os_avx512 = 0;
    if ((c & (1u << 27)) && (c & (1u << 28))) {
        unsigned long long xcr0 = read_xcr0();
        os_avx = (xcr0 & 0x6) == 0x6;
        os_avx512 = os_avx && (xcr0 & 0xe0) == 0xe0;
    }
    if (os_avx) features |= VLK_CPU_AVX;
    else features &= ~(unsigned long long)VLK_CPU_FMA;

    if (max_leaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        unsigned int max_sub = a;
        if (os_avx && (b & (1u << 5))) features |= VLK_CPU_AVX2;
        if (os_avx512) {
            if (b & (1u << 16)) features |= VLK_CPU_AVX512F;
            if (b & (1u << 17)) features |= VLK_CPU_AVX512DQ;
            if (b & (1u << 28)) features |= VLK_CPU_AVX512CD;
            if (b & (1u << 30)) features |= VLK_CPU_AVX512BW;
            if (b & (1u << 31)) features |= VLK_CPU_AVX512VL;
            if (c & (1u << 11)) features |= VLK_CPU_AVX512VNNI;
            if (d & (1u << 23)) features |= VLK_CPU_AVX512FP16;
        }
        if (d & (1u << 22)) features |= VLK_CPU_AMX_BF16;
        if (max_sub >= 1) {
            __cpuid_count(7, 1, a, b, c, d);
            if (os_avx512 && (a & (1u << 5))) features |= VLK_CPU_AVX512BF16;
        }
    }
    out->features = features;

    __get_cpuid(0x80000000, &a, &b, &c, &d);
    if (a >= 0x80000004) {
        unsigned int words[12];
        for (unsigned int leaf = 0; leaf < 3; leaf++)
            __get_cpuid(0x80000002 + leaf, &words[4 * leaf], &words[4 * leaf + 1], &words[4 * leaf + 2], &words[4 * leaf + 3]);
        memcpy(out->brand, words, 48);
        out->brand[48] = 0;
    }
#endif
}
