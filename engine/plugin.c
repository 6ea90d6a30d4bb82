#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "names.h"
#include "paths.h"
#include "utf8.h"

int sh_plugin_builtin_dir(char *out, size_t cap, sh_err *err)
{
    const char *env = getenv("SHADES_ADAPTER_DIR");
    if (env && *env) {
        if (strlen(env) >= cap)
            return sh_err_set(err, SH_E_INPUT, "SHADES_ADAPTER_DIR is too long");
        strcpy(out, env);
        return 0;
    }
    char exe[PATH_MAX];
    int rc = sh_path_exe_dir(exe, sizeof exe, err);
    if (rc)
        return rc;
    return sh_path_join(out, cap, exe, "adapters", err);
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static int is_path(const char *spec)
{
    size_t n = strlen(spec);
    return strchr(spec, '/') || (n > 3 && strcmp(spec + n - 3, ".so") == 0);
}

int sh_plugin_resolve(char *out, size_t cap, const char *spec, sh_err *err)
{
    struct stat st;
    if (is_path(spec)) {
        if (strlen(spec) >= cap)
            return sh_err_set(err, SH_E_INPUT, "adapter '%s': path too long", spec);
        if (stat(spec, &st) != 0)
            return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': %s", spec, strerror(errno));
        if (!S_ISREG(st.st_mode))
            return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': not a regular file", spec);
        strcpy(out, spec);
        return 0;
    }
    if (!valid_name(spec))
        return sh_err_set(err, SH_E_INPUT,
                              "adapter '%s': not a built-in name ([a-z0-9_-]) nor a path", spec);
    char dir[PATH_MAX], file[NAME_MAX + 1];
    int rc = sh_plugin_builtin_dir(dir, sizeof dir, err);
    if (rc)
        return rc;
    if ((size_t)snprintf(file, sizeof file, "libshades_adapter_%s.so", spec) >= sizeof file)
        return sh_err_set(err, SH_E_INPUT, "adapter '%s': name too long", spec);
    rc = sh_path_join(out, cap, dir, file, err);
    if (rc)
        return rc;
    if (stat(out, &st) != 0)
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': no built-in adapter of that name (looked for %s)",
                              spec, out);
    return 0;
}

/* Every check on the entry, in the order that makes each one safe. */
static int check_entry(const shades_adapter *e, const char *path, sh_err *err)
{
    /* The first three fields exist in every version of the struct. */
    if (e->abi_major != SHADES_ABI_MAJOR)
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': built for shades ABI %u.%u, this harness speaks %d.x",
                              path, e->abi_major, e->abi_minor, SHADES_ABI_MAJOR);
    if (e->struct_size < SHADES_ADAPTER_SIZE_1_0)
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': entry struct is %u bytes, ABI 1.0 needs at least %zu",
                              path, e->struct_size, (size_t)SHADES_ADAPTER_SIZE_1_0);
    /* The short id results files, reports and messages name it by. */
    size_t name_len = e->name ? strlen(e->name) : 0;
    if (e->name && (!name_len || name_len >= SH_NAME_MAX ||
                    strspn(e->name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != name_len)) {
        char shown[160];
        sh_utf8_printable(shown, sizeof shown, e->name);
        return sh_err_set(err, SH_E_ADAPTER,
                          "adapter '%s': name '%s' is not a short id of 1 to %d of a-z, 0-9, "
                          "'_' and '-' (adapter.h)", path, shown, SH_NAME_MAX - 1);
    }
    const char *missing = !e->name ? "name"
                          : !e->version ? "version"
                          : !e->create ? "create"
                          : !e->destroy ? "destroy"
                          : !e->max_concurrency ? "max_concurrency"
                          : !e->template_size_max ? "template_size_max"
                          : !e->create_template ? "create_template"
                          : !e->compare ? "compare"
                                        : NULL;
    if (missing)
        return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': entry has no %s", path, missing);
    if (!(e->capabilities & SHADES_CAP_VERIFY_11))
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': does not declare 1:1 verification (SHADES_CAP_VERIFY_11)",
                              path);
    return 0;
}

int sh_plugin_open(sh_plugin **out, const char *spec, sh_err *err)
{
    *out = NULL;
    char path[PATH_MAX];
    int rc = sh_plugin_resolve(path, sizeof path, spec, err);
    if (rc)
        return rc;
    /* dlopen searches the library path for a name without a '/', which
     * could load a system library of that name instead of this file. */
    char here[PATH_MAX + 2];
    snprintf(here, sizeof here, "%s%s", strchr(path, '/') ? "" : "./", path);
    dlerror();
    void *h = dlopen(here, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        const char *colon = why ? strrchr(why, ':') : NULL;
        return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': not a loadable shared library (%s)",
                              path, colon ? colon + 2 : "unknown reason");
    }
    const shades_adapter *entry = dlsym(h, SHADES_ADAPTER_ENTRY_SYMBOL);
    if (!entry) {
        dlclose(h);
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': not a shades adapter (no symbol %s)", path,
                              SHADES_ADAPTER_ENTRY_SYMBOL);
    }
    rc = check_entry(entry, path, err);
    if (rc) {
        dlclose(h);
        return rc;
    }
    sh_plugin *p = calloc(1, sizeof *p);
    char *copy = strdup(path);
    if (!p || !copy) {
        free(p);
        free(copy);
        dlclose(h);
        return sh_err_nomem(err);
    }
    p->handle = h;
    p->entry = entry;
    p->path = copy;
    *out = p;
    return 0;
}

void sh_plugin_close(sh_plugin *plugin)
{
    if (!plugin)
        return;
    dlclose(plugin->handle);
    free(plugin->path);
    free(plugin);
}
