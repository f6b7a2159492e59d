// CKernels: vectorised elementwise kernels for Tensor (softmax / streaming attention), with a
// run-time choice between AVX-512F, AVX2+FMA and portable C. No allocation, no global state
// beyond the chosen instruction set. See Sources/Tensor/README.md ("Design notes").
#ifndef VLPART_CKERNELS_H
#define VLPART_CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels, lowest first.
#define VLK_ISA_GENERIC 0
#define VLK_ISA_AVX2 1
#define VLK_ISA_AVX512 2

/// The level the kernels use: the best this CPU supports (AVX-512F; AVX2 with FMA; else generic),
/// decided by CPUID on first use.
int vlk_isa(void);

/// Keeps freed memory in the process for reuse (glibc: no mmap for large blocks, trim threshold
/// `trim_bytes` (-1: never trim), heap grown `top_pad_bytes` at a time). Returns 1 when every setting took, 0 when
/// one was refused or the allocator is not glibc's.
int vlk_keep_freed_memory(int trim_bytes, int top_pad_bytes);

/// `y[i] = exp(x[i])` for `n` floats (`x == y` allowed). Inputs below -87.3365 give 0 (where expf
/// is subnormal), inputs above 88 give exp(88); NaN stays NaN. Max error ~1 ulp (see tests).
void vlk_exp(const float *x, float *y, long n);

/// Largest of `n >= 1` floats.
float vlk_row_max(const float *x, long n);

/// `x[i] = exp(x[i] - shift)` in place for `n` floats; returns the sum of the results.
float vlk_exp_shifted_sum(float *x, long n, float shift);

/// One streaming-softmax step of tiled attention over a `rows x cols` score tile (row stride
/// `lds`). For each row r: m = max(row_max[r], max(tile row)); the row becomes exp(s - m);
/// row_sum[r] = row_sum[r]·exp(row_max[r] - m) + Σ exp(s - m); the output accumulator row
/// `acc + r·ldacc` (`acc_cols` floats) is multiplied by exp(row_max[r] - m) when that is not 1;
/// row_max[r] = m. A row whose running max stays -inf (fully masked) becomes zeros.
void vlk_online_softmax_step(float *scores, long rows, long cols, long lds, float *row_max,
                             float *row_sum, float *acc, long ldacc, long acc_cols);

/// `vlk_exp` and `vlk_online_softmax_step` on an explicit level (clamped to `vlk_isa()`), so
/// tests cover every path the machine can run without changing global state.
void vlk_exp_using(int isa, const float *x, float *y, long n);
void vlk_online_softmax_step_using(int isa, float *scores, long rows, long cols, long lds, float *row_max,
                                   float *row_sum, float *acc, long ldacc, long acc_cols);

/// Exact GELU, `0.5·x·(1 + erf(x/√2))`, in place over `n` floats on instruction set `isa`
/// (clamped to `vlk_isa()`); erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
void vlk_gelu_using(int isa, float *x, long n);
/// GELU's derivative times `g`: `out = g·(Φ(x) + x·φ(x))`, or `out += …` when `accumulate`;
/// `out` may be `g`. One exponential per element serves both erf and the density.
void vlk_gelu_backward_using(int isa, const float *x, const float *g, float *out, long n, int accumulate);

/// CPU features `vlk_cpu_info` reports (bits of `vlk_cpu.features`). AVX and wider are set only
/// when the operating system saves those registers (XCR0), as a program may then use them.
#define VLK_CPU_SSE2 (1ull << 0)
#define VLK_CPU_SSE3 (1ull << 1)
#define VLK_CPU_AVX (1ull << 2)
#define VLK_CPU_FMA (1ull << 3)
#define VLK_CPU_AVX2 (1ull << 4)
#define VLK_CPU_AVX512F (1ull << 5)
#define VLK_CPU_AVX512DQ (1ull << 6)
#define VLK_CPU_AVX512CD (1ull << 7)
#define VLK_CPU_AVX512BW (1ull << 8)
#define VLK_CPU_AVX512VL (1ull << 9)
#define VLK_CPU_AVX512VNNI (1ull << 10)
#define VLK_CPU_AVX512BF16 (1ull << 11)
#define VLK_CPU_AVX512FP16 (1ull << 12)
#define VLK_CPU_AMX_BF16 (1ull << 13)

/// The CPU as CPUID describes it: vendor string ("GenuineIntel", "AuthenticAMD"), display family
/// and model, brand string, and `VLK_CPU_*` feature bits. All zero off x86-64.
typedef struct {
    char vendor[13];
    char brand[49];
    int family;
    int model;
    unsigned long long features;
} vlk_cpu;

/// Fills `out` from CPUID and XGETBV.
void vlk_cpu_info(vlk_cpu *out);

/// Columns per packed panel of a bf16 GEMM's B operand.
#define VLK_BF16_NR 32

/// 1 when this CPU runs the AVX512-BF16 micro-kernels (AVX-512 F/BW/VL and BF16).
int vlk_has_bf16(void);

/// `f` rounded to bf16 (nearest, ties to even; NaN stays a quiet NaN).
uint16_t vlk_bf16_from_float(float f);

/// 32-bit words `vlk_bf16_pack_b` writes for a `k x n` B: panels of VLK_BF16_NR columns by ⌈k/2⌉ pairs.
long vlk_bf16_packed_words(long n, long k);

/// Packs B (`k x n`, element (kk, j) at `b[kk·ldb + j]`; or, when `transposed`, B is stored
/// `n x k` as a Linear weight or attention keys are, at `b[j·ldb + kk]`) into bf16 pair panels.
void vlk_bf16_pack_b(int transposed, long n, long k, const float *b, long ldb, uint32_t *out);

/// Rounds `m x k` fp32 rows (stride `lda`) to bf16 rows at `out` (stride `ldo`, even, ≥ k + k%2),
/// zero-padding odd `k`. `native`: use AVX512-BF16 instructions where the CPU has them.
void vlk_bf16_convert_rows(int native, long m, long k, const float *a, long lda, uint16_t *out, long ldo);

/// `C = alpha·A·B + beta·C` (`beta` 0 ignores C's old values) with A bf16 rows from
/// `vlk_bf16_convert_rows`, B from `vlk_bf16_pack_b`, fp32 accumulation, single-threaded.
/// `panel_stride` is the words between B's panels: 0 for a B packed with this `k`; a larger
/// value runs over pairs `p0 ..< p0 + ⌈k/2⌉` of a B packed deeper (pass `packed_b + p0·VLK_BF16_NR`),
/// e.g. one key tile of attention's values.
/// `native`: AVX512-BF16 `vdpbf16ps` where the CPU has it; otherwise (or 0) the portable kernel
/// computing the same pairwise sums.
void vlk_bf16_gemm(int native, long m, long n, long k, float alpha, const uint16_t *a, long lda,
                   const uint32_t *packed_b, long panel_stride, float beta, float *c, long ldc);

/// Atomically adds `value` to `*counter` and returns the previous value (sequentially
/// consistent). Parallel loops claim work items from a shared counter with it.
long vlk_fetch_add(long *counter, long value);

/// Whether parallel loops started on this thread run serially (1) or split across cores (0):
/// a thread-local flag, so a data-parallel shard never changes what other threads see.
int vlk_thread_serial(void);
/// Sets this thread's flag (see `vlk_thread_serial`) and returns its previous value.
int vlk_set_thread_serial(int serial);

/// 1 when this CPU has the SHA extensions (SHA-NI) that `vlk_sha256_blocks` uses.
int vlk_has_sha_ni(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks at `data`, updating the
/// eight state words in place (FIPS 180-4 order, A first): with SHA-NI where the CPU has it.
void vlk_sha256_blocks(uint32_t state[8], const uint8_t *data, long blocks);

/// `vlk_sha256_blocks` with the portable rounds only (tests compare the two).
void vlk_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, long blocks);

#ifdef __cplusplus
}
#endif
#endif
