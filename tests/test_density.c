/* Per-group score densities (results/score_density.c) and their plot
 * (results/report/report_svg_density.c): known counts, exact counts from
 * histograms split any way, and one panel per group. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "report_svg_density.h"
#include "score_density.h"
#include "score_sort.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Two bins by hand: 1.75's histogram bin ends at 1.75 + 2^-8, so the range
 * is [1, 1.75390625); its midpoint 1.376953125 falls in the bin starting
 * at 1.375, the middle edge. -inf (a failed template) is in no bin. */
static void known_counts(void **state)
{
    (void)state;
    const double imp[] = {1.0, 1.25, 1.5, 1.75};
    const double gen[] = {-INFINITY, 1.0, 1.5, 1.5};
    sh_score_hist h = {0};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(sh_hist_add(&h, imp[i]), 0);
    assert_int_equal(sh_hist_add(&h, -INFINITY), 0);
    sh_density_bins b;
    sh_density_bins_make(&b, gen, 4, &h, 2);
    assert_int_equal(b.n, 2);
    assert_true(b.edge[0] == 1.0 && b.edge[1] == 1.375 && b.edge[2] == 1.75390625);
    uint64_t c[SH_DENSITY_BINS];
    sh_density_count_hist(c, &b, &h);
    assert_int_equal(c[0], 2);
    assert_int_equal(c[1], 2);
    sh_density_count_sorted(c, &b, gen, 4);
    assert_int_equal(c[0], 1);
    assert_int_equal(c[1], 2);

    /* Every score in one histogram bin: one density bin. */
    sh_density_bins one;
    const double same[] = {1.0, 1.001};
    sh_density_bins_make(&one, same, 2, &h, 1);
    assert_int_equal(one.n, 1);
    sh_score_hist empty = {0};
    sh_density_bins_make(&one, same, 2, &empty, SH_DENSITY_BINS);
    assert_int_equal(one.n, 1);
    sh_density_count_sorted(c, &one, same, 2);
    assert_int_equal(c[0], 2);
    /* No finite score: no bins. */
    sh_density_bins_make(&one, gen, 1, &empty, SH_DENSITY_BINS);
    assert_int_equal(one.n, 0);
    sh_hist_clear(&h);
}

/* Scores counted in `parts` histograms merged give the counts that
 * sorting them all gives, with edges on histogram bin edges. */
static void hist_counts_are_exact(void **state)
{
    (void)state;
    for (unsigned parts = 1; parts <= 7; parts += 3) {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(rng, 20 + parts);
        size_t n = 50000;
        double *s = malloc(n * sizeof *s);
        sh_score_hist *h = calloc(parts, sizeof *h);
        for (size_t k = 0; k < n; k++) {
            double u = gsl_rng_uniform(rng);
            s[k] = u < 0.01 ? -INFINITY : u < 0.05 ? 0.5 : gsl_ran_gaussian(rng, 1.5) - 0.3;
            assert_int_equal(sh_hist_add(&h[k % parts], s[k]), 0);
        }
        for (unsigned p = 1; p < parts; p++)
            assert_int_equal(sh_hist_merge(&h[0], &h[p]), 0);
        qsort(s, n, sizeof *s, cmp);
        sh_density_bins b;
        sh_density_bins_make(&b, NULL, 0, &h[0], SH_DENSITY_BINS);
        assert_true(b.n > SH_DENSITY_BINS * 9 / 10 && b.n <= SH_DENSITY_BINS);
        uint64_t from_hist[SH_DENSITY_BINS], from_sorted[SH_DENSITY_BINS], total = 0;
        sh_density_count_hist(from_hist, &b, &h[0]);
        sh_density_count_sorted(from_sorted, &b, s, n);
        for (size_t j = 0; j < b.n; j++) {
            assert_true(b.edge[j] < b.edge[j + 1]);
            assert_true(sh_score_bin_edge(sh_score_bin(b.edge[j])) == b.edge[j]);
            assert_int_equal(from_hist[j], from_sorted[j]);
            /* By definition: scores in [edge j, edge j+1). */
            uint64_t want = sh_count_lt(s, n, b.edge[j + 1]) - sh_count_lt(s, n, b.edge[j]);
            assert_int_equal(from_hist[j], want);
            total += from_hist[j];
        }
        assert_int_equal(total, n - sh_count_lt(s, n, -1e300));
        for (unsigned p = 0; p < parts; p++)
            sh_hist_clear(&h[p]);
        free(h);
        free(s);
        gsl_rng_free(rng);
    }
}

/* A partition of three groups draws three panels; another partition's
 * rows and a partition without rows draw none. */
static void one_panel_per_group(void **state)
{
    (void)state;
    const char *groups[] = {"I", "II", "III", "All"};
    const char *parts[] = {"skin", "skin", "skin", "all"};
    sh_vdensity rows[4 * 2 * 3];
    size_t n = 0;
    for (size_t g = 0; g < 4; g++)
        for (int kind = 0; kind < 2; kind++)
            for (int j = 0; j < 3; j++) {
                sh_vdensity *d = &rows[n++];
                memset(d, 0, sizeof *d);
                snprintf(d->partition, sizeof d->partition, "%s", parts[g]);
                snprintf(d->group, sizeof d->group, "%s", groups[g]);
                snprintf(d->kind, sizeof d->kind, "%s", kind ? "impostor" : "genuine");
                d->bin_lo = j;
                d->bin_hi = j + 1;
                d->count = kind ? (uint64_t)(3 - j) * 10 : (uint64_t)j + 1;
            }
    sh_vthreshold thr[2] = {{.target_fmr = 1e-2, .estimable = 1, .threshold = 1.5},
                            {.target_fmr = 1e-3, .estimable = 1, .threshold = 2.5}};
    sh_vresults v = {.n_thresholds = 2, .thresholds = thr, .n_density = n, .density = rows};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(sh_svg_density(f, &v, "skin"), 0);
    fclose(f);
    size_t panels = 0;
    for (const char *p = buf; (p = strstr(p, "<g class=\"panel\"")); p++)
        panels++;
    assert_int_equal(panels, 3);
    assert_non_null(strstr(buf, "aria-label=\"II\""));
    assert_null(strstr(buf, "aria-label=\"All\""));
    assert_non_null(strstr(buf, "FMR 0.001"));
    /* Two curves a panel, solid and dashed. */
    size_t lines = 0;
    for (const char *p = buf; (p = strstr(p, "<polyline")); p++)
        lines++;
    assert_int_equal(lines, 6);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(sh_svg_density(f, &v, "sex"), 0);
    fclose(f);
    assert_int_equal(len, 0);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_counts),
        cmocka_unit_test(hist_counts_are_exact),
        cmocka_unit_test(one_panel_per_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
