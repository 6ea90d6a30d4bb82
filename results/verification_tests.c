/* Tests that a rate is equal across a partition's groups: Pearson's
 * chi-square over all of them and Fisher's exact test for each pair (both
 * take comparisons as independent), and beside each a subject-bootstrap
 * p-value, which keeps each subject's comparisons together; pairwise
 * p-values Holm-adjusted per family (partition, point and rate). */
#include "verification_tests.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate_tests.h"

/* One family's groups as the tests see them: those with trials and not too
 * small, their counts and rows, and whether the bootstrap can judge each. */
typedef struct family {
    size_t n;
    size_t *row;          /* each group's row in r->groups */
    double *e, *t;        /* errors and trials */
    uint8_t *judged;      /* errors and non-errors, and SH_TEST_BOOT_SUBJECTS subjects */
} family;

/* The omnibus row and the pair rows of one family. */
static int test_family(sh_vresults *r, const family *f, const sh_vgroup *first,
                       const char *rate_name, const double *rep, unsigned R)
{
    sh_vtest *t = &r->tests[r->n_tests++];
    memset(t, 0, sizeof *t);
    snprintf(t->partition, sizeof t->partition, "%s", first->partition);
    memcpy(t->point, first->point, sizeof t->point);
    t->target_fmr = first->target_fmr;
    t->target_fnmr = first->target_fnmr;
    t->threshold = first->threshold;
    snprintf(t->rate, sizeof t->rate, "%s", rate_name);
    t->n_groups = (int32_t)f->n;
    t->df = f->n ? (int32_t)f->n - 1 : 0;
    t->chi2 = t->p_chi2 = t->p_boot = NAN;
    sh_rate_family rf = {f->n, f->row, f->e, f->t, f->judged, rep, R};
    int estimable = !isnan(first->threshold);
    if (estimable && sh_rate_omnibus(&t->chi2, &t->p_chi2, &t->p_boot, &rf))
        return -1;
    /* The pairs, in group order. */
    size_t m = f->n * (f->n ? f->n - 1 : 0) / 2;
    double *pf = malloc((m ? m : 1) * 4 * sizeof *pf), *pb = pf + m, *af = pb + m, *ab = af + m;
    if (!pf)
        return -1;
    for (size_t k = 0; k < 4 * m; k++)
        pf[k] = NAN;
    if (estimable && sh_rate_pairwise(pf, af, pb, ab, &rf)) {
        free(pf);
        return -1;
    }
    size_t k = 0;
    for (size_t a = 0; a < f->n; a++)
        for (size_t b = a + 1; b < f->n; b++, k++) {
            sh_vpair_test *q = &r->pairwise[r->n_pairwise++];
            memset(q, 0, sizeof *q);
            memcpy(q->partition, t->partition, sizeof q->partition);
            memcpy(q->point, t->point, sizeof q->point);
            q->target_fmr = t->target_fmr;
            q->target_fnmr = t->target_fnmr;
            q->threshold = t->threshold;
            memcpy(q->rate, t->rate, sizeof q->rate);
            snprintf(q->group_a, sizeof q->group_a, "%s", r->groups[f->row[a]].group);
            snprintf(q->group_b, sizeof q->group_b, "%s", r->groups[f->row[b]].group);
            q->errors_a = (uint64_t)f->e[a];
            q->n_a = (uint64_t)f->t[a];
            q->errors_b = (uint64_t)f->e[b];
            q->n_b = (uint64_t)f->t[b];
            q->p_fisher = pf[k];
            q->p_fisher_holm = af[k];
            q->p_boot = pb[k];
            q->p_boot_holm = ab[k];
        }
    free(pf);
    return 0;
}

int sh_verification_tests(sh_vresults *r, const sh_groups *g, const double *rep_fnmr,
                          const double *rep_fmr, unsigned R, sh_err *err)
{
    size_t K = r->n_thresholds, n_tests = 0, n_pairs = 0, max_groups = 1;
    for (size_t p = 0; p < g->n_partitions; p++) {
        size_t ng = g->partitions[p].n_groups;
        n_tests += 2 * K;
        n_pairs += 2 * K * ng * (ng - 1) / 2;
        max_groups = ng > max_groups ? ng : max_groups;
    }
    r->tests = calloc(n_tests ? n_tests : 1, sizeof *r->tests);
    r->pairwise = calloc(n_pairs ? n_pairs : 1, sizeof *r->pairwise);
    family f = {0, malloc(max_groups * sizeof *f.row), malloc(max_groups * sizeof(double)),
                malloc(max_groups * sizeof(double)), malloc(max_groups)};
    int bad = !r->tests || !r->pairwise || !f.row || !f.e || !f.t || !f.judged;
    size_t first_row = K; /* "all" first: one group */
    for (size_t p = 0; !bad && p < g->n_partitions; p++) {
        const sh_partition *part = &g->partitions[p];
        for (size_t k = 0; !bad && k < K; k++)
            for (int fmr = 0; !bad && fmr < 2; fmr++) {
                f.n = 0;
                for (size_t gi = 0; gi < part->n_groups; gi++) {
                    size_t i = first_row + gi * K + k;
                    const sh_vgroup *row = &r->groups[i];
                    uint64_t e = fmr ? row->n_false_match : row->n_false_nonmatch;
                    uint64_t t = fmr ? row->n_impostor : row->n_genuine;
                    if (row->too_small || !t)
                        continue; /* as the summaries: no trials, or too small */
                    f.row[f.n] = i;
                    f.e[f.n] = (double)e;
                    f.judged[f.n] = e > 0 && e < t && row->n_subjects >= SH_TEST_BOOT_SUBJECTS;
                    f.t[f.n++] = (double)t;
                }
                bad = test_family(r, &f, &r->groups[first_row + k], fmr ? "fmr" : "fnmr",
                                  fmr ? rep_fmr : rep_fnmr, R) != 0;
            }
        first_row += part->n_groups * K;
    }
    free(f.row);
    free(f.e);
    free(f.t);
    free(f.judged);
    return bad ? sh_err_nomem(err) : 0;
}
