#include "MandateKernels.h"

// Each result must be the same bits whatever the instructions: no fused multiply-add, no
// reassociation. Only the number of units done at once differs between the variants.
#pragma clang fp contract(off)

#define ACCUMULATE4_BODY                                                                            \
    const double w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];                                        \
    if (first) {                                                                                    \
        for (size_t u = 0; u < count; u++) sums[u] = (w0 * c0[u] + w1 * c1[u]) + (w2 * c2[u] + w3 * c3[u]); \
    } else {                                                                                        \
        for (size_t u = 0; u < count; u++) sums[u] += (w0 * c0[u] + w1 * c1[u]) + (w2 * c2[u] + w3 * c3[u]); \
    }

#define ACCUMULATE1_BODY                                                                            \
    if (first) {                                                                                    \
        for (size_t u = 0; u < count; u++) sums[u] = w * c[u];                                      \
    } else {                                                                                        \
        for (size_t u = 0; u < count; u++) sums[u] += w * c[u];                                     \
    }

#define SCALE_GROUPS_BODY                                                                           \
    if (first) {                                                                                    \
        for (size_t u = 0; u < count; u++) scores[u] = sums[u] * factors[groups[u]];                \
    } else {                                                                                        \
        for (size_t u = 0; u < count; u++) scores[u] += sums[u] * factors[groups[u]];               \
    }

#define SCALE_BODY                                                                                  \
    if (first) {                                                                                    \
        for (size_t u = 0; u < count; u++) scores[u] = sums[u] * factor;                            \
    } else {                                                                                        \
        for (size_t u = 0; u < count; u++) scores[u] += sums[u] * factor;                           \
    }

#define ACCUMULATE4_ARGS                                                                            \
    double *restrict sums, size_t count, bool first, const double *restrict w,                      \
        const double *restrict c0, const double *restrict c1, const double *restrict c2,           \
        const double *restrict c3
#define ACCUMULATE1_ARGS double *restrict sums, size_t count, bool first, double w, const double *restrict c
#define SCALE_GROUPS_ARGS                                                                           \
    double *restrict scores, size_t count, bool first, const double *restrict sums,                 \
        const double *restrict factors, const int *restrict groups
#define SCALE_ARGS double *restrict scores, size_t count, bool first, const double *restrict sums, double factor

static void accumulate4_plain(ACCUMULATE4_ARGS) { ACCUMULATE4_BODY }
static void accumulate1_plain(ACCUMULATE1_ARGS) { ACCUMULATE1_BODY }
static void scale_groups_plain(SCALE_GROUPS_ARGS) { SCALE_GROUPS_BODY }
static void scale_plain(SCALE_ARGS) { SCALE_BODY }

#if defined(__x86_64__)
#define WIDE __attribute__((target("avx2")))
static WIDE void accumulate4_avx2(ACCUMULATE4_ARGS) { ACCUMULATE4_BODY }
static WIDE void accumulate1_avx2(ACCUMULATE1_ARGS) { ACCUMULATE1_BODY }
static WIDE void scale_groups_avx2(SCALE_GROUPS_ARGS) { SCALE_GROUPS_BODY }
static WIDE void scale_avx2(SCALE_ARGS) { SCALE_BODY }
#define WIDEST __attribute__((target("avx512f")))
static WIDEST void accumulate4_avx512(ACCUMULATE4_ARGS) { ACCUMULATE4_BODY }
static WIDEST void accumulate1_avx512(ACCUMULATE1_ARGS) { ACCUMULATE1_BODY }
static WIDEST void scale_groups_avx512(SCALE_GROUPS_ARGS) { SCALE_GROUPS_BODY }
static WIDEST void scale_avx512(SCALE_ARGS) { SCALE_BODY }
#endif

static int detected = -1;
static int ceiling = 2;

int mandate_kernel_level(void) {
    int found = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (found < 0) {
        found = 0;
#if defined(__x86_64__)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) found = 2;
        else if (__builtin_cpu_supports("avx2")) found = 1;
#endif
        __atomic_store_n(&detected, found, __ATOMIC_RELAXED);
    }
    int most = __atomic_load_n(&ceiling, __ATOMIC_RELAXED);
    return found < most ? found : most;
}

void mandate_limit_kernel_level(int most) { __atomic_store_n(&ceiling, most, __ATOMIC_RELAXED); }

void mandate_accumulate4(
    double *sums, size_t count, bool first, const double *w, const double *c0, const double *c1,
    const double *c2, const double *c3) {
#if defined(__x86_64__)
    switch (mandate_kernel_level()) {
    case 2: accumulate4_avx512(sums, count, first, w, c0, c1, c2, c3); return;
    case 1: accumulate4_avx2(sums, count, first, w, c0, c1, c2, c3); return;
    }
#endif
    accumulate4_plain(sums, count, first, w, c0, c1, c2, c3);
}

void mandate_accumulate1(double *sums, size_t count, bool first, double w, const double *c) {
#if defined(__x86_64__)
    switch (mandate_kernel_level()) {
    case 2: accumulate1_avx512(sums, count, first, w, c); return;
    case 1: accumulate1_avx2(sums, count, first, w, c); return;
    }
#endif
    accumulate1_plain(sums, count, first, w, c);
}

void mandate_scale_groups(
    double *scores, size_t count, bool first, const double *sums, const double *factors, const int *groups) {
#if defined(__x86_64__)
    switch (mandate_kernel_level()) {
    case 2: scale_groups_avx512(scores, count, first, sums, factors, groups); return;
    case 1: scale_groups_avx2(scores, count, first, sums, factors, groups); return;
    }
#endif
    scale_groups_plain(scores, count, first, sums, factors, groups);
}

void mandate_scale(double *scores, size_t count, bool first, const double *sums, double factor) {
#if defined(__x86_64__)
    switch (mandate_kernel_level()) {
    case 2: scale_avx512(scores, count, first, sums, factor); return;
    case 1: scale_avx2(scores, count, first, sums, factor); return;
    }
#endif
    scale_plain(scores, count, first, sums, factor);
}
