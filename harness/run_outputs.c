#include "run_outputs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "plugin.h"

/* Whether the regular file at path is one of m's images; *out_item is its
 * item. A file that starts as HDF5 does (an earlier results file, the
 * usual case) is none, so the images are examined only when it is not. */
static int is_image(size_t *out_item, const char *path, const sh_manifest *m)
{
    struct stat out, st;
    unsigned char head[8] = {0};
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (stat(path, &out) != 0 ||
        (got == sizeof head && !memcmp(head, "\x89HDF\r\n\x1a\n", sizeof head)))
        return 0;
    char image[PATH_MAX];
    for (size_t i = 0; i < m->n_items; i++) {
        const char *p = m->image_path[i];
        int n = p[0] == '/' ? snprintf(image, sizeof image, "%s", p)
                            : snprintf(image, sizeof image, "%s/%s", m->root, p);
        if (n > 0 && (size_t)n < sizeof image && stat(image, &st) == 0 &&
            st.st_dev == out.st_dev && st.st_ino == out.st_ino) {
            *out_item = i;
            return 1;
        }
    }
    return 0;
}

/* path made absolute (against the working directory) with its "." and
 * ".." parts and doubled slashes taken out, by its text alone: the results
 * and the checkpoint may neither exist yet. */
static void absolute(char out[PATH_MAX], const char *path)
{
    char full[2 * PATH_MAX], cwd[PATH_MAX] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    snprintf(full, sizeof full, "%s/%s", cwd, path);
    size_t len = 0;
    out[0] = '\0';
    for (char *part = strtok(full, "/"); part; part = strtok(NULL, "/")) {
        if (!strcmp(part, "."))
            continue;
        if (!strcmp(part, "..")) {
            while (len && out[len - 1] != '/')
                len--;
            len = len ? len - 1 : 0;
            out[len] = '\0';
            continue;
        }
        int n = snprintf(out + len, PATH_MAX - len, "/%s", part);
        if (n < 0 || (size_t)n >= PATH_MAX - len)
            break;
        len += (size_t)n;
    }
    if (!len)
        snprintf(out, PATH_MAX, "/");
}

/* Whether the results at `at` would lie in the checkpoint folder `ck`, by
 * their text or, where both exist, by the folders they resolve to. */
static int in_checkpoint(const char *at, const char *ck)
{
    char a[PATH_MAX], k[PATH_MAX], dir[PATH_MAX], real_dir[PATH_MAX];
    absolute(a, at);
    absolute(k, ck);
    if (sh_path_within(a, k))
        return 1;
    sh_err ignore = {0};
    return !sh_path_dirname(dir, sizeof dir, at, &ignore) && realpath(dir, real_dir) &&
           realpath(ck, k) && sh_path_within(real_dir, k);
}

int sh_run_outputs_check(char *out, size_t cap, const sh_config *c, const sh_manifest *m,
                         const sh_run_reads *reads, sh_err *err)
{
    const char *results = reads->results_path ? reads->results_path : c->output.results;
    const sh_cfg_engine *e = &c->engine;
    int replay = !strcmp(e->adapter, SH_REPLAY);
    const sh_cfg_candidates *cand = replay ? e->candidates : NULL;
    char lib[PATH_MAX] = "";
    sh_err ignore = {0};
    if (!replay && sh_plugin_resolve(lib, sizeof lib, e->adapter, &ignore))
        lib[0] = '\0'; /* the engine's load says why */
    const sh_path_input fixed[] = {
        {"the config", c->path},
        {"the manifest", m->path},
        {"the dataset card", c->dataset.card},
        {"the model card", e->model_card},
        {"the service description", e->service},
        {"the adapter", lib[0] ? lib : NULL},
        {"the pair list", c->verification.pairs ? c->verification.pairs->file : NULL},
        {"the replayed file", sh_config_replayed(e)},
        {"the replay's gallery", cand ? cand->gallery : NULL},
        {"the signing key", reads->sign_key},
        {"the results file compared with", reads->expect_from},
    };
    size_t n_fixed = sizeof fixed / sizeof *fixed, n = n_fixed + reads->n_model_files;
    sh_path_input *in = malloc(n * sizeof *in);
    if (!in)
        return sh_err_nomem(err);
    memcpy(in, fixed, sizeof fixed);
    /* The model files under engine.config_dir: an option's value naming a
     * file elsewhere is recorded too, but may be anything the engine is told
     * of (the containment tests give it the results file itself to reach). */
    char models[PATH_MAX];
    int has_dir = e->config_dir && realpath(e->config_dir, models);
    size_t n_in = n_fixed;
    for (size_t i = 0; has_dir && i < reads->n_model_files; i++)
        if (sh_path_within(reads->model_files[i].path, models))
            in[n_in++] = (sh_path_input){"the engine's model file", reads->model_files[i].path};
    char what[PATH_MAX + 64];
    if (reads->results_path)
        snprintf(what, sizeof what, "results");
    else
        snprintf(what, sizeof what, "%s:%u: field 'output.results'", c->path,
                 sh_config_line(c, "output", "results"));
    int rc = sh_path_output(out, cap, what, results, in, n_in, err);
    free(in);
    size_t item;
    if (!rc && is_image(&item, out, m))
        rc = sh_err_set(err, SH_E_INPUT,
                        "%s: '%s' is the image of %s line %zu; writing there would destroy it",
                        what, results, m->path, m->line[item]);
    if (!rc && c->output.checkpoint && in_checkpoint(out, c->output.checkpoint))
        rc = sh_err_set(err, SH_E_INPUT,
                        "%s: '%s' lies in output.checkpoint '%s', which a completed run "
                        "deletes; keep them apart", what, results, c->output.checkpoint);
    /* A folder the run may not write in is found now, not after the run. */
    char dir[PATH_MAX];
    if (!rc && !sh_path_dirname(dir, sizeof dir, out, err) && access(dir, F_OK) == 0 &&
        access(dir, W_OK | X_OK) != 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: cannot write in %s: %s", what, dir,
                        strerror(errno));
    return rc;
}
