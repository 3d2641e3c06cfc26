#ifndef MANDATE_KERNELS_H
#define MANDATE_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

/// The ranking's weighted sums over four columns: for every u below `count`,
/// sums[u] = (w[0] × c0[u] + w[1] × c1[u]) + (w[2] × c2[u] + w[3] × c3[u]), added to what
/// sums[u] holds unless `first`. The same operations in the same order on every processor, so
/// the same bits; wider vector instructions where the processor has them.
void mandate_accumulate4(
    double *sums, size_t count, bool first, const double *w, const double *c0, const double *c1,
    const double *c2, const double *c3);

/// sums[u] = w × c[u] (first) or sums[u] += w × c[u], for every u below `count`.
void mandate_accumulate1(double *sums, size_t count, bool first, double w, const double *c);

/// scores[u] = sums[u] × factors[groups[u]] (first) or scores[u] += …, for every u below `count`.
void mandate_scale_groups(
    double *scores, size_t count, bool first, const double *sums, const double *factors, const int *groups);

/// scores[u] = sums[u] × factor (first) or scores[u] += …, for every u below `count`.
void mandate_scale(double *scores, size_t count, bool first, const double *sums, double factor);

/// Which instructions the kernels use here: 0 plain, 1 AVX2, 2 AVX-512.
int mandate_kernel_level(void);

/// Uses no instructions above `most` (as `mandate_kernel_level` numbers them) from now on: for
/// tests, which check that every level gives the same bits.
void mandate_limit_kernel_level(int most);

#endif
