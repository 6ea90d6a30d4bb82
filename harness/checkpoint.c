#include "checkpoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "paths.h"

#define MAGIC 0x314b4353u /* "SCK1" */
#define DIGEST 32
/* Seconds between fdatasync calls: a kill loses nothing written, and a
 * power cut loses at most this much work. */
#define SYNC_EVERY 5.0

/* A record's header, as written. */
typedef struct header {
    uint32_t magic, stage;
    uint64_t begin, end, len;
} header;

/* Where a record the resume found lies in the log. */
typedef struct entry {
    uint32_t stage;
    uint64_t begin, end, len;
    uint64_t offset; /* of its header */
} entry;

struct sh_checkpoint {
    char dir[PATH_MAX], log[PATH_MAX], identity[PATH_MAX];
    int fd;                 /* the log */
    int dir_fd;             /* the directory, locked while the run holds it */
    pthread_mutex_t lock;   /* appends and the sync clock */
    double synced;          /* when the log was last synced */
    entry *found;           /* sorted by stage, begin; the last of duplicates */
    size_t n_found;
    atomic_uint_fast64_t restored;
    atomic_uint_fast64_t saved;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int digest(uint8_t out[DIGEST], const header *h, const uint8_t *payload)
{
    unsigned len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(ctx, h, sizeof *h) && EVP_DigestUpdate(ctx, payload, h->len) &&
             EVP_DigestFinal_ex(ctx, out, &len) && len == DIGEST;
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

static int io_error(sh_err *err, const char *path, const char *what)
{
    return sh_err_set(err, SH_E_IO, "checkpoint %s: cannot %s: %s", path, what,
                          strerror(errno));
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_at(int fd, void *buf, size_t n, uint64_t offset)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t r = pread(fd, p, n, (off_t)offset);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
        offset += (uint64_t)r;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->stage != y->stage)
        return x->stage < y->stage ? -1 : 1;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Indexes the log's whole records and cuts off a torn last one. */
static int scan_log(sh_checkpoint *cp, sh_err *err)
{
    struct stat st;
    if (fstat(cp->fd, &st))
        return io_error(err, cp->log, "read it");
    uint64_t size = (uint64_t)st.st_size, at = 0;
    size_t cap = 0;
    header h;
    while (at + sizeof h <= size && !read_at(cp->fd, &h, sizeof h, at) && h.magic == MAGIC &&
           h.len <= size - at - sizeof h && DIGEST <= size - at - sizeof h - h.len) {
        if (cp->n_found == cap) {
            cap = cap ? 2 * cap : 256;
            entry *grown = realloc(cp->found, cap * sizeof *grown);
            if (!grown)
                return sh_err_nomem(err);
            cp->found = grown;
        }
        cp->found[cp->n_found++] = (entry){h.stage, h.begin, h.end, h.len, at};
        at += sizeof h + h.len + DIGEST;
    }
    if (at < size && ftruncate(cp->fd, (off_t)at))
        return io_error(err, cp->log, "cut off its torn last record");
    if (cp->n_found) /* qsort's array may not be NULL, even empty (a log of no record) */
        qsort(cp->found, cp->n_found, sizeof *cp->found, cmp_entry);
    size_t kept = 0;
    for (size_t i = 0; i < cp->n_found; i++) {
        if (kept && cp->found[kept - 1].stage == cp->found[i].stage &&
            cp->found[kept - 1].begin == cp->found[i].begin)
            kept--; /* a later record of the same block replaces it */
        cp->found[kept++] = cp->found[i];
    }
    cp->n_found = kept;
    return 0;
}

/* The value of line `name` in identity text, into out. */
static void identity_value(char *out, size_t cap, const char *text, const char *name)
{
    size_t n = strlen(name);
    out[0] = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, name, n) && l[n] == ' ') {
            const char *v = l + n + 1, *e = strchr(v, '\n');
            size_t len = e ? (size_t)(e - v) : strlen(v);
            snprintf(out, cap, "%.*s", (int)(len < cap ? len : cap - 1), v);
            return;
        }
}

/* Checks the saved identity against this run's, naming the first line
 * that differs. */
static int check_identity(sh_checkpoint *cp, const char *saved, const char *identity,
                          sh_err *err)
{
    for (const char *l = identity; *l;) {
        const char *sp = strchr(l, ' '), *nl = strchr(l, '\n');
        if (!sp || !nl || sp > nl)
            break;
        char name[64], was[512], is[512];
        snprintf(name, sizeof name, "%.*s", (int)(sp - l), l);
        identity_value(was, sizeof was, saved, name);
        identity_value(is, sizeof is, identity, name);
        if (strcmp(was, is))
            return sh_err_set(err, SH_E_INPUT,
                                  "checkpoint %s belongs to another run: its %s was '%s', now "
                                  "'%s'; delete the directory to start over",
                                  cp->dir, name, was, is);
        l = nl + 1;
    }
    return 0;
}

/* Opens NAME inside the checkpoint directory without following a link,
 * and refuses anything but a regular file of this user: a planted link or
 * another user's file must never be appended to or made owner-only.
 * Returns the descriptor, -1 with errno ENOENT when there is none, or a
 * negative code with err set. */
static int open_member(const sh_checkpoint *cp, const char *name, const char *path, int flags,
                       sh_err *err)
{
    int fd = openat(cp->dir_fd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ENOENT && !(flags & O_CREAT))
        return -1;
    if (fd < 0 && errno == ELOOP)
        return sh_err_set(err, SH_E_IO, "checkpoint %s: is a symbolic link; shades "
                              "writes only its own files there", path);
    if (fd < 0)
        return io_error(err, path, "open it");
    struct stat st;
    const char *why = fstat(fd, &st)              ? "cannot be examined"
                      : !S_ISREG(st.st_mode)      ? "is not a regular file"
                      : st.st_uid != geteuid()    ? "belongs to another user"
                      : fchmod(fd, 0600)          ? "cannot be made owner-only"
                      : NULL;
    if (why) {
        close(fd);
        return sh_err_set(err, SH_E_IO, "checkpoint %s: %s; shades writes only its own "
                              "files there", path, why);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Reads the identity file into *out (a new string, NULL when there is
 * none). */
static int read_identity(char **out, const sh_checkpoint *cp, sh_err *err)
{
    *out = NULL;
    int fd = open_member(cp, "identity", cp->identity, O_RDONLY, err);
    if (fd == -1)
        return 0;
    if (fd < 0)
        return fd;
    char *text = calloc(1, 8192);
    ssize_t n = text ? read(fd, text, 8191) : 0;
    close(fd);
    if (!text)
        return sh_err_nomem(err);
    if (n <= 0) {
        free(text);
        return 0;
    }
    *out = text;
    return 0;
}

/* Starts an empty checkpoint: the identity (written whole, then renamed
 * into place) and an empty log. */
static int start_new(sh_checkpoint *cp, const char *identity, sh_err *err)
{
    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", cp->identity);
    unlinkat(cp->dir_fd, "identity.tmp", 0); /* a killed run's, or a planted link */
    int fd = open_member(cp, "identity.tmp", tmp, O_WRONLY | O_CREAT | O_EXCL, err);
    if (fd < 0)
        return fd;
    int bad = write_all(fd, (const uint8_t *)identity, strlen(identity)) || fsync(fd);
    bad |= close(fd);
    if (bad || renameat(cp->dir_fd, "identity.tmp", cp->dir_fd, "identity")) {
        unlinkat(cp->dir_fd, "identity.tmp", 0);
        return io_error(err, cp->identity, "write it");
    }
    int rc = open_member(cp, "log", cp->log, O_RDWR | O_CREAT | O_APPEND, err);
    if (rc < 0)
        return rc == -1 ? io_error(err, cp->log, "create it") : rc;
    cp->fd = rc;
    return ftruncate(cp->fd, 0) ? io_error(err, cp->log, "empty it") : 0;
}

/* Whether the process holding the flock on the directory st is exiting:
 * killed (SIGKILL pending), a zombie, or already gone (/proc/locks). */
static int holder_dying(const struct stat *st)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return 0;
    char line[256];
    long pid = 0;
    while (!pid && fgets(line, sizeof line, f)) {
        unsigned maj, min;
        unsigned long ino;
        long p;
        char kind[16];
        if (sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%lu", kind, &p, &maj, &min, &ino) == 5 &&
            !strcmp(kind, "FLOCK") && ino == (unsigned long)st->st_ino &&
            maj == major(st->st_dev) && min == minor(st->st_dev))
            pid = p;
    }
    fclose(f);
    if (pid <= 0)
        return 1; /* released between the two looks */
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    if (!(f = fopen(path, "r")))
        return 1;
    int dying = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long mask;
        if (!strncmp(line, "State:", 6))
            dying |= strchr(line, 'Z') != NULL || strchr(line, 'X') != NULL;
        else if ((sscanf(line, "SigPnd: %llx", &mask) == 1 ||
                  sscanf(line, "ShdPnd: %llx", &mask) == 1) &&
                 mask & (1ULL << (SIGKILL - 1)))
            dying = 1;
    }
    fclose(f);
    return dying;
}

/* The directory, made (with its parents, as the results file's are) or
 * taken over owner-only, and held for this run alone: two runs of one
 * config at once would interleave their work. Opened without following a
 * link, so the files inside are the ones checked. */
/* Refuses a folder that is not a checkpoint (a user's, the dataset's)
 * before anything in it changes: a checkpoint holds only its identity,
 * which shades wrote, its log, which comes after the identity, and the
 * identity's temporary. An empty folder is taken (and removed after). */
static int refuse_foreign(const sh_checkpoint *cp, sh_err *err)
{
    int fd = dup(cp->dir_fd);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    if (!d) {
        if (fd >= 0)
            close(fd);
        return io_error(err, cp->dir, "read it");
    }
    char odd[256] = "";
    int has_identity = 0, has_log = 0;
    /* The first foreign name in byte order, so the message is the same
     * whatever order the folder lists them in. */
    for (struct dirent *e; (e = readdir(d));) {
        const char *n = e->d_name;
        has_identity |= !strcmp(n, "identity");
        has_log |= !strcmp(n, "log");
        if (strcmp(n, ".") && strcmp(n, "..") && strcmp(n, "identity") && strcmp(n, "log") &&
            strcmp(n, "identity.tmp") && (!odd[0] || strcmp(n, odd) < 0))
            snprintf(odd, sizeof odd, "%s", n);
    }
    closedir(d);
    char head[8] = "";
    if (!odd[0] && has_identity) {
        int id = openat(cp->dir_fd, "identity", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        ssize_t k = id < 0 ? -1 : read(id, head, 7);
        if (id >= 0)
            close(id);
        if (k != 7 || memcmp(head, "shades ", 7))
            snprintf(odd, sizeof odd, "identity");
    } else if (!odd[0] && has_log) {
        /* A log of records comes after the identity; a link or another
         * user's file planted there is named in open_in's words. */
        struct stat st;
        if (!fstatat(cp->dir_fd, "log", &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode) &&
            st.st_uid == geteuid() && st.st_size > 0)
            snprintf(odd, sizeof odd, "log");
    }
    if (!odd[0])
        return 0;
    return sh_err_set(err, SH_E_INPUT,
                      "checkpoint %s: holds '%s', which shades did not write there: not a "
                      "checkpoint; give output.checkpoint a folder of its own",
                      cp->dir, odd);
}

static int own_dir(sh_checkpoint *cp, sh_err *err)
{
    const char *dir = cp->dir;
    struct stat st;
    char parent[PATH_MAX];
    int rc = sh_path_dirname(parent, sizeof parent, dir, err);
    if (!rc)
        rc = sh_path_mkdirs(parent, err);
    if (rc)
        return rc;
    if (mkdir(dir, 0700) && errno != EEXIST)
        return io_error(err, dir, "create it");
    cp->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (cp->dir_fd < 0)
        return errno == ENOTDIR || errno == ELOOP
                   ? sh_err_set(err, SH_E_IO, "checkpoint %s: is not a directory (a "
                                    "symbolic link or a file)", dir)
                   : io_error(err, dir, "open it");
    if (fstat(cp->dir_fd, &st))
        return io_error(err, dir, "examine it");
    if (st.st_uid != geteuid())
        return sh_err_set(err, SH_E_IO,
                              "checkpoint %s: belongs to another user; it holds templates, "
                              "so shades uses only its own",
                              dir);
    if ((rc = refuse_foreign(cp, err)))
        return rc;
    if (fchmod(cp->dir_fd, 0700))
        return io_error(err, dir, "make it owner-only");
    /* A run killed a moment ago may still be letting go (a supervised run
     * dies with its parent, a moment after it): wait for that one only. */
    int locked = flock(cp->dir_fd, LOCK_EX | LOCK_NB) == 0;
    for (int k = 0; !locked && errno == EWOULDBLOCK && k < 100 && holder_dying(&st); k++) {
        nanosleep(&(struct timespec){0, 20000000L}, NULL);
        locked = flock(cp->dir_fd, LOCK_EX | LOCK_NB) == 0;
    }
    if (!locked)
        return errno == EWOULDBLOCK
                   ? sh_err_set(err, SH_E_IO,
                                    "checkpoint %s is in use by another shades run of this "
                                    "config; wait for it, or give this run another output",
                                    cp->dir)
                   : io_error(err, cp->dir, "lock it");
    /* The run it waited for completed and deleted the directory. */
    if (fstat(cp->dir_fd, &st) == 0 && st.st_nlink == 0)
        return sh_err_set(err, SH_E_IO, "checkpoint %s: the run that held it completed "
                              "and deleted it; run again", cp->dir);
    return 0;
}

static int open_in(sh_checkpoint *cp, int *out_resumed, const char *identity, int resume,
                   sh_err *err)
{
    char *saved = NULL;
    int rc = own_dir(cp, err);
    if (!rc)
        rc = read_identity(&saved, cp, err);
    if (rc)
        return rc;
    struct stat st;
    int found = !fstatat(cp->dir_fd, "log", &st, AT_SYMLINK_NOFOLLOW);
    if (found && !S_ISREG(st.st_mode)) { /* planted: say what it is, touch nothing */
        free(saved);
        rc = open_member(cp, "log", cp->log, O_RDONLY, err);
        if (rc >= 0)
            close(rc);
        return rc < 0 ? rc : io_error(err, cp->log, "open it");
    }
    int has_records = saved && found && st.st_size > 0;
    if (!has_records) {
        free(saved);
        return start_new(cp, identity, err);
    }
    if (!resume)
        rc = sh_err_set(err, SH_E_INPUT,
                            "checkpoint %s holds an interrupted run: continue it with "
                            "--resume, or delete the directory to start over",
                            cp->dir);
    if (!rc)
        rc = check_identity(cp, saved, identity, err);
    free(saved);
    if (rc)
        return rc;
    rc = open_member(cp, "log", cp->log, O_RDWR | O_APPEND, err);
    if (rc < 0)
        return rc == -1 ? io_error(err, cp->log, "open it") : rc;
    cp->fd = rc;
    rc = scan_log(cp, err);
    *out_resumed = !rc;
    return rc;
}

int sh_checkpoint_open(sh_checkpoint **out, int *out_resumed, const char *dir,
                           const char *identity, int resume, sh_err *err)
{
    *out = NULL;
    int resumed = 0;
    sh_checkpoint *cp = calloc(1, sizeof *cp);
    if (!cp)
        return sh_err_nomem(err);
    cp->fd = cp->dir_fd = -1;
    atomic_init(&cp->restored, 0);
    atomic_init(&cp->saved, 0);
    pthread_mutex_init(&cp->lock, NULL);
    int rc = 0;
    if ((size_t)snprintf(cp->dir, sizeof cp->dir, "%s", dir) >= sizeof cp->dir ||
        (size_t)snprintf(cp->log, sizeof cp->log, "%s/log", dir) >= sizeof cp->log ||
        (size_t)snprintf(cp->identity, sizeof cp->identity, "%s/identity", dir) >=
            sizeof cp->identity)
        rc = sh_err_set(err, SH_E_INPUT, "checkpoint %s: path too long", dir);
    if (!rc)
        rc = open_in(cp, &resumed, identity, resume, err);
    if (rc) {
        sh_checkpoint_close(cp, 0, NULL);
        return rc;
    }
    cp->synced = now();
    if (out_resumed)
        *out_resumed = resumed;
    *out = cp;
    return 0;
}

int sh_checkpoint_save(sh_checkpoint *cp, uint32_t stage, size_t begin, size_t end,
                           const struct iovec *parts, int n_parts, sh_err *err)
{
    if (!cp)
        return 0;
    header h = {MAGIC, stage, begin, end, 0};
    for (int k = 0; k < n_parts; k++)
        h.len += parts[k].iov_len;
    uint8_t *rec = malloc(sizeof h + h.len + DIGEST);
    if (!rec)
        return sh_err_nomem(err);
    uint8_t *p = rec + sizeof h;
    for (int k = 0; k < n_parts; k++) {
        if (parts[k].iov_len)
            memcpy(p, parts[k].iov_base, parts[k].iov_len);
        p += parts[k].iov_len;
    }
    memcpy(rec, &h, sizeof h);
    int rc = digest(p, &h, rec + sizeof h) ? sh_err_set(err, SH_E_INTERNAL,
                                                             "checkpoint: SHA-256 failed")
                                           : 0;
    if (!rc) {
        pthread_mutex_lock(&cp->lock);
        if (write_all(cp->fd, rec, sizeof h + h.len + DIGEST))
            rc = io_error(err, cp->log, "append to it");
        else
            atomic_fetch_add(&cp->saved, 1);
        double t = now();
        if (!rc && t - cp->synced >= SYNC_EVERY) {
            if (fdatasync(cp->fd))
                rc = io_error(err, cp->log, "sync it");
            cp->synced = t;
        }
        pthread_mutex_unlock(&cp->lock);
    }
    free(rec);
    return rc;
}

int sh_checkpoint_load(void **out, size_t *out_len, sh_checkpoint *cp, uint32_t stage,
                           size_t begin, size_t end, sh_err *err)
{
    *out = NULL;
    *out_len = 0;
    if (!cp || !cp->n_found)
        return 0;
    entry key = {.stage = stage, .begin = begin};
    size_t lo = 0, hi = cp->n_found;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const entry *e = &cp->found[mid];
        if (e->stage < stage || (e->stage == stage && e->begin < key.begin))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == cp->n_found || cp->found[lo].stage != stage || cp->found[lo].begin != begin ||
        cp->found[lo].end != end)
        return 0;
    const entry *e = &cp->found[lo];
    header h = {MAGIC, stage, begin, end, e->len};
    uint8_t *buf = malloc(e->len + DIGEST + 1);
    if (!buf)
        return sh_err_nomem(err);
    uint8_t want[DIGEST];
    if (read_at(cp->fd, buf, e->len + DIGEST, e->offset + sizeof h) ||
        digest(want, &h, buf) || memcmp(want, buf + e->len, DIGEST)) {
        free(buf); /* unreadable or damaged: computed again */
        return 0;
    }
    atomic_fetch_add(&cp->restored, 1);
    *out = buf;
    *out_len = e->len;
    return 1;
}

int sh_checkpoint_save_arrays(sh_checkpoint *cp, uint32_t stage, size_t begin,
                                  size_t end, const sh_ckpt_array *arrays, size_t n,
                                  sh_err *err)
{
    struct iovec parts[8];
    if (!cp)
        return 0;
    if (n > 8)
        return sh_err_set(err, SH_E_INTERNAL, "checkpoint: too many arrays");
    for (size_t k = 0; k < n; k++)
        parts[k] = (struct iovec){(uint8_t *)arrays[k].base + begin * arrays[k].elem,
                                  (end - begin) * arrays[k].elem};
    return sh_checkpoint_save(cp, stage, begin, end, parts, (int)n, err);
}

int sh_checkpoint_load_arrays(sh_checkpoint *cp, uint32_t stage, size_t begin,
                                  size_t end, const sh_ckpt_array *arrays, size_t n,
                                  sh_err *err)
{
    void *payload;
    size_t len, want = 0;
    int rc = sh_checkpoint_load(&payload, &len, cp, stage, begin, end, err);
    if (rc <= 0)
        return rc;
    for (size_t k = 0; k < n; k++)
        want += (end - begin) * arrays[k].elem;
    if (len != want) {
        free(payload);
        return sh_err_set(err, SH_E_IO,
                              "checkpoint %s: block %zu of stage %u holds %zu bytes, not %zu",
                              cp->dir, begin, (unsigned)stage, len, want);
    }
    const uint8_t *p = payload;
    for (size_t k = 0; k < n; k++) {
        size_t bytes = (end - begin) * arrays[k].elem;
        if (bytes)
            memcpy((uint8_t *)arrays[k].base + begin * arrays[k].elem, p, bytes);
        p += bytes;
    }
    free(payload);
    return 1;
}

void sh_checkpoint_counts(uint64_t *out_restored, uint64_t *out_found, uint64_t *out_saved,
                              const sh_checkpoint *cp)
{
    *out_restored = cp ? atomic_load(&cp->restored) : 0;
    *out_found = cp ? cp->n_found : 0;
    *out_saved = cp ? atomic_load(&cp->saved) : 0;
}

const char *sh_checkpoint_dir(const sh_checkpoint *cp)
{
    return cp->dir;
}

int sh_checkpoint_close(sh_checkpoint *cp, int remove, sh_err *err)
{
    if (!cp)
        return 0;
    int rc = 0;
    if (cp->fd >= 0 && close(cp->fd) && !remove)
        rc = io_error(err, cp->log, "close it");
    if (remove && cp->dir_fd >= 0 &&
        ((unlinkat(cp->dir_fd, "log", 0) && errno != ENOENT) ||
         (unlinkat(cp->dir_fd, "identity", 0) && errno != ENOENT) || rmdir(cp->dir)))
        rc = io_error(err, cp->dir, "delete it");
    if (cp->dir_fd >= 0)
        close(cp->dir_fd); /* and with it the lock */
    pthread_mutex_destroy(&cp->lock);
    free(cp->found);
    free(cp);
    return rc;
}
