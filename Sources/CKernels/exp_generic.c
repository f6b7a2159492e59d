// Portable C row kernels (exp, softmax steps, GELU): any x86-64 or arm64 CPU. Written so compilers can vectorise them with
// the baseline instruction set (SSE2 / NEON).
#include <stdint.h>
#include <string.h>
#include "exp_kernels.h"

float vlk_exp_scalar(float x) {
    if (x != x) return x;
    if (x < VLK_EXP_LO) return 0.0f;
    float c = x > VLK_EXP_HI ? VLK_EXP_HI : x;
    // Adding 1.5·2²³ rounds to the nearest integer (ties to even), like the vector paths' round.
    const float magic = 12582912.0f;
    float n = (c * VLK_LOG2E + magic) - magic;
    float r = c - n * VLK_C1;
    r = r - n * VLK_C2;
    float p = VLK_P0;
    p = p * r + VLK_P1;
    p = p * r + VLK_P2;
    p = p * r + VLK_P3;
    p = p * r + VLK_P4;
    p = p * r + VLK_P5;
    p = p * (r * r) + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

static void exp_generic(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = vlk_exp_scalar(x[i]);
}

static float row_max_generic(const float *x, long n) {
    float m = x[0];
    for (long i = 1; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

static float exp_shifted_sum_generic(float *x, long n, float shift) {
    float s = 0.0f;
    for (long i = 0; i < n; i++) { float e = vlk_exp_scalar(x[i] - shift); x[i] = e; s += e; }
    return s;
}

static void scale_generic(float *x, long n, float factor) {
    for (long i = 0; i < n; i++) x[i] *= factor;
}

// erf(x/√2) and e = exp(−x²/2) (see exp_kernels.h).
static float erf_scalar(float x, float *e) {
    float a = (x < 0 ? -x : x) * VLK_SQRT1_2;
    float t = 1.0f / (1.0f + VLK_ERF_P * a);
    float p = VLK_ERF_A5;
    p = p * t + VLK_ERF_A4;
    p = p * t + VLK_ERF_A3;
    p = p * t + VLK_ERF_A2;
    p = p * t + VLK_ERF_A1;
    *e = vlk_exp_scalar(-0.5f * x * x);
    float y = 1.0f - p * t * *e;
    return x < 0 ? -y : y;
}

static void gelu_generic(float *x, long n) {
    for (long i = 0; i < n; i++) { float e, erf = erf_scalar(x[i], &e); x[i] = 0.5f * x[i] * (1.0f + erf); }
}

static void gelu_backward_generic(const float *x, const float *g, float *out, long n, int accumulate) {
    for (long i = 0; i < n; i++) {
        float e, erf = erf_scalar(x[i], &e);
        float d = g[i] * (0.5f * (1.0f + erf) + x[i] * e * VLK_INV_SQRT_2PI);
        out[i] = accumulate ? out[i] + d : d;
    }
}

const vlk_row_kernels vlk_generic_kernels = {exp_generic, row_max_generic, exp_shifted_sum_generic, scale_generic,
                                             gelu_generic, gelu_backward_generic};
