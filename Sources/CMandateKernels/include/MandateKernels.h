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

/// One pillar's part of the scores, for every u below `count`: t = the pillar's weighted sum,
/// sums[u] (the passes of four columns; NULL where there were none) followed by the `extra`
/// (0 to 3) columns left, added one by one as `mandate_accumulate1` adds them
/// (t = w[k] × c[k][offset + u] for the first where `sums` is NULL); then
/// scores[u] = t × factor (first) or scores[u] += t × factor, where the factor is
/// factors[groups[u]], or factors[0] where `groups` is NULL.
void mandate_add_pillar(
    double *scores, size_t count, bool first, const double *sums, int extra, const double *w,
    const double *const *c, size_t offset, const double *factors, const int *groups);

/// Which instructions the kernels use here: 0 plain, 1 AVX2, 2 AVX-512.
int mandate_kernel_level(void);

/// Uses no instructions above `most` (as `mandate_kernel_level` numbers them) from now on: for
/// tests, which check that every level gives the same bits.
void mandate_limit_kernel_level(int most);

#endif
