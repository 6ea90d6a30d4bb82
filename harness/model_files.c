#include "model_files.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "sha256.h"

typedef struct {
    sh_model_file *rows;
    size_t n, cap;
    const sh_config *config;
} collect;

/* path made absolute against the working directory (not resolving links,
 * so the recorded path is the one the engine is given). */
static int absolute(char *out, size_t cap, const char *path, sh_err *err)
{
    char cwd[PATH_MAX] = "/";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        return sh_err_set(err, SH_E_IO, "cannot read the working directory: %s",
                          strerror(errno));
    return sh_path_join(out, cap, cwd, path, err);
}

static int field_error(const collect *c, const char *key, sh_err *err, const char *why)
{
    return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'engine.%s': %s", c->config->path,
                      sh_config_line(c->config, "engine", key), key, why);
}

static int add(collect *c, const char *path, const char *key, sh_err *err)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        sh_model_file *rows = realloc(c->rows, cap * sizeof *rows);
        if (!rows)
            return sh_err_nomem(err);
        c->rows = rows;
        c->cap = cap;
    }
    sh_model_file *m = &c->rows[c->n];
    memset(m, 0, sizeof *m);
    char abs[PATH_MAX];
    int rc = absolute(abs, sizeof abs, path, err);
    if (!rc && strlen(abs) >= sizeof m->path) {
        char why[256];
        snprintf(why, sizeof why, "a model file's path is longer than %zu bytes",
                 sizeof m->path - 1);
        return field_error(c, key, err, why);
    }
    if (rc)
        return rc;
    memcpy(m->path, abs, strlen(abs) + 1);
    c->n++;
    return 0;
}

/* Regular files under dir (symbolic links to files count; links to
 * directories are not followed). */
static int walk(collect *c, const char *dir, sh_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'engine.config_dir': %s: %s",
                          c->config->path, sh_config_line(c->config, "engine", "config_dir"),
                          dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[PATH_MAX];
        struct stat st, lst;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) {
            rc = field_error(c, "config_dir", err, "a path under it is too long");
            break;
        }
        if (lstat(path, &lst) != 0)
            continue;
        if (S_ISDIR(lst.st_mode))
            rc = walk(c, path, err);
        else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (c->n >= SH_MODEL_FILES_MAX) {
                char why[256];
                snprintf(why, sizeof why,
                         "holds more than %d files; shades records each one's SHA-256 "
                         "(docs/attestation.md): point it at the engine's model files only",
                         SH_MODEL_FILES_MAX);
                rc = field_error(c, "config_dir", err, why);
            } else
                rc = add(c, path, "config_dir", err);
        }
    }
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const sh_model_file *)a)->path, ((const sh_model_file *)b)->path);
}

int sh_model_files_collect(sh_model_file **out, size_t *n, const sh_config *config,
                           sh_err *err)
{
    *out = NULL;
    *n = 0;
    collect c = {.config = config};
    const char *dir = config->engine.config_dir;
    int rc = dir ? walk(&c, dir, err) : 0;
    for (unsigned i = 0; !rc && i < config->engine.options_count; i++) {
        const char *eq = strchr(config->engine.options[i], '=');
        if (!eq || !eq[1])
            continue;
        char path[PATH_MAX];
        struct stat st;
        const char *value = eq + 1;
        /* As adapters/opencv/dnn resolves a model path. */
        if ((size_t)snprintf(path, sizeof path, "%s%s%s", value[0] == '/' || !dir ? "" : dir,
                             value[0] == '/' || !dir ? "" : "/", value) >= sizeof path)
            continue;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            rc = add(&c, path, "options", err);
    }
    if (!rc && c.n)
        qsort(c.rows, c.n, sizeof *c.rows, by_path);
    size_t kept = 0;
    for (size_t i = 0; !rc && i < c.n; i++)
        if (!kept || strcmp(c.rows[kept - 1].path, c.rows[i].path))
            c.rows[kept++] = c.rows[i];
    c.n = rc ? 0 : kept;
    for (size_t i = 0; !rc && i < c.n; i++) {
        struct stat st;
        rc = sh_sha256_file(c.rows[i].sha256, c.rows[i].path, err);
        if (!rc && stat(c.rows[i].path, &st) == 0)
            c.rows[i].bytes = (uint64_t)st.st_size;
    }
    if (rc) {
        free(c.rows);
        return rc;
    }
    *out = c.rows;
    *n = c.n;
    return 0;
}

int sh_model_files_check(const sh_model_file *expect, size_t n, const char *from, sh_err *err)
{
    for (size_t i = 0; i < n; i++) {
        char sha[SH_SHA256_HEX];
        if (access(expect[i].path, R_OK) != 0)
            return sh_err_set(err, SH_E_INPUT,
                              "rerun %s: model file %s that the file records is missing; "
                              "refusing",
                              from, expect[i].path);
        int rc = sh_sha256_file(sha, expect[i].path, err);
        if (rc)
            return rc;
        if (strcmp(sha, expect[i].sha256))
            return sh_err_set(err, SH_E_INPUT,
                              "rerun %s: model file %s (sha256 %s) is not the one the file "
                              "records; refusing",
                              from, expect[i].path, sha);
    }
    return 0;
}
