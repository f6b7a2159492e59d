// AVX-512F row kernels (16 lanes, FMA, masked tails, vscalefps for 2^n): exp, softmax steps, GELU. Compiled for any x86-64
// target through function attributes; only called after a CPUID check (dispatch.c).
#include "exp_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX512 __attribute__((target("avx512f")))

AVX512 static inline __m512 exp16(__m512 x) {
    // min(hi, x) / max(lo, ·) return their second operand when it is NaN, so NaN propagates.
    __m512 c = _mm512_max_ps(_mm512_set1_ps(VLK_EXP_LO), _mm512_min_ps(_mm512_set1_ps(VLK_EXP_HI), x));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(c, _mm512_set1_ps(VLK_LOG2E)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(VLK_C1), c);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(VLK_C2), r);
    __m512 p = _mm512_set1_ps(VLK_P0);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(VLK_P1));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(VLK_P2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(VLK_P3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(VLK_P4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(VLK_P5));
    p = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    __m512 y = _mm512_scalef_ps(p, n);
    __mmask16 under = _mm512_cmp_ps_mask(x, _mm512_set1_ps(VLK_EXP_LO), _CMP_LT_OQ);
    return _mm512_mask_mov_ps(y, under, _mm512_setzero_ps());
}

AVX512 static void exp_avx512(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, exp16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, m, exp16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

AVX512 static float row_max_avx512(const float *x, long n) {
    __m512 m0 = _mm512_set1_ps(-__builtin_inff()), m1 = m0;
    long i = 0;
    for (; i + 32 <= n; i += 32) {
        m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + i));
        m1 = _mm512_max_ps(m1, _mm512_loadu_ps(x + i + 16));
    }
    for (; i + 16 <= n; i += 16) m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + i));
    if (i < n) {
        __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        m1 = _mm512_mask_max_ps(m1, k, m1, _mm512_maskz_loadu_ps(k, x + i));
    }
    return _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
}

AVX512 static float exp_shifted_sum_avx512(float *x, long n, float shift) {
    __m512 sh = _mm512_set1_ps(shift), s0 = _mm512_setzero_ps(), s1 = s0;
    long i = 0;
    for (; i + 32 <= n; i += 32) {   // two independent chains hide the polynomial's latency
        __m512 e0 = exp16(_mm512_sub_ps(_mm512_loadu_ps(x + i), sh));
        __m512 e1 = exp16(_mm512_sub_ps(_mm512_loadu_ps(x + i + 16), sh));
        _mm512_storeu_ps(x + i, e0);
        _mm512_storeu_ps(x + i + 16, e1);
        s0 = _mm512_add_ps(s0, e0);
        s1 = _mm512_add_ps(s1, e1);
    }
    for (; i + 16 <= n; i += 16) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_loadu_ps(x + i), sh));
        _mm512_storeu_ps(x + i, e);
        s0 = _mm512_add_ps(s0, e);
    }
    if (i < n) {
        __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        __m512 e = _mm512_maskz_mov_ps(k, exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i), sh)));
        _mm512_mask_storeu_ps(x + i, k, e);
        s1 = _mm512_add_ps(s1, e);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

AVX512 static void scale_avx512(float *x, long n, float factor) {
    __m512 f = _mm512_set1_ps(factor);
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), f));
    for (; i < n; i++) x[i] *= factor;
}

// erf(x/√2) and e = exp(−x²/2) for 16 lanes (see exp_kernels.h).
AVX512 static inline __m512 erf16(__m512 x, __m512 *e) {
    const __m512i sign = _mm512_set1_epi32((int)0x80000000u);
    __m512 a = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(VLK_SQRT1_2));
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(VLK_ERF_P), a, _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(VLK_ERF_A5);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(VLK_ERF_A4));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(VLK_ERF_A3));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(VLK_ERF_A2));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(VLK_ERF_A1));
    *e = exp16(_mm512_mul_ps(_mm512_set1_ps(-0.5f), _mm512_mul_ps(x, x)));
    __m512 y = _mm512_fnmadd_ps(_mm512_mul_ps(p, t), *e, _mm512_set1_ps(1.0f));
    return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(y),
                                                _mm512_and_si512(_mm512_castps_si512(x), sign)));
}

AVX512 static inline __m512 gelu16(__m512 x) {
    __m512 e, erf = erf16(x, &e);
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), _mm512_add_ps(_mm512_set1_ps(1.0f), erf));
}

AVX512 static inline __m512 gelu_grad16(__m512 x, __m512 g) {
    __m512 e, erf = erf16(x, &e);
    __m512 cdf = _mm512_mul_ps(_mm512_set1_ps(0.5f), _mm512_add_ps(_mm512_set1_ps(1.0f), erf));
    __m512 pdf = _mm512_mul_ps(e, _mm512_set1_ps(VLK_INV_SQRT_2PI));
    return _mm512_mul_ps(g, _mm512_fmadd_ps(x, pdf, cdf));
}

AVX512 static void gelu_avx512(float *x, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, gelu16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, m, gelu16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

AVX512 static void gelu_backward_avx512(const float *x, const float *g, float *out, long n, int accumulate) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 d = gelu_grad16(_mm512_loadu_ps(x + i), _mm512_loadu_ps(g + i));
        if (accumulate) d = _mm512_add_ps(d, _mm512_loadu_ps(out + i));
        _mm512_storeu_ps(out + i, d);
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        __m512 d = gelu_grad16(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, g + i));
        if (accumulate) d = _mm512_add_ps(d, _mm512_maskz_loadu_ps(m, out + i));
        _mm512_mask_storeu_ps(out + i, m, d);
    }
}

const vlk_row_kernels vlk_avx512_kernels = {exp_avx512, row_max_avx512, exp_shifted_sum_avx512, scale_avx512,
                                            gelu_avx512, gelu_backward_avx512};
#else
const vlk_row_kernels vlk_avx512_kernels = {0, 0, 0, 0, 0, 0};
#endif
