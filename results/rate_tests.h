/* Tests that an error rate is equal across the groups of a partition:
 * Pearson's chi-square over all of them and Fisher's exact test for each
 * pair, which take trials as independent, and beside each a subject-
 * bootstrap p-value, which keeps each subject's trials together; pairwise
 * p-values are Holm-adjusted over the family. Verification tests each rate
 * at each operating point with them (verification_tests.c), classification
 * its error rate (classification_summary.c). */
#ifndef SH_RESULTS_RATE_TESTS_H
#define SH_RESULTS_RATE_TESTS_H

#include <stddef.h>
#include <stdint.h>

/* One family: the groups tested, with trials and not too small. Borrowed. */
typedef struct sh_rate_family {
    size_t n;               /* groups */
    const size_t *row;      /* each group's row in rep */
    const double *e, *t;    /* each group's errors and trials */
    const uint8_t *judged;  /* whether the bootstrap can judge each group */
    const double *rep;      /* replicate rates, [row][replicate]; NULL: none */
    unsigned R;             /* replicates */
} sh_rate_family;

/* Pearson's statistic, its chi-square p on n - 1 degrees of freedom, and
 * the bootstrap's p (replicates moved to the null; NaN without replicates
 * or where a group cannot be judged, else 1 when the statistic is 0).
 * All NaN under two groups. Returns 0, or -1 when out of memory. */
int sh_rate_omnibus(double *out_chi2, double *out_p_chi2, double *out_p_boot,
                    const sh_rate_family *f);

/* The pairs of f's groups (a < b, in group order: n (n - 1) / 2 of them):
 * each pair's Fisher exact p and bootstrap p, and their Holm adjustments
 * over the family; NaN where a p is not defined. Returns 0, or -1 when
 * out of memory. */
int sh_rate_pairwise(double *out_fisher, double *out_fisher_holm, double *out_boot,
                     double *out_boot_holm, const sh_rate_family *f);

#endif
