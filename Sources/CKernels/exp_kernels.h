// Private to CKernels: one table of row kernels per instruction set, and the polynomial shared by
// all of them so every path computes the same function.
#ifndef VLPART_CKERNELS_EXP_KERNELS_H
#define VLPART_CKERNELS_EXP_KERNELS_H

// exp(x) = 2^n · exp(r), n = round(x·log2 e), r = x − n·ln2 with ln2 split Cephes-style into
// C1 (9 significant bits, so n·C1 is exact for |n| ≤ 128) + C2; exp(r) on |r| ≤ ln2/2 by Cephes'
// degree-6 minimax polynomial 1 + r + r²·P(r).
#define VLK_EXP_LO (-87.3365478515625f)   // ≈ ln(FLT_MIN): below it expf is subnormal; we give 0
#define VLK_EXP_HI 88.0f                  // clamp so 2^n stays finite (softmax inputs are ≤ 0)
#define VLK_LOG2E 1.44269504088896341f
#define VLK_C1 0.693359375f
#define VLK_C2 (-2.12194440e-4f)
#define VLK_P0 1.9875691500e-4f
#define VLK_P1 1.3981999507e-3f
#define VLK_P2 8.3334519073e-3f
#define VLK_P3 4.1665795894e-2f
#define VLK_P4 1.6666665459e-1f
#define VLK_P5 5.0000001201e-1f

// Exact GELU through erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7):
// erf(a) ≈ 1 − t·(A1 + t·(A2 + t·(A3 + t·(A4 + t·A5))))·exp(−a²), t = 1/(1 + P·a), a ≥ 0.
// With a = |x|/√2, exp(−a²) = exp(−x²/2) is also the normal density's exponential, so the
// derivative reuses it.
#define VLK_ERF_P 0.3275911f
#define VLK_ERF_A1 0.254829592f
#define VLK_ERF_A2 (-0.284496736f)
#define VLK_ERF_A3 1.421413741f
#define VLK_ERF_A4 (-1.453152027f)
#define VLK_ERF_A5 1.061405429f
#define VLK_SQRT1_2 0.70710678118654752f
#define VLK_INV_SQRT_2PI 0.39894228040143268f

typedef struct {
    void (*exp)(const float *x, float *y, long n);
    float (*row_max)(const float *x, long n);
    float (*exp_shifted_sum)(float *x, long n, float shift);
    void (*scale)(float *x, long n, float factor);
    void (*gelu)(float *x, long n);
    void (*gelu_backward)(const float *x, const float *g, float *out, long n, int accumulate);
} vlk_row_kernels;

extern const vlk_row_kernels vlk_generic_kernels;
extern const vlk_row_kernels vlk_avx2_kernels;
extern const vlk_row_kernels vlk_avx512_kernels;

/// Scalar exp through the same polynomial (no FMA), for tails, corrections and the generic path.
float vlk_exp_scalar(float x);

#endif
