#include "report_text.h"

#include <math.h>
#include <string.h>

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
        fprintf(out, "\nTarget FMR %g: global threshold %.6g (FMR %.3g, FNMR %.3g); %g%% Wilson "
                     "intervals\n",
                t->target_fmr, t->threshold, t->fmr, t->fnmr, 100 * v->confidence);
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
            print_rate(out, 22, 0, g->fnmr, g->fnmr_lo, g->fnmr_hi,
                       (unsigned long long)g->n_false_nonmatch, (unsigned long long)g->n_genuine);
            print_rate(out, 26, 1, g->fmr, g->fmr_lo, g->fmr_hi, (unsigned long long)g->n_false_match,
                       (unsigned long long)g->n_impostor);
            fputc('\n', out);
        }
    }
}
