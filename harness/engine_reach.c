#include "engine_reach.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "plugin.h"
#include "sandbox.h"

/* The folders an isolated engine may read. */
typedef struct reach {
    char adapter_dir[PATH_MAX];
    char config_dir[PATH_MAX]; /* "" without engine.config_dir */
} reach;

/* The folder of r (or a system folder) that `path` lies in, with why the
 * engine may read it into *out_why; NULL when none, or path is not there. */
static const char *reachable(const char **out_why, const reach *r, const char *path)
{
    char at[PATH_MAX];
    if (!path || !realpath(path, at))
        return NULL;
    if (sh_path_within(at, r->adapter_dir)) {
        *out_why = "the adapter's folder";
        return r->adapter_dir;
    }
    if (r->config_dir[0] && sh_path_within(at, r->config_dir)) {
        *out_why = "engine.config_dir";
        return r->config_dir;
    }
    *out_why = "every isolated engine reads the system's library folders";
    return sh_sandbox_system_dir(at);
}

int sh_engine_reach_check(const sh_config *c, const sh_manifest *m, sh_err *err)
{
    reach r = {.config_dir = ""};
    char lib[PATH_MAX], real[PATH_MAX];
    /* An adapter that cannot be found is the instance's to report. */
    if (sh_plugin_resolve(lib, sizeof lib, c->engine.adapter, NULL) || !realpath(lib, real) ||
        sh_path_dirname(r.adapter_dir, sizeof r.adapter_dir, real, NULL))
        return 0;
    if (c->engine.config_dir && !realpath(c->engine.config_dir, r.config_dir))
        r.config_dir[0] = '\0';
    const struct {
        const char *path, *section, *key;
    } data[] = {
        {c->dataset.manifest, "dataset", "manifest"},
        {c->dataset.card, "dataset", "card"},
        {m->root, "dataset", c->dataset.root ? "root" : "manifest"},
    };
    const char *why = NULL, *dir;
    for (size_t k = 0; k < sizeof data / sizeof data[0]; k++)
        if ((dir = reachable(&why, &r, data[k].path)))
            return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field '%s.%s': %s%s lies in %s, which the isolated engine "
                              "may read (%s): it could read the labels there; keep the dataset "
                              "out of the engine's folders (docs/isolation.md)",
                              c->path, sh_config_line(c, data[k].section, data[k].key),
                              data[k].section, data[k].key, data[k].path,
                              k == 2 ? " (the images' folder)" : "", dir, why);
    /* Images the manifest names outside the root (allow_outside_root):
     * each where it lies. */
    for (size_t i = 0; c->dataset.allow_outside_root && i < m->n_items; i++) {
        char joined[PATH_MAX];
        const char *p = m->image_path[i];
        if (p[0] != '/' && (size_t)snprintf(joined, sizeof joined, "%s/%s", m->root, p) >=
                               sizeof joined)
            continue;
        if ((dir = reachable(&why, &r, p[0] == '/' ? p : joined)))
            return sh_err_set(err, SH_E_INPUT,
                              "%s:%zu: field 'path': %s lies in %s, which the isolated engine "
                              "may read (%s): it could read the other images and their names "
                              "there; keep the dataset out of the engine's folders "
                              "(docs/isolation.md)",
                              m->path, m->line[i], p, dir, why);
    }
    return 0;
}
