#include "image_dir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "paths.h"

/* Deepest subdirectory followed below the given directory. */
#define MAX_DEPTH 16

/* A growing list of paths. */
typedef struct list {
    char **v;
    size_t n, cap;
} list;

static int is_image_name(const char *name)
{
    static const char *const ext[] = {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm"};
    const char *dot = strrchr(name, '.');
    for (size_t k = 0; dot && k < sizeof ext / sizeof ext[0]; k++)
        if (strcasecmp(dot, ext[k]) == 0)
            return 1;
    return 0;
}

static int push(list *l, const char *path, sh_err *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return sh_err_nomem(err);
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(path)))
        return sh_err_nomem(err);
    l->n++;
    return 0;
}

/* Adds the image files under dir (depth levels down so far) to l. */
static int walk(list *l, const char *dir, int depth, sh_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sh_err_set(err, SH_E_INPUT, "--images %s: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        struct stat st;
        rc = sh_path_join(path, sizeof path, dir, e->d_name, err);
        if (rc || lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
            rc = walk(l, path, depth + 1, err);
        else if (S_ISREG(st.st_mode) && is_image_name(e->d_name))
            rc = push(l, path, err);
    }
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sh_image_dir_list(char ***out, size_t *out_n, const char *dir, sh_err *err)
{
    *out = NULL;
    *out_n = 0;
    list l = {0};
    int rc = walk(&l, dir, 0, err);
    if (rc) {
        sh_image_dir_free(l.v, l.n);
        return rc;
    }
    if (l.n) /* qsort's array may not be NULL, even empty */
        qsort(l.v, l.n, sizeof *l.v, by_path);
    *out = l.v;
    *out_n = l.n;
    return 0;
}

void sh_image_dir_free(char **paths, size_t n)
{
    for (size_t k = 0; paths && k < n; k++)
        free(paths[k]);
    free(paths);
}
