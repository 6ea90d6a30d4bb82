#include "run_outputs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

/* Whether the regular file at path is one of m's images. Only called when
 * path lies beneath the dataset root, so the images are examined only
 * then. Sets *out_item to the image's item. */
static int is_image(size_t *out_item, const char *path, const sh_manifest *m)
{
    struct stat out, st;
    char real[PATH_MAX], root[PATH_MAX], image[PATH_MAX];
    if (stat(path, &out) != 0 || !realpath(path, real) || !realpath(m->root, root) ||
        !sh_path_within(real, root))
        return 0;
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

int sh_run_outputs_check(char *out, size_t cap, const sh_config *c, const sh_manifest *m,
                         const char *results_path, const char *sign_key,
                         const char *expect_from, sh_err *err)
{
    const char *results = results_path ? results_path : c->output.results;
    const sh_cfg_engine *e = &c->engine;
    const sh_cfg_candidates *cand = strcmp(e->adapter, SH_REPLAY) ? NULL : e->candidates;
    sh_path_input in[] = {
        {"the config", c->path},
        {"the manifest", m->path},
        {"the dataset card", c->dataset.card},
        {"the model card", e->model_card},
        {"the service description", e->service},
        {"the adapter", strchr(e->adapter, '/') ? e->adapter : NULL},
        {"the pair list", c->verification.pairs ? c->verification.pairs->file : NULL},
        {"the replayed file", sh_config_replayed(e)},
        {"the replay's gallery", cand ? cand->gallery : NULL},
        {"the signing key", sign_key},
        {"the results file compared with", expect_from},
    };
    char what[PATH_MAX + 64];
    if (results_path)
        snprintf(what, sizeof what, "results");
    else
        snprintf(what, sizeof what, "%s:%u: field 'output.results'", c->path,
                 sh_config_line(c, "output", "results"));
    int rc = sh_path_output(out, cap, what, results, in, sizeof in / sizeof *in, err);
    /* A folder the run may not write in is found now, not after the run. */
    char dir[PATH_MAX];
    if (!rc && !sh_path_dirname(dir, sizeof dir, out, err) && access(dir, F_OK) == 0 &&
        access(dir, W_OK | X_OK) != 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: cannot write in %s: %s", what, dir,
                        strerror(errno));
    size_t item;
    if (!rc && is_image(&item, out, m))
        rc = sh_err_set(err, SH_E_INPUT,
                        "%s: '%s' is the image of %s line %zu; writing there would destroy it",
                        what, results, m->path, m->line[item]);
    return rc;
}
