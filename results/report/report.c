#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h5_read.h"
#include "h5_sign.h"
#include "paths.h"
#include "report_format.h"
#include "report_tables.h"

const sh_report_format *const sh_report_formats[] = {
    &sh_report_text,
    &sh_report_markdown,
    &sh_report_csv,
    &sh_report_html,
};
const size_t sh_report_n_formats = sizeof sh_report_formats / sizeof sh_report_formats[0];

const sh_report_format *sh_report_format_find(const char *name)
{
    for (size_t i = 0; i < sh_report_n_formats; i++)
        for (const char *const *e = sh_report_formats[i]->extensions; *e; e++)
            if (strcmp(name, *e) == 0)
                return sh_report_formats[i];
    return NULL;
}

void sh_report_format_list(char *out, size_t size)
{
    size_t used = 0;
    if (size)
        out[0] = '\0';
    for (size_t i = 0; i < sh_report_n_formats && used < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == sh_report_n_formats ? " or " : ", ";
        int w = snprintf(out + used, size - used, "%s%s", sep, sh_report_formats[i]->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* The service an engine says it answered through (its provenance's
 * "service" line), or NULL. */
static const char *service_of(const sh_results *r)
{
    for (size_t k = 0; k < r->n_provenance; k++)
        if (!strcmp(r->provenance[k].key, "service"))
            return r->provenance[k].value;
    return NULL;
}

/* "engine version", or "service via engine version" for an engine that
 * names the service it asked, then suffix, into *out (malloc'd). */
static int base_label(char **out, const sh_results *r, const char *suffix)
{
    const char *svc = service_of(r);
    return svc ? asprintf(out, "%s via %s %s%s", svc, r->info.adapter_name,
                          r->info.adapter_version, suffix)
               : asprintf(out, "%s %s%s", r->info.adapter_name, r->info.adapter_version, suffix);
}

/* Labels each run by its engine (engines[i], base_label's); where two runs
 * would share one, the run name is added; where that is not enough either,
 * the results file's name (two runs of one config differ in little else),
 * and last the position. */
static int make_labels(char **labels, const char *const *engines, const sh_results *const *runs,
                       const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(labels[i] = strdup(engines[i])))
            return -1;
    int *dup = calloc(n ? n : 1, sizeof *dup);
    if (!dup)
        return -1;
    int rc = 0;
    for (int pass = 0; pass < 3 && !rc; pass++) {
        for (size_t i = 0; i < n; i++) {
            dup[i] = 0;
            for (size_t j = 0; j < n; j++)
                dup[i] |= j != i && strcmp(labels[i], labels[j]) == 0;
        }
        for (size_t i = 0; i < n && !rc; i++) {
            char *s;
            if (!dup[i])
                continue;
            char at[300];
            const char *file = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
            if (pass == 1)
                snprintf(at, sizeof at, " (%s)", file);
            else
                snprintf(at, sizeof at, " #%zu", i + 1);
            if ((pass ? base_label(&s, runs[i], at)
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
    const sh_report_format *fmt = opts->format ? opts->format : &sh_report_text;
    sh_report_style st = {n ? (unsigned)runs[0]->info.min_subjects : 0, 0};
    for (size_t i = 1; i < n; i++)
        st.mixed |= runs[i]->info.min_subjects != runs[0]->info.min_subjects;
    sh_report_run *rr = calloc(n ? n : 1, sizeof *rr);
    char **labels = calloc(n ? n : 1, sizeof *labels);
    char **engines = calloc(n ? n : 1, sizeof *engines);
    int bad = !rr || !labels || !engines, rc = 0;
    for (size_t i = 0; !bad && i < n; i++)
        bad = base_label(&engines[i], runs[i], "") < 0;
    bad = bad || make_labels(labels, (const char *const *)engines, runs, paths, n);
    /* Each file's signature status, read from the file itself. */
    char (*sig)[1200] = calloc(n ? n : 1, sizeof *sig);
    bad |= !sig;
    for (size_t i = 0; !bad && i < n; i++) {
        sh_sig_status st;
        sh_err ignore = {0};
        if (sh_h5_verify(&st, paths[i], NULL, &ignore))
            snprintf(sig[i], sizeof sig[i], "not checked: %s", ignore.msg);
        else
            sh_sig_describe(sig[i], sizeof sig[i], &st);
        rr[i] = (sh_report_run){runs[i], paths[i], labels[i], sig[i], engines[i]};
    }
    /* A format that is one table (CSV) takes files of one protocol. */
    for (size_t i = 1; !bad && !rc && fmt->one_protocol && i < n; i++)
        if (!runs[0]->verification != !runs[i]->verification ||
            !runs[0]->classification != !runs[i]->classification ||
            !runs[0]->identification != !runs[i]->identification)
            rc = sh_err_set(err, SH_E_INPUT,
                                "%s: holds other protocols than %s; a %s report takes files of "
                                "one protocol",
                                paths[i], paths[0], fmt->label);
    if (!bad && !rc)
        bad = fmt->write(out, rr, n, &st, opts) != 0;
    for (size_t i = 0; labels && i < n; i++)
        free(labels[i]);
    free(labels);
    for (size_t i = 0; engines && i < n; i++)
        free(engines[i]);
    free(engines);
    free(rr);
    free(sig);
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
    char tmp[PATH_MAX] = "", target[PATH_MAX] = "";
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
        /* "-o ." or "-o out/" would fail at the rename, after the report
         * was written, with the system's words. */
        else if (!rc && out_path[0] && (out_path[strlen(out_path) - 1] == '/' ||
                         (stat(out_path, &st) == 0 && S_ISDIR(st.st_mode))))
            rc = sh_err_set(err, SH_E_INPUT,
                                "report -o %s: a directory; -o takes the report's file path, "
                                "e.g. %s%sreport.html",
                                out_path, out_path,
                                out_path[strlen(out_path) - 1] == '/' ? "" : "/");
        /* Never over a results file read here, a device or what a link
         * points at: the report goes to the link's file. */
        sh_path_input *in = rc ? NULL : calloc(n ? n : 1, sizeof *in);
        if (!rc && !in)
            rc = sh_err_nomem(err);
        for (size_t i = 0; in && i < n; i++)
            in[i] = (sh_path_input){"the results file", paths[i]};
        if (!rc)
            rc = sh_path_output(target, sizeof target, "report -o", out_path, in, n, err);
        free(in);
        if (!rc)
            sh_path_remove_stale_temps(target);
        if (!rc && (size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", target, (long)getpid()) >=
                       sizeof tmp)
            rc = sh_err_set(err, SH_E_INPUT, "%s: path too long", out_path);
        int fd = rc ? -1 : sh_path_create_private(tmp, err);
        if (fd < 0 && !rc) /* named as the user named it, not by its temporary */
            rc = sh_err_set(err, SH_E_IO, "%s: cannot create: %s", out_path, strerror(errno));
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
        if (!rc && rename(tmp, target) != 0)
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
