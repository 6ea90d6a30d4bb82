/* The CSV report: one tidy row per run, group and target, for
 * spreadsheets and papers. */
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_tables.h"

/* A text field, quoted by libcsv (quotes doubled). */
static void text(FILE *out, const char *s, int first)
{
    if (!first)
        fputc(',', out);
    csv_fwrite(out, s, strlen(s));
}

/* A number: empty for NaN, so spreadsheets see a blank cell. */
static void number(FILE *out, double x)
{
    if (isnan(x))
        fputc(',', out);
    else
        fprintf(out, ",%.17g", x);
}

static void count(FILE *out, uint64_t x)
{
    fprintf(out, ",%llu", (unsigned long long)x);
}

/* Classification: one row per run and group. */
static int classification_csv(FILE *out, const sh_report_run *runs, size_t n)
{
    fputs("engine,file,attribute,partition,group,n,errors,n_no_prediction,error_rate,error_lo,"
          "error_hi,interval,error_share\r\n",
          out);
    for (size_t r = 0; r < n; r++) {
        const sh_cresults *c = runs[r].r->classification;
        char iname[64];
        snprintf(iname, sizeof iname, "%g%% Wilson", 100 * c->confidence);
        for (size_t i = 0; i < c->n_groups; i++) {
            const sh_crow *g = &c->groups[i];
            text(out, runs[r].label, 1);
            text(out, runs[r].path, 0);
            text(out, c->attribute, 0);
            text(out, g->partition, 0);
            text(out, g->group, 0);
            count(out, g->n);
            count(out, g->errors);
            count(out, g->n_no_prediction);
            number(out, g->error_rate);
            number(out, g->error_wilson_lo);
            number(out, g->error_wilson_hi);
            text(out, iname, 0);
            number(out, g->error_share);
            fputs("\r\n", out);
        }
    }
    return 0;
}

static int identification_csv(FILE *out, const sh_report_run *runs, size_t n)
{
    fputs("engine,file,partition,group,target_fpir,threshold,n_mated,n_miss,fnir,fnir_lo,"
          "fnir_hi,n_nonmated,n_false_positive,fpir,fpir_lo,fpir_hi,interval,too_small\r\n",
          out);
    for (size_t r = 0; r < n; r++) {
        const sh_iresults *id = runs[r].r->identification;
        char iname[64];
        snprintf(iname, sizeof iname, "%g%% Wilson", 100 * id->confidence);
        for (size_t i = 0; i < id->n_groups; i++) {
            const sh_igroup *g = &id->groups[i];
            text(out, runs[r].label, 1);
            text(out, runs[r].path, 0);
            text(out, g->partition, 0);
            text(out, g->group, 0);
            number(out, g->target_fpir);
            number(out, g->threshold);
            count(out, g->n_mated);
            count(out, g->n_miss);
            number(out, g->fnir);
            number(out, g->fnir_wilson_lo);
            number(out, g->fnir_wilson_hi);
            count(out, g->n_nonmated);
            count(out, g->n_false_positive);
            number(out, g->fpir);
            number(out, g->fpir_wilson_lo);
            number(out, g->fpir_wilson_hi);
            text(out, iname, 0);
            count(out, (uint64_t)g->too_small);
            fputs("\r\n", out);
        }
    }
    return 0;
}

int sh_report_csv(FILE *out, const sh_report_run *runs, size_t n)
{
    if (runs[0].r->identification)
        return identification_csv(out, runs, n);
    if (!runs[0].r->verification)
        return classification_csv(out, runs, n);
    fputs("engine,file,partition,group,target_fmr,threshold,n_subjects,n_images,n_fte,fte,"
          "n_genuine,n_false_nonmatch,fnmr,fnmr_lo,fnmr_hi,n_impostor,n_false_match,fmr,fmr_lo,"
          "fmr_hi,interval,group_threshold,group_fnmr\r\n",
          out);
    for (size_t r = 0; r < n; r++) {
        const sh_vresults *v = runs[r].r->verification;
        char iname[64];
        sh_report_interval_name(iname, sizeof iname, v);
        for (size_t i = 0; i < v->n_groups; i++) {
            const sh_vgroup *g = &v->groups[i];
            double lo, hi;
            text(out, runs[r].label, 1);
            text(out, runs[r].path, 0);
            text(out, g->partition, 0);
            text(out, g->group, 0);
            number(out, g->target_fmr);
            number(out, g->threshold);
            count(out, g->n_subjects);
            count(out, g->n_images);
            count(out, g->n_fte);
            number(out, g->fte);
            count(out, g->n_genuine);
            count(out, g->n_false_nonmatch);
            number(out, g->fnmr);
            sh_report_fnmr_bounds(v, g, &lo, &hi);
            number(out, lo);
            number(out, hi);
            count(out, g->n_impostor);
            count(out, g->n_false_match);
            number(out, g->fmr);
            sh_report_fmr_bounds(v, g, &lo, &hi);
            number(out, lo);
            number(out, hi);
            text(out, iname, 0);
            number(out, g->group_estimable ? g->group_threshold : NAN);
            number(out, g->group_fnmr);
            fputs("\r\n", out);
        }
    }
    return 0;
}
