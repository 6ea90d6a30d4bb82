#include "report_text.h"

#include <math.h>
#include <string.h>

#include "criteria.h"

/* " rate [lo,hi] errors/n": the rate to three significant digits, bounds to
 * two, in a cell `width` wide; the last cell of a line is not padded. */
static void print_rate(FILE *out, int width, int last, double r, double lo, double hi,
                       unsigned long long k, unsigned long long n)
{
    char cell[64], counts[48];
    if (isnan(r))
        snprintf(cell, sizeof cell, "n/a");
    else
        snprintf(cell, sizeof cell, "%.3g [%.2g,%.2g]", r, lo, hi);
    snprintf(counts, sizeof counts, "%llu/%llu", k, n);
    fprintf(out, " %-*s %-*s", width, cell, last ? 0 : 12, counts);
}

void shades_report_verification(FILE *out, const shades_vresults *v)
{
    for (size_t k = 0; k < v->n_thresholds; k++) {
        const shades_vthreshold *t = &v->thresholds[k];
        if (!t->estimable) {
            fprintf(out, "\nTarget FMR %g: not estimable (%llu impostor pairs, need %.0f)\n",
                    t->target_fmr, (unsigned long long)t->n_impostor, ceil(1.0 / t->target_fmr));
            continue;
        }
        fprintf(out, "\nTarget FMR %g: global threshold %.6g (FMR %.3g, FNMR %.3g); %g%% %s\n",
                t->target_fmr, t->threshold, t->fmr, t->fnmr, 100 * v->confidence,
                v->bootstrap ? "bootstrap intervals" : "(no bootstrap)");
        fprintf(out, "%-12s %6s %-35s %s\n", "group", "FTE", " FNMR [interval] errors/n",
                " FMR [interval] errors/n");
        const char *last = "";
        for (size_t i = 0; i < v->n_groups; i++) {
            const shades_vgroup *g = &v->groups[i];
            if (g->target_fmr != t->target_fmr)
                continue;
            int top = strcmp(g->partition, "all") == 0;
            if (strcmp(g->partition, last) && !top)
                fprintf(out, "%s\n", g->partition);
            last = g->partition;
            /* Long group names are cut to keep the table within 100 columns. */
            fprintf(out, "%s%-*.*s %5.1f%%", top ? "" : "  ", top ? 12 : 10, top ? 12 : 10,
                    g->group, 100.0 * g->fte);
            print_rate(out, 22, 0, g->fnmr, g->fnmr_boot_lo, g->fnmr_boot_hi,
                       (unsigned long long)g->n_false_nonmatch, (unsigned long long)g->n_genuine);
            print_rate(out, 26, 1, g->fmr, g->fmr_boot_lo, g->fmr_boot_hi,
                       (unsigned long long)g->n_false_match,
                       (unsigned long long)g->n_impostor);
            fputc('\n', out);
        }
    }
}

/* "value [lo,hi]" of a bounded summary in a cell `width` wide. */
static void print_bounded(FILE *out, int width, const double *v)
{
    char cell[64];
    if (isnan(v[0]))
        snprintf(cell, sizeof cell, "n/a");
    else if (isnan(v[1]))
        snprintf(cell, sizeof cell, "%.3g", v[0]);
    else
        snprintf(cell, sizeof cell, "%.3g [%.2g,%.2g]", v[0], v[1], v[2]);
    fprintf(out, " %-*s", width, cell);
}

void shades_report_summaries(FILE *out, const shades_vresults *v)
{
    if (!v->n_summaries)
        return;
    fprintf(out, "\nDifferentials across groups (%g%% bootstrap intervals, alpha %g; Gini and more "
                 "in the file):\n",
            100 * v->confidence, v->summaries[0].alpha);
    fprintf(out, "%-12s %-8s %-4s %-23s  %-28s %s\n", "partition", "target", "rate",
            "max/geomean", "largest gap", "Fisher p");
    for (size_t i = 0; i < v->n_summaries; i++) {
        const shades_vsummary *s = &v->summaries[i];
        if (isnan(s->threshold))
            continue;
        for (int fmr = 0; fmr < 2; fmr++) {
            if (fmr)
                fprintf(out, "%-22sFMR ", "");
            else
                fprintf(out, "%-12.12s %-8g FNMR", s->partition, s->target_fmr);
            print_bounded(out, 23, fmr ? &s->fmr_max_geomean : &s->fnmr_max_geomean);
            print_bounded(out, 28, fmr ? &s->fmr_gap : &s->fnmr_gap);
            double p = fmr ? s->fmr_gap_p : s->fnmr_gap_p;
            /* The exact p underflows for very large groups. */
            fprintf(out, p > 0 || isnan(p) ? " %.2g\n" : " <1e-300\n", p);
        }
        fprintf(out, "%-21sGARBE", "");
        print_bounded(out, 22, &s->garbe);
        fprintf(out, " FDR");
        print_bounded(out, 22, &s->fdr);
        fprintf(out, " inequity %.3g\n", s->inequity);
    }
}

void shades_report_criteria(FILE *out, const shades_verdict *v, size_t n)
{
    if (!n)
        return;
    fprintf(out, "\nCriteria: %s\n", shades_criteria_passed(v, n) ? "PASS" : "FAIL");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  %-4s %s: %s %s", v[i].pass ? "pass" : "FAIL", v[i].name, v[i].bound,
                v[i].measure);
        if (v[i].group[0])
            fprintf(out, " (%s)", v[i].group);
        fprintf(out, " = %.4g (limit %s %.4g)", v[i].value, v[i].op, v[i].limit);
        if (!v[i].pass && isnan(v[i].value))
            fprintf(out, ": %s", v[i].reason);
        fputc('\n', out);
    }
}
