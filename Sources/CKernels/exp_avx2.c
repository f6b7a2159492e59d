// AVX2 + FMA row kernels (8 lanes): exp, softmax steps, GELU. Compiled for any x86-64 target through function attributes;
// only called after a CPUID check (dispatch.c). Tails of fewer than 8 go through masked loads.
#include "exp_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static inline __m256 exp8(__m256 x) {
    // min(hi, x) / max(lo, ·) return their second operand when it is NaN, so NaN propagates.
    __m256 c = _mm256_max_ps(_mm256_set1_ps(VLK_EXP_LO), _mm256_min_ps(_mm256_set1_ps(VLK_EXP_HI), x));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(c, _mm256_set1_ps(VLK_LOG2E)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(VLK_C1), c);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(VLK_C2), r);
    __m256 p = _mm256_set1_ps(VLK_P0);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(VLK_P1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(VLK_P2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(VLK_P3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(VLK_P4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(VLK_P5));
    p = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
    // 2^n through the exponent field; n ∈ [-126, 127] after the clamp.
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    __m256 y = _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
    __m256 under = _mm256_cmp_ps(x, _mm256_set1_ps(VLK_EXP_LO), _CMP_LT_OQ);
    return _mm256_andnot_ps(under, y);
}

AVX2 static inline __m256i tail_mask(long left) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)left), lanes);
}

AVX2 static void exp_avx2(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, exp8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = tail_mask(n - i);
        _mm256_maskstore_ps(y + i, m, exp8(_mm256_maskload_ps(x + i, m)));
    }
}

AVX2 static float hmax8(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}

AVX2 static float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

AVX2 static float row_max_avx2(const float *x, long n) {
    __m256 m0 = _mm256_set1_ps(-__builtin_inff()), m1 = m0;
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
        m1 = _mm256_max_ps(m1, _mm256_loadu_ps(x + i + 8));
    }
    for (; i + 8 <= n; i += 8) m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
    float m = hmax8(_mm256_max_ps(m0, m1));
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

AVX2 static float exp_shifted_sum_avx2(float *x, long n, float shift) {
    __m256 sh = _mm256_set1_ps(shift), s0 = _mm256_setzero_ps(), s1 = s0;
    long i = 0;
    for (; i + 16 <= n; i += 16) {   // two independent chains hide the polynomial's latency
        __m256 e0 = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), sh));
        __m256 e1 = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), sh));
        _mm256_storeu_ps(x + i, e0);
        _mm256_storeu_ps(x + i + 8, e1);
        s0 = _mm256_add_ps(s0, e0);
        s1 = _mm256_add_ps(s1, e1);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), sh));
        _mm256_storeu_ps(x + i, e);
        s0 = _mm256_add_ps(s0, e);
    }
    if (i < n) {
        __m256i m = tail_mask(n - i);
        __m256 e = _mm256_and_ps(_mm256_castsi256_ps(m), exp8(_mm256_sub_ps(_mm256_maskload_ps(x + i, m), sh)));
        _mm256_maskstore_ps(x + i, m, e);
        s1 = _mm256_add_ps(s1, e);
    }
    return hsum8(_mm256_add_ps(s0, s1));
}

AVX2 static void scale_avx2(float *x, long n, float factor) {
    __m256 f = _mm256_set1_ps(factor);
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), f));
    for (; i < n; i++) x[i] *= factor;
}

// erf(x/√2) and e = exp(−x²/2) for 8 lanes (see exp_kernels.h).
AVX2 static inline __m256 erf8(__m256 x, __m256 *e) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 a = _mm256_mul_ps(_mm256_andnot_ps(sign, x), _mm256_set1_ps(VLK_SQRT1_2));
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(_mm256_set1_ps(VLK_ERF_P), a, _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_set1_ps(VLK_ERF_A5);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(VLK_ERF_A4));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(VLK_ERF_A3));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(VLK_ERF_A2));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(VLK_ERF_A1));
    *e = exp8(_mm256_mul_ps(_mm256_set1_ps(-0.5f), _mm256_mul_ps(x, x)));
    __m256 y = _mm256_fnmadd_ps(_mm256_mul_ps(p, t), *e, _mm256_set1_ps(1.0f));
    return _mm256_xor_ps(y, _mm256_and_ps(x, sign));
}

AVX2 static inline __m256 gelu8(__m256 x) {
    __m256 e, erf = erf8(x, &e);
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x), _mm256_add_ps(_mm256_set1_ps(1.0f), erf));
}

AVX2 static inline __m256 gelu_grad8(__m256 x, __m256 g) {
    __m256 e, erf = erf8(x, &e);
    __m256 cdf = _mm256_mul_ps(_mm256_set1_ps(0.5f), _mm256_add_ps(_mm256_set1_ps(1.0f), erf));
    __m256 pdf = _mm256_mul_ps(e, _mm256_set1_ps(VLK_INV_SQRT_2PI));
    return _mm256_mul_ps(g, _mm256_fmadd_ps(x, pdf, cdf));
}

AVX2 static void gelu_avx2(float *x, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, gelu8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = tail_mask(n - i);
        _mm256_maskstore_ps(x + i, m, gelu8(_mm256_maskload_ps(x + i, m)));
    }
}

AVX2 static void gelu_backward_avx2(const float *x, const float *g, float *out, long n, int accumulate) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 d = gelu_grad8(_mm256_loadu_ps(x + i), _mm256_loadu_ps(g + i));
        if (accumulate) d = _mm256_add_ps(d, _mm256_loadu_ps(out + i));
        _mm256_storeu_ps(out + i, d);
    }
    if (i < n) {
        __m256i m = tail_mask(n - i);
        __m256 d = gelu_grad8(_mm256_maskload_ps(x + i, m), _mm256_maskload_ps(g + i, m));
        if (accumulate) d = _mm256_add_ps(d, _mm256_maskload_ps(out + i, m));
        _mm256_maskstore_ps(out + i, m, d);
    }
}

const vlk_row_kernels vlk_avx2_kernels = {exp_avx2, row_max_avx2, exp_shifted_sum_avx2, scale_avx2,
                                          gelu_avx2, gelu_backward_avx2};
#else
const vlk_row_kernels vlk_avx2_kernels = {0, 0, 0, 0, 0, 0};
#endif
