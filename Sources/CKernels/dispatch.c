// Run-time choice of the row kernels (CPUID once, cached) and the entry points of CKernels.h.
#include <stdatomic.h>
#include "CKernels.h"
#include "exp_kernels.h"

static atomic_int chosen = -1;   // -1: not decided yet

// One detector for every run-time choice (vlk_cpu_info: CPUID plus the OS's XGETBV support).
static int best_isa(void) {
    vlk_cpu cpu;
    vlk_cpu_info(&cpu);
    if (cpu.features & VLK_CPU_AVX512F) return VLK_ISA_AVX512;   // the kernels use AVX-512F only
    if ((cpu.features & (VLK_CPU_AVX2 | VLK_CPU_FMA)) == (VLK_CPU_AVX2 | VLK_CPU_FMA)) return VLK_ISA_AVX2;
    return VLK_ISA_GENERIC;
}

int vlk_isa(void) {
    int level = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (level < 0) {   // racing first calls all store the same value
        level = best_isa();
        atomic_store_explicit(&chosen, level, memory_order_relaxed);
    }
    return level;
}

static const vlk_row_kernels *kernels_for(int isa) {
    int best = vlk_isa();
    switch (isa < best ? isa : best) {
    case VLK_ISA_AVX512: return &vlk_avx512_kernels;
    case VLK_ISA_AVX2: return &vlk_avx2_kernels;
    default: return &vlk_generic_kernels;
    }
}

void vlk_exp_using(int isa, const float *x, float *y, long n) {
    if (n > 0) kernels_for(isa)->exp(x, y, n);
}

void vlk_exp(const float *x, float *y, long n) { vlk_exp_using(VLK_ISA_AVX512, x, y, n); }

void vlk_gelu_using(int isa, float *x, long n) {
    if (n > 0) kernels_for(isa)->gelu(x, n);
}

void vlk_gelu_backward_using(int isa, const float *x, const float *g, float *out, long n, int accumulate) {
    if (n > 0) kernels_for(isa)->gelu_backward(x, g, out, n, accumulate);
}

float vlk_row_max(const float *x, long n) { return kernels_for(VLK_ISA_AVX512)->row_max(x, n); }

float vlk_exp_shifted_sum(float *x, long n, float shift) {
    return n > 0 ? kernels_for(VLK_ISA_AVX512)->exp_shifted_sum(x, n, shift) : 0.0f;
}

void vlk_online_softmax_step_using(int isa, float *scores, long rows, long cols, long lds, float *row_max,
                                   float *row_sum, float *acc, long ldacc, long acc_cols) {
    const vlk_row_kernels *k = kernels_for(isa);
    for (long r = 0; r < rows; r++) {
        float *row = scores + r * lds;
        float old = row_max[r];
        float tile = k->row_max(row, cols);
        float m = tile > old ? tile : old;
        if (m == -__builtin_inff()) {   // every key so far masked out
            for (long c = 0; c < cols; c++) row[c] = 0.0f;
            continue;
        }
        float correction = old == -__builtin_inff() ? 0.0f : vlk_exp_scalar(old - m);
        float sum = k->exp_shifted_sum(row, cols, m);
        if (correction != 1.0f) k->scale(acc + r * ldacc, acc_cols, correction);
        row_sum[r] = row_sum[r] * correction + sum;
        row_max[r] = m;
    }
}

void vlk_online_softmax_step(float *scores, long rows, long cols, long lds, float *row_max,
                             float *row_sum, float *acc, long ldacc, long acc_cols) {
    vlk_online_softmax_step_using(VLK_ISA_AVX512, scores, rows, cols, lds, row_max, row_sum, acc, ldacc, acc_cols);
}

long vlk_fetch_add(long *counter, long value) {
    return __atomic_fetch_add(counter, value, __ATOMIC_SEQ_CST);
}

static _Thread_local int thread_serial = 0;

int vlk_thread_serial(void) { return thread_serial; }

int vlk_set_thread_serial(int serial) {
    int previous = thread_serial;
    thread_serial = serial;
    return previous;
}
