#include "import.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importer.h"
#include "paths.h"
#include "sha256.h"

/* The names of the formats whose writes and takes hold every bit of the
 * masks given, in the registry's order, joined as sh_import_format_names
 * joins them. */
static const char *join_names(char *out, size_t cap, unsigned writes, unsigned takes,
                              const char *sep, const char *last_sep)
{
    size_t n = 0, used = 0, total = 0;
    for (size_t k = 0; k < sh_n_importers; k++)
        total += (sh_importers[k].writes & writes) == writes &&
                 (sh_importers[k].takes & takes) == takes;
    if (cap)
        out[0] = '\0';
    for (size_t k = 0; k < sh_n_importers; k++) {
        const sh_importer *imp = &sh_importers[k];
        if ((imp->writes & writes) != writes || (imp->takes & takes) != takes)
            continue;
        const char *before = n == 0 ? "" : n + 1 == total ? last_sep : sep;
        n++;
        if (used < cap) {
            int w = snprintf(out + used, cap - used, "%s%s", before, imp->name);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    return out;
}

const char *sh_import_format_names(char *out, size_t cap, int pairs_only, const char *sep,
                                   const char *last_sep)
{
    return join_names(out, cap, pairs_only ? SH_IMPORT_WRITES_PAIRS : 0, 0, sep, last_sep);
}

/* One CSV field, quoted only when it must be (RFC 4180). */
static void put_field(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* One output file under its temporary name until every one is written. */
typedef struct out_file {
    char final[PATH_MAX];
    char tmp[PATH_MAX + 32];
    FILE *f;
} out_file;

/* Opens name in dir under its temporary name, once sh_path_output has
 * found that it is none of the job's inputs (a published file kept in the
 * output folder under the name written there) and no device. */
static int out_open(out_file *o, const sh_import_job *job, const char *dir, const char *name,
                    sh_err *err)
{
    char path[PATH_MAX];
    int rc = sh_path_join(path, sizeof path, dir, name, err);
    size_t n = job->n_inputs + job->n_files;
    sh_path_input *in = rc ? NULL : calloc(n, sizeof *in);
    if (!rc && !in)
        rc = sh_err_nomem(err);
    for (size_t i = 0; in && i < n; i++)
        in[i] = (sh_path_input){"the input",
                                i < job->n_inputs ? job->inputs[i]
                                                  : job->files[i - job->n_inputs]};
    if (!rc)
        rc = sh_path_output(o->final, sizeof o->final, "import -o", path, in, n, err);
    free(in);
    if (rc)
        return rc;
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", o->final, (long)getpid());
    if (!(o->f = fopen(o->tmp, "w"))) {
        o->tmp[0] = '\0';
        return sh_err_set(err, SH_E_IO, "%s: %s", o->final, strerror(errno));
    }
    return 0;
}

static int out_close(out_file *o, sh_err *err)
{
    int bad = ferror(o->f) != 0;
    bad |= fclose(o->f) != 0;
    o->f = NULL;
    return bad ? sh_err_set(err, SH_E_IO, "%s: write error", o->final) : 0;
}

/* Writes rows of w fields under a header. */
static void put_table(FILE *f, const char *const *head, size_t w, char *const *cells, size_t n)
{
    for (size_t k = 0; k < w; k++)
        put_field(f, head[k], k == 0);
    fputc('\n', f);
    for (size_t r = 0; r < n; r++) {
        for (size_t k = 0; k < w; k++)
            put_field(f, cells[r * w + k], k == 0);
        fputc('\n', f);
    }
}

/* Writes manifest.csv, pairs.csv (when there are pairs) and card.yaml
 * (unless one is there) into dir: all of them or none. *out_kept is set
 * when an existing card was kept. */
static int write_outputs(int *out_kept, const sh_import_job *job, const sh_importer *imp,
                         const char *dir, const char *root, sh_err *err)
{
    int rc = sh_path_mkdirs(dir, err);
    if (rc)
        return rc;
    const sh_import_manifest *m = &job->m;
    const char *head[3 + SH_IMPORT_MAX_ATTRS] = {"image_id", "subject_id", "path"};
    for (size_t k = 0; k < m->n_attrs; k++)
        head[3 + k] = m->attr_names[k];
    static const char *const pair_head[] = {"reference_id", "probe_id", "fold"};
    out_file files[3];
    memset(files, 0, sizeof files);
    rc = out_open(&files[0], job, dir, "manifest.csv", err);
    if (!rc) {
        put_table(files[0].f, head, 3 + m->n_attrs, m->rows, m->n);
        rc = out_close(&files[0], err);
    }
    if (!rc && job->p.n) {
        rc = out_open(&files[1], job, dir, "pairs.csv", err);
        if (!rc) {
            put_table(files[1].f, pair_head, 3, job->p.cells, job->p.n);
            rc = out_close(&files[1], err);
        }
    }
    char card[PATH_MAX], sha[SH_SHA256_HEX];
    struct stat st;
    if (!rc)
        rc = sh_path_join(card, sizeof card, dir, "card.yaml", err);
    *out_kept = !rc && lstat(card, &st) == 0;
    if (!rc && !*out_kept) {
        rc = sh_sha256_file(sha, files[0].tmp, err);
        if (!rc)
            rc = out_open(&files[2], job, dir, "card.yaml", err);
        if (!rc && sh_import_card_write(files[2].f, imp, root, sha)) {
            fclose(files[2].f);
            files[2].f = NULL;
            rc = sh_err_set(err, SH_E_IO, "%s: write error", files[2].final);
        }
        if (!rc)
            rc = out_close(&files[2], err);
    }
    for (int i = 0; i < 3; i++) {
        if (files[i].f)
            fclose(files[i].f);
        if (!files[i].tmp[0])
            continue;
        if (rc)
            remove(files[i].tmp);
        else if (rename(files[i].tmp, files[i].final) != 0)
            rc = sh_err_set(err, SH_E_IO, "%s: %s", files[i].final, strerror(errno));
    }
    return rc;
}

/* The dataset root as an absolute path: --images, or by default the
 * first input's own folder (utkface, or rfw given a folder) or the folder
 * the input file is in. */
static int find_root(char *out, size_t cap, const sh_import_options *o, sh_err *err)
{
    char dir[PATH_MAX];
    struct stat st;
    int rc = 0;
    if (o->images)
        rc = sh_path_join(dir, sizeof dir, "", o->images, err);
    else if (stat(o->inputs[0], &st) == 0 && S_ISDIR(st.st_mode))
        rc = sh_path_join(dir, sizeof dir, "", o->inputs[0], err);
    else
        rc = sh_path_dirname(dir, sizeof dir, o->inputs[0], err);
    if (rc)
        return rc;
    char real[PATH_MAX], cwd[PATH_MAX];
    if (realpath(dir, real))
        return sh_path_join(out, cap, "", real, err);
    if (dir[0] == '/')
        return sh_path_join(out, cap, "", dir, err);
    if (!getcwd(cwd, sizeof cwd))
        return sh_err_set(err, SH_E_IO, "import: cannot find the working directory: %s",
                              strerror(errno));
    return sh_path_join(out, cap, cwd, dir, err);
}

int sh_import(sh_import_result *out, const sh_import_options *o, sh_err *err)
{
    memset(out, 0, sizeof *out);
    if (o->n_inputs == 0)
        return sh_err_set(err, SH_E_INPUT, "import: no input");
    const sh_importer *imp = sh_importer_find(o->format);
    sh_import_job job = {.inputs = o->inputs,
                         .n_inputs = o->n_inputs,
                         .input = o->inputs[0],
                         .race = o->race,
                         .log = o->log};
    char names[256];
    int rc = 0;
    if (o->n_inputs > 1 && !(imp && imp->takes & SH_IMPORT_TAKES_INPUTS))
        rc = sh_err_set(err, SH_E_INPUT, "import: %s reads one input, not %zu",
                            o->format, o->n_inputs);
    if (!rc && !imp)
        rc = sh_err_set(err, SH_E_INPUT, "import: unknown format '%s' (one of %s)",
                            o->format, join_names(names, sizeof names, 0, 0, ", ", ", "));
    if (!rc)
        rc = imp->read(&job, err);
    if (!rc && o->race && !(imp->takes & SH_IMPORT_TAKES_RACE))
        rc = sh_err_set(err, SH_E_INPUT, "import: --race is for %s only",
                            join_names(names, sizeof names, 0, SH_IMPORT_TAKES_RACE, ", ",
                                       " and "));
    if (!rc)
        rc = find_root(out->root, sizeof out->root, o, err);
    if (!rc)
        rc = write_outputs(&out->card_kept, &job, imp, o->out_dir, out->root, err);
    if (!rc) {
        out->n_images = job.m.n;
        out->n_pairs = job.p.n;
        out->n_files = job.n_read ? job.n_read : job.n_files ? job.n_files : o->n_inputs;
    }
    sh_import_manifest_free(&job.m);
    sh_import_pairs_free(&job.p);
    for (size_t i = 0; i < job.n_files; i++)
        free(job.files[i]);
    free(job.files);
    return rc;
}
