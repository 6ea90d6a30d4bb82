#include "engine_reach.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "plugin.h"
#include "sandbox.h"

int sh_engine_reach_check(const sh_config *c, const sh_manifest *m, sh_err *err)
{
    char lib[PATH_MAX], real[PATH_MAX], adapter_dir[PATH_MAX], config_dir[PATH_MAX] = "";
    /* An adapter that cannot be found is the instance's to report. */
    if (sh_plugin_resolve(lib, sizeof lib, c->engine.adapter, NULL) || !realpath(lib, real) ||
        sh_path_dirname(adapter_dir, sizeof adapter_dir, real, NULL))
        return 0;
    if (c->engine.config_dir && !realpath(c->engine.config_dir, config_dir))
        config_dir[0] = '\0';
    const struct {
        const char *path, *section, *key;
    } data[] = {
        {c->dataset.manifest, "dataset", "manifest"},
        {c->dataset.card, "dataset", "card"},
        {m->root, "dataset", c->dataset.root ? "root" : "manifest"},
    };
    for (size_t k = 0; k < sizeof data / sizeof data[0]; k++) {
        char at[PATH_MAX];
        if (!data[k].path || !realpath(data[k].path, at))
            continue;
        const char *system = sh_sandbox_system_dir(at);
        const char *dir = sh_path_within(at, adapter_dir)                    ? adapter_dir
                          : config_dir[0] && sh_path_within(at, config_dir) ? config_dir
                                                                             : system;
        if (!dir)
            continue;
        return sh_err_set(err, SH_E_INPUT,
                          "%s:%u: field '%s.%s': %s%s lies in %s, which the isolated engine "
                          "may read (%s): it could read the labels there; keep the dataset "
                          "out of the engine's folders (docs/isolation.md)",
                          c->path, sh_config_line(c, data[k].section, data[k].key),
                          data[k].section, data[k].key, data[k].path,
                          k == 2 ? " (the images' folder)" : "", dir,
                          dir == adapter_dir  ? "the adapter's folder"
                          : dir == system     ? "every isolated engine reads the system's "
                                                "library folders"
                                              : "engine.config_dir");
    }
    /* Images the manifest names outside the root (allow_outside_root):
     * each where it lies. */
    for (size_t i = 0; c->dataset.allow_outside_root && i < m->n_items; i++) {
        char joined[PATH_MAX], at[PATH_MAX];
        const char *p = m->image_path[i];
        if (p[0] != '/' && (size_t)snprintf(joined, sizeof joined, "%s/%s", m->root, p) >=
                               sizeof joined)
            continue;
        if (!realpath(p[0] == '/' ? p : joined, at))
            continue;
        const char *system = sh_sandbox_system_dir(at);
        const char *dir = sh_path_within(at, adapter_dir)                    ? adapter_dir
                          : config_dir[0] && sh_path_within(at, config_dir) ? config_dir
                                                                             : system;
        if (!dir)
            continue;
        return sh_err_set(err, SH_E_INPUT,
                          "%s:%zu: field 'path': %s lies in %s, which the isolated engine may "
                          "read (%s): it could read the other images and their names there; "
                          "keep the dataset out of the engine's folders (docs/isolation.md)",
                          m->path, m->line[i], p, dir,
                          dir == adapter_dir  ? "the adapter's folder"
                          : dir == system     ? "every isolated engine reads the system's "
                                                "library folders"
                                              : "engine.config_dir");
    }
    return 0;
}
