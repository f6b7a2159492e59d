// bf16 GEMM with fp32 accumulation: C = alpha·A·B + beta·C, where A's rows and B's columns have
// been rounded to bf16 (round to nearest even). On AVX512-BF16 the micro-kernel is `vdpbf16ps`,
// which multiplies pairs of bf16 values along K and adds both products to an fp32 lane; the
// portable micro-kernel computes exactly those sums in C, so the same driver, packing and edge
// handling run (and are tested) on every CPU.
//
// Layouts (see CKernels.h): A is bf16 row-major with an even leading dimension, so a pair
// (A[i][2p], A[i][2p+1]) is one 32-bit word the kernel broadcasts from memory: no packing of A.
// B is packed once into panels of VLK_BF16_NR columns: panel q holds, for each pair p, the words
// (B[2p][j], B[2p+1][j]) of its columns j, zero past n and past k.
#include <stdatomic.h>
#include <string.h>
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define MR 12
#define NR VLK_BF16_NR

uint16_t vlk_bf16_from_float(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40u);   // quiet NaN
    u += 0x7fffu + ((u >> 16) & 1u);   // round to nearest, ties to even
    return (uint16_t)(u >> 16);
}

static inline float bf16_to_float(uint32_t h) {
    uint32_t u = h << 16;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

long vlk_bf16_packed_words(long n, long k) {
    long panels = (n + NR - 1) / NR, pairs = (k + 1) / 2;
    return panels * pairs * NR;
}

void vlk_bf16_pack_b(int transposed, long n, long k, const float *b, long ldb, uint32_t *out) {
    long pairs = (k + 1) / 2;
    for (long q = 0; q * NR < n; q++) {
        uint32_t *panel = out + q * pairs * NR;
        for (long p = 0; p < pairs; p++) {
            for (long jj = 0; jj < NR; jj++) {
                long j = q * NR + jj, k0 = 2 * p, k1 = 2 * p + 1;
                uint32_t lo = 0, hi = 0;
                if (j < n) {
                    lo = vlk_bf16_from_float(transposed ? b[j * ldb + k0] : b[k0 * ldb + j]);
                    if (k1 < k) hi = vlk_bf16_from_float(transposed ? b[j * ldb + k1] : b[k1 * ldb + j]);
                }
                panel[p * NR + jj] = lo | (hi << 16);
            }
        }
    }
}

static void convert_rows_portable(long m, long k, const float *a, long lda, uint16_t *out, long ldo) {
    long padded = (k + 1) / 2 * 2;
    for (long i = 0; i < m; i++) {
        for (long c = 0; c < k; c++) out[i * ldo + c] = vlk_bf16_from_float(a[i * lda + c]);
        for (long c = k; c < padded; c++) out[i * ldo + c] = 0;
    }
}

#if defined(__x86_64__)
#define BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

BF16 static void convert_rows_avx512bf16(long m, long k, const float *a, long lda, uint16_t *out, long ldo) {
    long padded = (k + 1) / 2 * 2;
    for (long i = 0; i < m; i++) {
        const float *src = a + i * lda;
        uint16_t *dst = out + i * ldo;
        long c = 0;
        for (; c + 16 <= k; c += 16) {
            __m256bh h = _mm512_cvtneps_pbh(_mm512_loadu_ps(src + c));
            _mm256_storeu_si256((__m256i *)(dst + c), (__m256i)h);
        }
        for (; c < k; c++) dst[c] = vlk_bf16_from_float(src[c]);
        for (c = k; c < padded; c++) dst[c] = 0;
    }
}

// One MR x NR tile of C over `pairs` pairs of K. Rows past `mr` re-read the last row (valid
// memory, results discarded); columns past `nr` are zero in the panel and masked on store.
BF16 static void tile_avx512bf16(long pairs, const uint16_t *a, long lda, long mr, const uint32_t *panel,
                                 float alpha, float beta, float *c, long ldc, long nr) {
    const uint32_t *row[MR];
    for (int i = 0; i < MR; i++) row[i] = (const uint32_t *)(a + (i < mr ? i : mr - 1) * lda);
    // Spelled out row by row: compilers otherwise keep the 24 accumulators on the stack.
#define ACC(i) __m512 c##i##0 = _mm512_setzero_ps(), c##i##1 = _mm512_setzero_ps();
    ACC(0) ACC(1) ACC(2) ACC(3) ACC(4) ACC(5) ACC(6) ACC(7) ACC(8) ACC(9) ACC(10) ACC(11)
#undef ACC
    const uint32_t *r0 = row[0], *r1 = row[1], *r2 = row[2], *r3 = row[3], *r4 = row[4], *r5 = row[5];
    const uint32_t *r6 = row[6], *r7 = row[7], *r8 = row[8], *r9 = row[9], *r10 = row[10], *r11 = row[11];
    for (long p = 0; p < pairs; p++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(panel + p * NR);
        __m512bh b1 = (__m512bh)_mm512_loadu_si512(panel + p * NR + 16);
#define STEP(i) { __m512bh av = (__m512bh)_mm512_set1_epi32((int)r##i[p]); \
                  c##i##0 = _mm512_dpbf16_ps(c##i##0, av, b0); c##i##1 = _mm512_dpbf16_ps(c##i##1, av, b1); }
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8) STEP(9) STEP(10) STEP(11)
#undef STEP
    }
    __mmask16 m0 = nr >= 16 ? 0xffff : (__mmask16)((1u << nr) - 1);
    __mmask16 m1 = nr >= 32 ? 0xffff : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : 0;
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#define STORE(i) if (i < mr) { float *ci = c + i * ldc; \
        __m512 x0 = _mm512_mul_ps(va, c##i##0), x1 = _mm512_mul_ps(va, c##i##1); \
        if (beta != 0.0f) { x0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, ci), x0); \
                            x1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, ci + 16), x1); } \
        _mm512_mask_storeu_ps(ci, m0, x0); _mm512_mask_storeu_ps(ci + 16, m1, x1); }
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
#undef STORE
}
#endif

// The same sums as `vdpbf16ps`: per pair, the odd product then the even one added in fp32 (both
// products are exact in fp32: 8-bit significands).
static void tile_portable(long pairs, const uint16_t *a, long lda, long mr, const uint32_t *panel,
                          float alpha, float beta, float *c, long ldc, long nr) {
    float acc[MR][NR];
    memset(acc, 0, sizeof acc);
    for (long p = 0; p < pairs; p++) {
        const uint32_t *bp = panel + p * NR;
        for (long i = 0; i < mr; i++) {
            uint32_t av = ((const uint32_t *)(a + i * lda))[p];
            float a0 = bf16_to_float(av & 0xffffu), a1 = bf16_to_float(av >> 16);
            for (int j = 0; j < NR; j++) {
                float s = acc[i][j] + a1 * bf16_to_float(bp[j] >> 16);
                acc[i][j] = s + a0 * bf16_to_float(bp[j] & 0xffffu);
            }
        }
    }
    for (long i = 0; i < mr; i++)
        for (long j = 0; j < nr; j++)
            c[i * ldc + j] = alpha * acc[i][j] + (beta != 0.0f ? beta * c[i * ldc + j] : 0.0f);
}

static atomic_int has_bf16 = -1;   // -1: not asked yet

int vlk_has_bf16(void) {
    int known = atomic_load_explicit(&has_bf16, memory_order_relaxed);
    if (known < 0) {   // racing first calls all store the same answer
        vlk_cpu cpu;
        vlk_cpu_info(&cpu);
        unsigned long long need = VLK_CPU_AVX512F | VLK_CPU_AVX512BW | VLK_CPU_AVX512VL | VLK_CPU_AVX512BF16;
        known = (cpu.features & need) == need;
        atomic_store_explicit(&has_bf16, known, memory_order_relaxed);
    }
    return known;
}

void vlk_bf16_convert_rows(int native, long m, long k, const float *a, long lda, uint16_t *out, long ldo) {
#if defined(__x86_64__)
    if (native && vlk_has_bf16()) { convert_rows_avx512bf16(m, k, a, lda, out, ldo); return; }
#endif
    (void)native;
    convert_rows_portable(m, k, a, lda, out, ldo);
}

void vlk_bf16_gemm(int native, long m, long n, long k, float alpha, const uint16_t *a, long lda,
                   const uint32_t *packed_b, long panel_stride, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    long pairs = (k + 1) / 2;
    if (panel_stride <= 0) panel_stride = pairs * NR;
    void (*tile)(long, const uint16_t *, long, long, const uint32_t *, float, float, float *, long, long) = tile_portable;
#if defined(__x86_64__)
    if (native && vlk_has_bf16()) tile = tile_avx512bf16;
#endif
    (void)native;
    // Row blocks outside, panels inside: one block of A (MR rows) stays in L1 while every panel
    // of B streams past it from L2.
    for (long i0 = 0; i0 < m; i0 += MR) {
        long mr = m - i0 < MR ? m - i0 : MR;
        for (long q = 0; q * NR < n; q++) {
            long nr = n - q * NR < NR ? n - q * NR : NR;
            tile(pairs, a + i0 * lda, lda, mr, packed_b + q * panel_stride, alpha, beta, c + i0 * ldc + q * NR, ldc, nr);
        }
    }
}
