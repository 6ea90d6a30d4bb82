#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h5_read.h"
#include "paths.h"
#include "report_tables.h"

/* Terminal tables stay within this many columns. */
#define TEXT_WIDTH 100

int sh_report_format_parse(sh_report_format *out, const char *name)
{
    static const struct {
        const char *name;
        sh_report_format f;
    } names[] = {{"txt", SH_REPORT_TEXT},
                 {"text", SH_REPORT_TEXT},
                 {"md", SH_REPORT_MARKDOWN},
                 {"markdown", SH_REPORT_MARKDOWN},
                 {"csv", SH_REPORT_CSV},
                 {"html", SH_REPORT_HTML}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return 0;
        }
    return -1;
}

/* Prints and frees one table; 0, or -1 when it could not be built. */
static int emit(FILE *out, sh_table *t, sh_report_format f)
{
    int rc = !t ? -1
             : f == SH_REPORT_MARKDOWN ? sh_table_print_markdown(out, t, 3)
                                           : sh_table_print_text(out, t, TEXT_WIDTH);
    sh_table_destroy(t);
    return rc;
}

static void heading(FILE *out, sh_report_format f, const char *text)
{
    if (f == SH_REPORT_MARKDOWN)
        fprintf(out, "\n## %s\n", text);
    else
        fprintf(out, "\n== %s ==\n", text);
}

/* The tables of one run, in reading order. */
static int one_run(FILE *out, const sh_report_run *run, const sh_report_style *st,
                   const sh_report_options *o)
{
    const sh_vresults *v = run->r->verification;
    int bad = 0;
    if (!o->brief)
        bad |= emit(out, sh_table_provenance(run), o->format);
    if (run->r->classification) {
        bad |= emit(out, sh_table_classification(run, st), o->format);
        if (!o->brief)
            bad |= emit(out, sh_table_class_rates(run), o->format);
    }
    const sh_iresults *id = run->r->identification;
    for (size_t k = 0; id && k < id->n_thresholds; k++)
        bad |= emit(out, sh_table_identification(run, k, st), o->format);
    if (id)
        bad |= emit(out, sh_table_cmc(run), o->format);
    for (size_t k = 0; v && k < v->n_thresholds; k++)
        bad |= emit(out, sh_table_groups(run, k, st), o->format);
    if (v)
        bad |= emit(out, sh_table_summaries(run), o->format);
    if (!o->brief && v) {
        bad |= emit(out, sh_table_eer(run), o->format);
        for (size_t m = 0; m < v->n_matrices; m++)
            for (size_t k = 0; k < v->matrices[m].n_targets; k++)
                if (!isnan(v->matrices[m].threshold[k]))
                    bad |= emit(out, sh_table_matrix(run, &v->matrices[m], k), o->format);
    }
    if (!o->brief)
        bad |= emit(out, sh_table_failures(run), o->format);
    if (run->r->n_verdicts)
        bad |= emit(out, sh_table_criteria(run), o->format);
    return bad;
}

/* The Runs table, then the tables that set the runs side by side. */
static int comparison(FILE *out, const sh_report_run *runs, size_t n,
                      const sh_report_style *st, sh_report_format f)
{
    sh_table *tables[1024];
    size_t nt = sh_report_comparison(tables, 1024, runs, n, st);
    int bad = emit(out, sh_table_runs(runs, n), f);
    for (size_t i = 0; i < nt; i++)
        bad |= emit(out, tables[i], f);
    return bad;
}

/* Labels "engine version"; where two runs would share one, the run name
 * is added, and where that is not enough either, the position instead. */
static int make_labels(char **labels, const sh_results *const *runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (asprintf(&labels[i], "%s %s", runs[i]->info.adapter_name,
                     runs[i]->info.adapter_version) < 0)
            return -1;
    int *dup = calloc(n ? n : 1, sizeof *dup);
    if (!dup)
        return -1;
    int rc = 0;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        for (size_t i = 0; i < n; i++) {
            dup[i] = 0;
            for (size_t j = 0; j < n; j++)
                dup[i] |= j != i && strcmp(labels[i], labels[j]) == 0;
        }
        for (size_t i = 0; i < n && !rc; i++) {
            char *s;
            if (!dup[i])
                continue;
            if ((pass ? asprintf(&s, "%s %s #%zu", runs[i]->info.adapter_name,
                                 runs[i]->info.adapter_version, i + 1)
                      : asprintf(&s, "%s (%s)", labels[i], runs[i]->info.run_name)) < 0)
                rc = -1;
            else {
                free(labels[i]);
                labels[i] = s;
            }
        }
    }
    free(dup);
    return rc;
}

int sh_report_write(FILE *out, const sh_results *const *runs, const char *const *paths,
                        size_t n, const sh_report_options *opts, sh_err *err)
{
    /* Each run's own groups.min_subjects decided what is too small to
     * estimate, and its differentials and criteria left those groups out:
     * the report marks the same groups. */
    sh_report_style st = {n ? (unsigned)runs[0]->info.min_subjects : 0, 0};
    for (size_t i = 1; i < n; i++)
        st.mixed |= runs[i]->info.min_subjects != runs[0]->info.min_subjects;
    sh_report_run *rr = calloc(n ? n : 1, sizeof *rr);
    char **labels = calloc(n ? n : 1, sizeof *labels);
    int bad = !rr || !labels || make_labels(labels, runs, n), rc = 0;
    for (size_t i = 0; !bad && i < n; i++)
        rr[i] = (sh_report_run){runs[i], paths[i], labels[i]};
    /* One CSV is one table, so its files must share a protocol. */
    for (size_t i = 1; !bad && !rc && opts->format == SH_REPORT_CSV && i < n; i++)
        if (!runs[0]->verification != !runs[i]->verification ||
            !runs[0]->classification != !runs[i]->classification ||
            !runs[0]->identification != !runs[i]->identification)
            rc = sh_err_set(err, SH_E_INPUT,
                                "%s: holds other protocols than %s; a CSV report takes files of "
                                "one protocol",
                                paths[i], paths[0]);
    if (!bad && !rc) {
        if (opts->format == SH_REPORT_CSV)
            bad = sh_report_csv(out, rr, n);
        else if (opts->format == SH_REPORT_HTML)
            bad = sh_report_html(out, rr, n, &st);
        else {
            if (opts->format == SH_REPORT_MARKDOWN)
                fprintf(out, "# shades report\n");
            if (n > 1) {
                heading(out, opts->format, "Engines side by side");
                bad |= comparison(out, rr, n, &st, opts->format);
            } else if (!opts->brief) {
                bad |= emit(out, sh_table_runs(rr, n), opts->format);
            }
            for (size_t i = 0; n > 1 && i < n; i++) {
                char h[PATH_MAX + 64];
                snprintf(h, sizeof h, "%s (%s)", rr[i].label, paths[i]);
                heading(out, opts->format, h);
                bad |= one_run(out, &rr[i], &st, opts);
            }
            if (n == 1)
                bad |= one_run(out, &rr[0], &st, opts);
        }
    }
    for (size_t i = 0; labels && i < n; i++)
        free(labels[i]);
    free(labels);
    free(rr);
    if (rc)
        return rc;
    if (bad)
        return sh_err_nomem(err);
    if (ferror(out))
        return sh_err_set(err, SH_E_IO, "cannot write the report");
    return 0;
}

int sh_report_files(const char *const *paths, size_t n, const char *out_path,
                        const sh_report_options *opts, sh_err *err)
{
    sh_results **runs = calloc(n ? n : 1, sizeof *runs);
    if (!runs)
        return sh_err_nomem(err);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        rc = sh_h5_read(&runs[i], paths[i], err);
    char tmp[PATH_MAX] = "";
    FILE *out = stdout;
    if (!rc && out_path) {
        char dir[PATH_MAX];
        struct stat st;
        rc = sh_path_dirname(dir, sizeof dir, out_path, err);
        /* A missing directory is more likely a typo than a wish: say so. */
        if (!rc && stat(dir, &st) != 0)
            rc = sh_err_set(err, SH_E_INPUT, "report -o %s: directory '%s': %s", out_path,
                                dir, strerror(errno));
        else if (!rc && !S_ISDIR(st.st_mode))
            rc = sh_err_set(err, SH_E_INPUT, "report -o %s: '%s' is not a directory",
                                out_path, dir);
        if (!rc)
            sh_path_remove_stale_temps(out_path);
        if (!rc && (size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out_path, (long)getpid()) >=
                       sizeof tmp)
            rc = sh_err_set(err, SH_E_INPUT, "%s: path too long", out_path);
        int fd = rc ? -1 : sh_path_create_private(tmp, err);
        if (fd < 0 && !rc)
            rc = fd;
        if (!rc && !(out = fdopen(fd, "w"))) {
            rc = sh_err_set(err, SH_E_IO, "%s: cannot write: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
        }
    }
    if (!rc)
        rc = sh_report_write(out, (const sh_results *const *)runs, paths, n, opts, err);
    if (out_path && out && out != stdout) {
        if (fclose(out) != 0 && !rc)
            rc = sh_err_set(err, SH_E_IO, "%s: cannot write: %s", out_path,
                                strerror(errno));
        if (!rc && rename(tmp, out_path) != 0)
            rc = sh_err_set(err, SH_E_IO, "%s: cannot move into place: %s", out_path,
                                strerror(errno));
        if (rc)
            unlink(tmp);
    } else if (!rc && fflush(stdout) != 0) {
        rc = sh_err_set(err, SH_E_IO, "cannot write the report: %s", strerror(errno));
    }
    for (size_t i = 0; i < n; i++)
        sh_results_destroy(runs[i]);
    free(runs);
    return rc;
}
