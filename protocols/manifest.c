#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_rows.h"
#include "image.h"
#include "paths.h"
#include "utf8.h"

#define REQUIRED 3
static const char *const required[REQUIRED] = {"image_id", "subject_id", "path"};

/* Loader state shared with the row callback. */
typedef struct reader {
    sh_manifest *m;
    int header_done;
    size_t n_cols;         /* header columns */
    int col_index[REQUIRED];
    char **header;         /* kept: attribute names are borrowed from it */
    size_t cap_items;
} reader;

static int take_header(reader *r, char **fields, size_t n, sh_err *err)
{
    sh_manifest *m = r->m;
    for (size_t i = 0; i < n; i++) {
        if (!fields[i][0])
            return sh_err_set(err, SH_E_INPUT, "header: column %zu has no name", i + 1);
    }
    for (int k = 0; k < REQUIRED; k++)
        if ((r->col_index[k] = sh_csv_column(fields, n, required[k])) < 0)
            return sh_err_set(err, SH_E_INPUT, "header: missing required column '%s'%s",
                              required[k], sh_csv_separator_hint(fields, n));
    r->header = calloc(n, sizeof *r->header);
    m->n_attrs = n - REQUIRED;
    m->attr_names = calloc(m->n_attrs ? m->n_attrs : 1, sizeof *m->attr_names);
    if (!r->header || !m->attr_names)
        return sh_err_nomem(err);
    r->n_cols = n;
    size_t a = 0;
    for (size_t i = 0; i < n; i++) {
        r->header[i] = fields[i];
        fields[i] = NULL;
        int is_required = 0;
        for (int k = 0; k < REQUIRED; k++)
            is_required |= r->col_index[k] == (int)i;
        if (!is_required)
            m->attr_names[a++] = r->header[i];
    }
    r->header_done = 1;
    return 0;
}

static int grow_items(reader *r)
{
    sh_manifest *m = r->m;
    if (m->n_items < r->cap_items)
        return 0;
    size_t cap = r->cap_items ? r->cap_items * 2 : 256;
    char ***lists[] = {&m->image_id, &m->subject_id, &m->image_path};
    for (size_t i = 0; i < 3; i++) {
        char **grown = realloc(*lists[i], cap * sizeof **lists[i]);
        if (!grown)
            return -1;
        *lists[i] = grown;
    }
    char **vals = realloc(m->attr_values, cap * (m->n_attrs ? m->n_attrs : 1) * sizeof *vals);
    if (!vals)
        return -1;
    m->attr_values = vals;
    size_t *lines = realloc(m->line, cap * sizeof *lines);
    if (!lines)
        return -1;
    m->line = lines;
    r->cap_items = cap;
    return 0;
}

static int on_row(void *ctx, char **fields, size_t n, size_t line, sh_err *err)
{
    reader *r = ctx;
    if (!r->header_done)
        return take_header(r, fields, n, err);
    if (n != r->n_cols)
        return sh_err_set(err, SH_E_INPUT, "row has %zu fields, the header has %zu", n,
                              r->n_cols);
    for (int k = 0; k < REQUIRED; k++)
        if (!fields[r->col_index[k]][0])
            return sh_err_set(err, SH_E_INPUT, "field '%s': empty", required[k]);
    /* Ids, labels and paths are printed in tables and reports: a control
     * character (a line break in a quoted field, a terminal escape) there
     * would forge lines or rewrite a terminal. */
    for (size_t c = 0; c < n; c++) {
        int ctl = sh_utf8_control(fields[c]);
        if (ctl >= 0)
            return sh_err_set(err, SH_E_INPUT, "field '%s': control character 0x%02x (ids, "
                              "labels and paths are printed in tables and reports)",
                              r->header[c], ctl);
    }
    if (grow_items(r))
        return sh_err_nomem(err);
    sh_manifest *m = r->m;
    size_t i = m->n_items, a = 0;
    for (size_t c = 0; c < r->n_cols; c++) {
        char *v = fields[c];
        fields[c] = NULL;
        if ((int)c == r->col_index[0])
            m->image_id[i] = v;
        else if ((int)c == r->col_index[1])
            m->subject_id[i] = v;
        else if ((int)c == r->col_index[2])
            m->image_path[i] = v;
        else
            m->attr_values[i * m->n_attrs + a++] = v;
    }
    m->line[i] = line;
    m->n_items++;
    return 0;
}

static const char *const *sort_keys;

static int cmp_by_key(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_keys[i], sort_keys[j]);
    return c ? c : (i > j) - (i < j);
}

/* Index order sorted by keys; ties keep file order. qsort has no context
 * argument, so this runs under the caller's single thread only. */
static size_t *sorted_order(const sh_manifest *m, char *const *keys)
{
    size_t *order = malloc((m->n_items ? m->n_items : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < m->n_items; i++)
        order[i] = i;
    sort_keys = (const char *const *)keys;
    qsort(order, m->n_items, sizeof *order, cmp_by_key);
    return order;
}

/* The first item, in order (sorted by keys), whose key its predecessor
 * shares: its place k in order, or 0 when every key is once. */
static size_t first_repeat(const size_t *order, size_t n, char *const *keys)
{
    for (size_t k = 1; k < n; k++)
        if (strcmp(keys[order[k - 1]], keys[order[k]]) == 0)
            return k;
    return 0;
}

static int index_items(sh_manifest *m, const char *path, sh_err *err)
{
    size_t *order = sorted_order(m, m->image_id), k;
    if (!order)
        return sh_err_nomem(err);
    if ((k = first_repeat(order, m->n_items, m->image_id))) {
        int rc = sh_err_set(err, SH_E_INPUT,
                            "%s:%zu: field 'image_id': duplicate '%s' (first on line %zu)", path,
                            m->line[order[k]], m->image_id[order[k]], m->line[order[k - 1]]);
        free(order);
        return rc;
    }
    m->by_id = order;
    /* One file under two image_ids would be compared with itself as a
     * genuine pair of its subject. */
    order = sorted_order(m, m->image_path);
    if (!order)
        return sh_err_nomem(err);
    if ((k = first_repeat(order, m->n_items, m->image_path))) {
        int rc = sh_err_set(err, SH_E_INPUT,
                            "%s:%zu: field 'path': '%s' is the image of line %zu too; an image "
                            "file has one image_id",
                            path, m->line[order[k]], m->image_path[order[k]],
                            m->line[order[k - 1]]);
        free(order);
        return rc;
    }
    free(order);
    order = sorted_order(m, m->subject_id);
    m->subject = malloc(m->n_items * sizeof *m->subject);
    if (!order || !m->subject) {
        free(order);
        return sh_err_nomem(err);
    }
    /* Subjects are numbered in order of first appearance in the file, so
     * numbering does not depend on the spelling of ids. */
    uint32_t *first_seen = malloc(m->n_items * sizeof *first_seen);
    if (!first_seen) {
        free(order);
        return sh_err_nomem(err);
    }
    for (size_t k = 0; k < m->n_items; k++) {
        size_t i = order[k];
        int same = k > 0 && strcmp(m->subject_id[order[k - 1]], m->subject_id[i]) == 0;
        first_seen[i] = same ? first_seen[order[k - 1]] : (uint32_t)i;
    }
    uint32_t *number = malloc(m->n_items * sizeof *number);
    if (!number) {
        free(order);
        free(first_seen);
        return sh_err_nomem(err);
    }
    m->n_subjects = 0;
    for (size_t i = 0; i < m->n_items; i++) {
        if (first_seen[i] == i)
            number[i] = (uint32_t)m->n_subjects++;
        m->subject[i] = number[first_seen[i]];
    }
    free(number);
    free(first_seen);
    free(order);
    return 0;
}

int sh_manifest_load(sh_manifest **out, const char *path, sh_err *err)
{
    *out = NULL;
    sh_manifest *m = calloc(1, sizeof *m);
    char root[PATH_MAX];
    if (!m)
        return sh_err_nomem(err);
    int rc = sh_path_dirname(root, sizeof root, path, err);
    if (rc) {
        free(m);
        return rc;
    }
    m->path = strdup(path);
    m->root = strdup(root);
    reader r = {.m = m};
    rc = m->path && m->root ? sh_csv_read(path, "manifest", on_row, &r, err)
                            : sh_err_nomem(err);
    if (!rc && !r.header_done)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row", path);
    if (!rc && m->n_items == 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: no rows after the header", path);
    if (!rc)
        rc = index_items(m, path, err);
    /* The header's required-column names are not kept; attribute names are. */
    if (r.header) {
        for (size_t i = 0; i < r.n_cols; i++) {
            int keep = 0;
            for (size_t a = 0; a < m->n_attrs && m->attr_names; a++)
                keep |= m->attr_names[a] == r.header[i];
            if (!keep)
                free(r.header[i]);
        }
        free(r.header);
    }
    if (rc) {
        sh_manifest_destroy(m);
        return rc;
    }
    *out = m;
    return 0;
}

void sh_manifest_destroy(sh_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_items; i++) {
        free(m->image_id[i]);
        free(m->subject_id[i]);
        free(m->image_path[i]);
        for (size_t a = 0; a < m->n_attrs; a++)
            free(m->attr_values[i * m->n_attrs + a]);
    }
    if (m->attr_names)
        for (size_t a = 0; a < m->n_attrs; a++)
            free(m->attr_names[a]);
    free(m->attr_names);
    free(m->image_id);
    free(m->subject_id);
    free(m->image_path);
    free(m->attr_values);
    free(m->line);
    free(m->subject);
    free(m->by_id);
    if (m->confined)
        close(m->root_fd);
    free(m->path);
    free(m->root);
    free(m);
}

int sh_manifest_set_root(sh_manifest *m, const char *root, sh_err *err)
{
    char *copy = strdup(root);
    if (!copy)
        return sh_err_nomem(err);
    free(m->root);
    m->root = copy;
    return 0;
}

/* Whether a relative path stays beneath its root, by its words alone. */
static int stays_beneath(const char *p)
{
    if (p[0] == '/')
        return 0;
    long depth = 0;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            depth--;
        else if (n && !(n == 1 && p[0] == '.'))
            depth++;
        if (depth < 0)
            return 0;
        p += n + (p[n] == '/');
    }
    return 1;
}

/* The words every refusal ends with. */
#define ALLOW_HINT "set dataset.allow_outside_root: true in the config to allow it"

int sh_manifest_confine(sh_manifest *m, sh_err *err)
{
    for (size_t i = 0; i < m->n_items; i++)
        if (!stays_beneath(m->image_path[i]))
            return sh_err_set(err, SH_E_INPUT,
                                  "%s:%zu: field 'path': '%s' is outside the dataset root '%s'; "
                                  ALLOW_HINT, m->path, m->line[i], m->image_path[i], m->root);
    int fd = open(m->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open the dataset root '%s': %s",
                              m->path, m->root, strerror(errno));
    if (m->confined)
        close(m->root_fd);
    m->root_fd = fd;
    m->confined = 1;
    return 0;
}

/* openat2 beneath the root; where the kernel lacks it (before 5.6), the
 * resolved path is compared with the resolved root instead. */
static int open_beneath(const sh_manifest *m, const char *rel)
{
    struct open_how how = {.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, m->root_fd, rel, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS)
        return (int)fd;
    char root[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
    if (!realpath(m->root, root) || snprintf(path, sizeof path, "%s/%s", root, rel) >=
                                        (int)sizeof path || !realpath(path, real))
        return -1;
    /* The root itself is no file beneath it (unless the root is /). */
    if (!sh_path_within(real, root) || (!strcmp(real, root) && strcmp(root, "/"))) {
        errno = EXDEV;
        return -1;
    }
    return open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

/* Why the open file fd cannot be an image, or NULL: a FIFO or a device
 * would block or never end (the open itself did not block: O_NONBLOCK). */
static const char *not_an_image(char *buf, size_t cap, int fd)
{
    struct stat st;
    if (fstat(fd, &st))
        return strerror(errno);
    if (S_ISDIR(st.st_mode))
        return "is a directory, not an image file";
    if (!S_ISREG(st.st_mode))
        return S_ISFIFO(st.st_mode)  ? "is a FIFO, not an image file"
               : S_ISCHR(st.st_mode) ? "is a character device, not an image file"
               : S_ISBLK(st.st_mode) ? "is a block device, not an image file"
                                     : "is a socket or other special file, not an image file";
    if ((uint64_t)st.st_size > SH_IMAGE_MAX_BYTES) {
        snprintf(buf, cap, "is %lld bytes, over the limit of %d MiB an image may have",
                 (long long)st.st_size, SH_IMAGE_MAX_BYTES >> 20);
        return buf;
    }
    /* Reads block again, as a regular file's always could. */
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) ? strerror(errno) : NULL;
}

int sh_manifest_open(int *out, char *out_path, const sh_manifest *m, size_t i,
                         sh_err *err)
{
    const char *rel = m->image_path[i];
    char *path = out_path;
    int rc = sh_path_join(path, PATH_MAX, m->root, rel, err);
    if (rc) {
        char why[SH_ERR_MSG_MAX];
        memcpy(why, err->msg, sizeof why);
        return sh_err_set(err, rc, "%s:%zu: field 'path': %s", m->path, m->line[i], why);
    }
    int fd = m->confined ? open_beneath(m, rel) : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
        char buf[128];
        const char *why = not_an_image(buf, sizeof buf, fd);
        if (!why) {
            *out = fd;
            return 0;
        }
        close(fd);
        return sh_err_set(err, SH_E_INPUT, "%s:%zu: field 'path': %s: %s", m->path,
                              m->line[i], path, why);
    }
    if (errno == EXDEV)
        return sh_err_set(err, SH_E_INPUT,
                              "%s:%zu: field 'path': '%s' leads outside the dataset root '%s' "
                              "through a symbolic link; " ALLOW_HINT,
                              m->path, m->line[i], rel, m->root);
    return sh_err_set(err, SH_E_INPUT, "%s:%zu: field 'path': %s: cannot open image: %s",
                          m->path, m->line[i], path, strerror(errno));
}

int sh_manifest_check_images(const sh_manifest *m, sh_err *err)
{
    char path[PATH_MAX];
    for (size_t i = 0; i < m->n_items; i++) {
        int fd = -1, rc = sh_manifest_open(&fd, path, m, i, err);
        if (rc)
            return rc;
        close(fd);
    }
    return 0;
}

int sh_manifest_attr(const sh_manifest *m, const char *name)
{
    for (size_t a = 0; a < m->n_attrs; a++)
        if (strcmp(m->attr_names[a], name) == 0)
            return (int)a;
    return -1;
}

const char *sh_manifest_value(const sh_manifest *m, size_t i, int attr)
{
    return m->attr_values[i * m->n_attrs + (size_t)attr];
}

long sh_manifest_find(const sh_manifest *m, const char *image_id)
{
    size_t lo = 0, hi = m->n_items;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->image_id[m->by_id[mid]], image_id);
        if (c == 0)
            return (long)m->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
