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

#define ACCUMULATE4_ARGS                                                                            \
    double *restrict sums, size_t count, bool first, const double *restrict w,                      \
        const double *restrict c0, const double *restrict c1, const double *restrict c2,           \
        const double *restrict c3
#define ACCUMULATE1_ARGS double *restrict sums, size_t count, bool first, double w, const double *restrict c

static void accumulate4_plain(ACCUMULATE4_ARGS) { ACCUMULATE4_BODY }
static void accumulate1_plain(ACCUMULATE1_ARGS) { ACCUMULATE1_BODY }

/// One pillar's term added to the scores: the pillar's weighted sum finished with its last
/// `extra` columns (after `sums`, the passes of four, when `started`), times the unit's factor.
/// Constant flags, so that each combination compiles to its own loop.
static inline __attribute__((always_inline)) void add_pillar_body(
    double *restrict scores, size_t count, const double *restrict sums, const double *restrict w,
    const double *const *restrict c, size_t offset, const double *restrict factors, const int *restrict groups,
    const int extra, const bool started, const bool grouped, const bool first) {
    const double w0 = extra > 0 ? w[0] : 0, w1 = extra > 1 ? w[1] : 0, w2 = extra > 2 ? w[2] : 0;
    const double *restrict c0 = extra > 0 ? c[0] + offset : 0;
    const double *restrict c1 = extra > 1 ? c[1] + offset : 0;
    const double *restrict c2 = extra > 2 ? c[2] + offset : 0;
    const double f = factors[0];
    for (size_t u = 0; u < count; u++) {
        // The sums as `mandate_accumulate1` would leave them, column by column.
        double t = 0;
        if (started) {
            t = sums[u];
            if (extra > 0) t = t + w0 * c0[u];
        } else if (extra > 0) {
            t = w0 * c0[u];
        }
        if (extra > 1) t = t + w1 * c1[u];
        if (extra > 2) t = t + w2 * c2[u];
        const double term = t * (grouped ? factors[groups[u]] : f);
        scores[u] = first ? term : scores[u] + term;
    }
}

#define ADD_PILLAR_ARGS                                                                             \
    double *restrict scores, size_t count, bool first, const double *restrict sums, int extra,      \
        const double *restrict w, const double *const *restrict c, size_t offset,                   \
        const double *restrict factors, const int *restrict groups
#define ADD_PILLAR_CASE(E, S, G, F)                                                                 \
    case (E << 3) | (S << 2) | (G << 1) | F:                                                        \
        add_pillar_body(scores, count, sums, w, c, offset, factors, groups, E, S, G, F);            \
        return;
#define ADD_PILLAR_CASES(E)                                                                         \
    ADD_PILLAR_CASE(E, 0, 0, 0) ADD_PILLAR_CASE(E, 0, 0, 1) ADD_PILLAR_CASE(E, 0, 1, 0)             \
    ADD_PILLAR_CASE(E, 0, 1, 1) ADD_PILLAR_CASE(E, 1, 0, 0) ADD_PILLAR_CASE(E, 1, 0, 1)             \
    ADD_PILLAR_CASE(E, 1, 1, 0) ADD_PILLAR_CASE(E, 1, 1, 1)
#define ADD_PILLAR_BODY                                                                             \
    switch ((extra << 3) | ((sums != 0) << 2) | ((groups != 0) << 1) | (first ? 1 : 0)) {           \
        ADD_PILLAR_CASES(0) ADD_PILLAR_CASES(1) ADD_PILLAR_CASES(2) ADD_PILLAR_CASES(3)             \
    }

static void add_pillar_plain(ADD_PILLAR_ARGS) { ADD_PILLAR_BODY }

#if defined(__x86_64__)
#define WIDE __attribute__((target("avx2")))
static WIDE void accumulate4_avx2(ACCUMULATE4_ARGS) { ACCUMULATE4_BODY }
static WIDE void accumulate1_avx2(ACCUMULATE1_ARGS) { ACCUMULATE1_BODY }
static WIDE void add_pillar_avx2(ADD_PILLAR_ARGS) { ADD_PILLAR_BODY }
#define WIDEST __attribute__((target("avx512f")))
static WIDEST void accumulate4_avx512(ACCUMULATE4_ARGS) { ACCUMULATE4_BODY }
static WIDEST void accumulate1_avx512(ACCUMULATE1_ARGS) { ACCUMULATE1_BODY }
static WIDEST void add_pillar_avx512(ADD_PILLAR_ARGS) { ADD_PILLAR_BODY }
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

void mandate_add_pillar(
    double *scores, size_t count, bool first, const double *sums, int extra, const double *w,
    const double *const *c, size_t offset, const double *factors, const int *groups) {
    if (extra < 0 || extra > 3) __builtin_trap();
#if defined(__x86_64__)
    switch (mandate_kernel_level()) {
    case 2: add_pillar_avx512(scores, count, first, sums, extra, w, c, offset, factors, groups); return;
    case 1: add_pillar_avx2(scores, count, first, sums, extra, w, c, offset, factors, groups); return;
    }
#endif
    add_pillar_plain(scores, count, first, sums, extra, w, c, offset, factors, groups);
}
