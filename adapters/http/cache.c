#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct http_cache {
    char dir[PATH_MAX];
    char export_dir[PATH_MAX]; /* "" when none */
    pthread_mutex_t lock;      /* one index line at a time */
};

int http_private_dir(const char *dir, const char *what, sh_err *err)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return sh_err_set(err, SH_E_INPUT, "%s folder '%s': path too long", what, dir);
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(path, 0700) && errno != EEXIST)
                return sh_err_set(err, SH_E_IO, "%s folder '%s': cannot create '%s': %s", what,
                                  dir, path, strerror(errno));
            *p = '/';
        }
    if (mkdir(path, 0700) && errno != EEXIST)
        return sh_err_set(err, SH_E_IO, "%s folder '%s': cannot create it: %s", what, dir,
                          strerror(errno));
    struct stat st;
    if (stat(path, &st) || !S_ISDIR(st.st_mode))
        return sh_err_set(err, SH_E_IO, "%s folder '%s': not a folder", what, dir);
    if (st.st_uid != geteuid())
        return sh_err_set(err, SH_E_INPUT, "%s folder '%s': owned by another user (uid %u)",
                          what, dir, (unsigned)st.st_uid);
    if (st.st_mode & 077)
        return sh_err_set(err, SH_E_INPUT, "%s folder '%s': others may read it (mode %04o); "
                          "the responses describe people's faces: chmod 700 it", what, dir,
                          (unsigned)(st.st_mode & 07777));
    if (access(path, W_OK | X_OK))
        return sh_err_set(err, SH_E_IO, "%s folder '%s': not writable: %s", what, dir,
                          strerror(errno));
    return 0;
}

int http_cache_open(http_cache **out, const char *dir, const char *export_dir, sh_err *err)
{
    *out = NULL;
    int rc = http_private_dir(dir, "cache", err);
    if (!rc && export_dir && *export_dir)
        rc = http_private_dir(export_dir, "export", err);
    if (rc)
        return rc;
    http_cache *c = calloc(1, sizeof *c);
    if (!c)
        return sh_err_nomem(err);
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    snprintf(c->export_dir, sizeof c->export_dir, "%s", export_dir ? export_dir : "");
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return 0;
}

void http_cache_close(http_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const char *http_cache_dir(const http_cache *c)
{
    return c->dir;
}

int http_file_write(const char *dir, const char *name, const void *data, size_t size,
                    sh_err *err)
{
    char path[PATH_MAX + 256], tmp[PATH_MAX + 320];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.%ld.%lx.tmp", dir, name, (long)getpid(),
             (unsigned long)pthread_self());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return sh_err_set(err, SH_E_IO, "cannot write '%s': %s", tmp, strerror(errno));
    const char *p = data;
    size_t left = size;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return sh_err_set(err, SH_E_IO, "cannot write '%s': %s", tmp, strerror(e));
        }
        p += w;
        left -= (size_t)w;
    }
    if (close(fd) || rename(tmp, path)) {
        int e = errno;
        unlink(tmp);
        return sh_err_set(err, SH_E_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

int http_file_read(char **out, size_t *out_size, const char *dir, const char *name,
                   sh_err *err)
{
    *out = NULL;
    *out_size = 0;
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? 0
                               : sh_err_set(err, SH_E_IO, "cannot read '%s': %s", path,
                                            strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4097 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return sh_err_nomem(err);
            }
            buf = b;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return sh_err_set(err, SH_E_IO, "cannot read '%s'", path);
    }
    buf[n] = 0;
    *out = buf;
    *out_size = n;
    return 1;
}

int http_cache_get(char **out, size_t *out_size, time_t *out_when, http_cache *c,
                   const char *key, sh_err *err)
{
    char name[80];
    snprintf(name, sizeof name, "%s.json", key);
    int rc = http_file_read(out, out_size, c->dir, name, err);
    if (rc == 1) {
        char path[PATH_MAX + 96];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", c->dir, name);
        *out_when = stat(path, &st) ? time(NULL) : st.st_mtime;
    }
    return rc;
}

static int append_line(http_cache *c, const char *dir, const char *file, const char *line,
                       sh_err *err)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    pthread_mutex_lock(&c->lock);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int rc = 0;
    if (fd < 0) {
        rc = sh_err_set(err, SH_E_IO, "cannot append to '%s': %s", path, strerror(errno));
    } else {
        size_t n = strlen(line);
        char *buf = malloc(n + 1);
        if (!buf) {
            rc = sh_err_nomem(err);
        } else {
            memcpy(buf, line, n);
            buf[n] = '\n';
            /* One write, so concurrent runs' lines never interleave. */
            if (write(fd, buf, n + 1) != (ssize_t)(n + 1))
                rc = sh_err_set(err, SH_E_IO, "cannot append to '%s': %s", path,
                                strerror(errno));
            free(buf);
        }
        close(fd);
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int http_cache_put(http_cache *c, const char *key, const char *body, size_t size,
                   const char *index, sh_err *err)
{
    char name[80];
    snprintf(name, sizeof name, "%s.json", key);
    int rc = http_file_write(c->dir, name, body, size, err);
    return rc ? rc : append_line(c, c->dir, "index.tsv", index, err);
}

int http_cache_export(http_cache *c, const char *key, const char *body, size_t size,
                      const char *index, sh_err *err)
{
    if (!c->export_dir[0])
        return 0;
    char name[80];
    snprintf(name, sizeof name, "%s.json", key);
    int rc = http_file_write(c->export_dir, name, body, size, err);
    return rc ? rc : append_line(c, c->export_dir, "responses.tsv", index, err);
}
