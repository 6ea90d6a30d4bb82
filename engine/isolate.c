#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "outcome.h"
#include "utf8.h"

extern char **environ;

typedef struct worker {
    pid_t pid;          /* 0: not running */
    int sock;
    int busy;
    int area_fd;        /* the slot's score area (wire.h), kept across restarts; -1: none */
    sh_wire_area *area; /* mapped here too; touched only by the thread holding the worker */
} worker;

#define ARGS 7

struct sh_isolate {
    char *argv[ARGS + 1]; /* exe, "__worker", spec, config dir, options, seed, limits, NULL */
    char **envp;          /* the harness's environment, OpenBLAS on one thread */
    unsigned n;
    worker *w;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int region_fd;    /* read-only: workers cannot write the harness's templates */
    sh_wire_region region;
    int timeout_ms;
    int log[2];       /* the workers' stdout and stderr, a pipe the harness relays */
    pthread_t relay;
    int relaying;
};

/* Writes all n bytes of s to standard error (dropped if it is gone). */
static void relay_write(const char *s, size_t n)
{
    for (size_t at = 0; at < n;) {
        ssize_t w = write(STDERR_FILENO, s + at, n - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* stderr is gone: the pipe is drained all the same */
        at += (size_t)w;
    }
}

/* Copies what the engines print to the harness's stderr, so that a worker
 * holds no descriptor of the harness's files: it cannot seek, truncate or
 * grow them, and its file-size limit can be 0. Each line goes out as
 * "engine: LINE" with control bytes written as \xNN, so an engine can
 * neither pass off a line as the harness's ("shades: error: ...") nor move
 * the cursor or clear the user's terminal; a line longer than 1 KiB goes
 * out in pieces, each marked. Ends when every worker and the harness have
 * closed the pipe's write end. */
static void *relay(void *arg)
{
    sh_isolate *iso = arg;
    static const char mark[] = "engine: ";
    char buf[4096], line[sizeof mark + 1024 + 8];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(iso->log[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t k = 0; k < n; k++) {
            unsigned char ch = (unsigned char)buf[k];
            if (!len) {
                memcpy(line, mark, sizeof mark - 1);
                len = sizeof mark - 1;
            }
            if (ch == '\n') {
                line[len++] = '\n';
                relay_write(line, len);
                len = 0;
                continue;
            }
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                len += (size_t)snprintf(line + len, sizeof line - len, "\\x%02x", ch);
            else
                line[len++] = (char)ch;
            if (len >= sizeof mark - 1 + 1024) {
                line[len++] = '\n';
                relay_write(line, len);
                len = 0;
            }
        }
    }
    if (len) {
        line[len++] = '\n';
        relay_write(line, len);
    }
    return NULL;
}

/* Reaps a worker and says how it ended, into why. */
static void reap(worker *w, int kill_it, char *why, size_t cap)
{
    if (w->sock >= 0)
        close(w->sock);
    w->sock = -1;
    if (w->pid <= 0)
        return;
    if (kill_it)
        kill(w->pid, SIGKILL);
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (why && WIFSIGNALED(status))
        snprintf(why, cap, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (why)
        snprintf(why, cap, "exited with status %d", WEXITSTATUS(status));
    w->pid = 0;
}

/* Reads the header and fixed part (len bytes into buf) of one reply of
 * `type`, leaving *out_extra bytes after it unread: 0, -1 (worker gone),
 * -2 (timeout), -3 (protocol broken). */
static int read_fixed(size_t *out_extra, void *buf, size_t len, const worker *w, uint32_t type,
                      int timeout_ms)
{
    sh_wire_header h;
    int r = sh_wire_read_header(&h, NULL, w->sock, timeout_ms);
    if (r)
        return r;
    if (h.type != type || h.length < len)
        return -3;
    *out_extra = h.length - len;
    return sh_wire_read(w->sock, buf, len, timeout_ms);
}

/* Reads the engine's message of `extra` bytes after a reply into message. */
static int read_message(char *message, size_t cap, const worker *w, size_t extra, int timeout_ms)
{
    char tail[SH_WIRE_MESSAGE_MAX + 1];
    if (extra > SH_WIRE_MESSAGE_MAX)
        return -3;
    int r = extra ? sh_wire_read(w->sock, tail, extra, timeout_ms) : 0;
    if (r)
        return r;
    tail[extra] = 0;
    if (message && cap)
        snprintf(message, cap, "%s", tail);
    return 0;
}

/* Reads one reply of `type` whose fixed part is `len` bytes into buf and
 * any message after it into message; returns as read_fixed. */
static int read_reply(void *buf, size_t len, char *message, size_t cap, const worker *w,
                      uint32_t type, int timeout_ms)
{
    size_t extra;
    int r = read_fixed(&extra, buf, len, w, type, timeout_ms);
    return r ? r : read_message(message, cap, w, extra, timeout_ms);
}

/* Starts worker w and reads its HELLO into *hello. */
static int spawn(worker *w, sh_wire_hello *hello, sh_isolate *iso, sh_err *err)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
        return sh_err_set(err, SH_E_IO, "isolation: socketpair: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* dup2 clears close-on-exec on 1, 2 and 3, so only these pass: no
     * input, the relay pipe for output, the socket. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, iso->log[1], 1);
    posix_spawn_file_actions_adddup2(&fa, iso->log[1], 2);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
    pid_t pid;
    int rc = posix_spawn(&pid, iso->argv[0], &fa, NULL, iso->argv, iso->envp);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    if (rc) {
        close(sv[0]);
        return sh_err_set(err, SH_E_IO, "isolation: cannot start %s: %s", iso->argv[0],
                              strerror(rc));
    }
    w->pid = pid;
    w->sock = sv[0];
    char why[128] = "";
    int r = read_reply(hello, sizeof *hello, NULL, 0, w, SH_WIRE_HELLO,
                       iso->timeout_ms * (int)SH_CREATE_LIMITS);
    if (r) {
        reap(w, 1, why, sizeof why);
        return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': isolated worker %s before "
                              "it was ready", iso->argv[2], r == -2 ? "hung" : why);
    }
    hello->message[sizeof hello->message - 1] = 0;
    if (hello->status < 0) {
        reap(w, 1, NULL, 0);
        char words[sizeof hello->message];
        sh_utf8_printable(words, sizeof words, hello->message);
        /* A bad option stays bad input, so the run names its config line. */
        return sh_err_set(err, hello->status == SH_E_INPUT ? SH_E_INPUT
                                                                   : SH_E_ADAPTER,
                              "%s", words);
    }
    uint64_t area_size = sizeof *w->area;
    if (sh_wire_send(w->sock, SH_WIRE_AREA, &area_size, sizeof area_size, NULL, 0,
                     w->area_fd) ||
        (iso->region_fd >= 0 &&
         sh_wire_send(w->sock, SH_WIRE_REGION, &iso->region, sizeof iso->region, NULL, 0,
                      iso->region_fd))) {
        reap(w, 1, why, sizeof why);
        return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': isolated worker %s",
                              iso->argv[2], why);
    }
    return 0;
}

/* Takes a free worker, starting it if it is not running. */
static int acquire(worker **out, sh_isolate *iso, sh_err *err)
{
    pthread_mutex_lock(&iso->lock);
    worker *w = NULL;
    while (!w) {
        for (unsigned k = 0; k < iso->n && !w; k++)
            if (!iso->w[k].busy)
                w = &iso->w[k];
        if (!w)
            pthread_cond_wait(&iso->freed, &iso->lock);
    }
    w->busy = 1;
    pthread_mutex_unlock(&iso->lock);
    if (w->pid == 0) {
        sh_wire_hello hello;
        int rc = spawn(w, &hello, iso, err);
        if (rc) {
            pthread_mutex_lock(&iso->lock);
            w->busy = 0;
            pthread_cond_signal(&iso->freed);
            pthread_mutex_unlock(&iso->lock);
            return rc;
        }
    }
    *out = w;
    return 0;
}

static void release(sh_isolate *iso, worker *w)
{
    pthread_mutex_lock(&iso->lock);
    w->busy = 0;
    pthread_cond_signal(&iso->freed);
    pthread_mutex_unlock(&iso->lock);
}

/* Records a fault on w: the worker is reaped and restarts on next use,
 * since an engine that broke the ABI may be in any state. */
static sh_fault fault(worker *w, int r)
{
    reap(w, 1, NULL, 0);
    return r == -4 ? SH_FAULT_BAD_REPLY : r == -2 ? SH_FAULT_TIMED_OUT : SH_FAULT_CRASHED;
}

/* A reply that breaks the protocol: the worker is stopped and the run
 * with it, since the harness can no longer trust what it says. */
static int malformed(sh_isolate *iso, worker *w, sh_err *err)
{
    reap(w, 1, NULL, 0);
    release(iso, w);
    return sh_err_set(err, SH_E_INTERNAL, "isolation: worker sent a malformed reply");
}

/* The workers' environment: the harness's, with OpenBLAS (which the
 * shades binary links, and which starts its thread pool as it loads) kept
 * to one thread, so the worker enters its sandbox single-threaded:
 * namespaces, Landlock and capabilities bind only the thread that enters
 * them (and a process with threads cannot enter a user namespace at all).
 * Each worker serves one call at a time anyway. 1, or 0 when out of
 * memory. */
static int worker_environment(sh_isolate *iso)
{
    static char one_thread[] = "OPENBLAS_NUM_THREADS=1";
    size_t n = 0;
    while (environ && environ[n])
        n++;
    if (!(iso->envp = calloc(n + 2, sizeof *iso->envp)))
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "OPENBLAS_NUM_THREADS=", 21))
            iso->envp[k++] = environ[i];
    iso->envp[k] = one_thread;
    return 1;
}

/* Makes w's score area: a memfd the worker maps read-write, one per slot,
 * handed to each worker started there. Sealed at its size: an engine can
 * catch the descriptor in flight (MSG_PEEK copies it) and, unsealed, shrink
 * the file under the harness's mapping, whose next read is a SIGBUS. */
static int make_area(worker *w, sh_err *err)
{
    w->area_fd = memfd_create("shades-scores", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (w->area_fd < 0 || ftruncate(w->area_fd, (off_t)sizeof *w->area) ||
        fcntl(w->area_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
        return sh_err_set(err, SH_E_IO, "isolation: cannot make a score area: %s",
                          strerror(errno));
    void *p = mmap(NULL, sizeof *w->area, PROT_READ | PROT_WRITE, MAP_SHARED, w->area_fd, 0);
    if (p == MAP_FAILED)
        return sh_err_set(err, SH_E_IO, "isolation: cannot map a score area: %s",
                          strerror(errno));
    w->area = p;
    return 0;
}

int sh_isolate_create(sh_isolate **out, sh_wire_hello *out_hello,
                          const sh_instance_options *o, sh_err *err)
{
    *out = NULL;
    sh_isolate *iso = calloc(1, sizeof *iso);
    if (!iso)
        return sh_err_nomem(err);
    iso->region_fd = -1;
    iso->log[0] = iso->log[1] = -1;
    iso->n = o->threads ? o->threads : 1;
    iso->timeout_ms = (int)(o->call_timeout_ms ? o->call_timeout_ms : SH_CALL_TIMEOUT_MS);
    pthread_mutex_init(&iso->lock, NULL);
    pthread_cond_init(&iso->freed, NULL);
    char exe[PATH_MAX], seed[24], limits[128];
    sh_sandbox_limits lim;
    int rc = sh_sandbox_resolve(&lim, &o->sandbox, err);
    if (rc) {
        sh_isolate_destroy(iso);
        return rc;
    }
    sh_sandbox_limits_format(limits, sizeof limits, &lim);
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = 0;
    snprintf(seed, sizeof seed, "%" PRIu64, o->seed);
    const char *args[ARGS] = {exe, "__worker", o->spec, o->config_dir ? o->config_dir : "",
                              o->options ? o->options : "", seed, limits};
    iso->w = calloc(iso->n, sizeof *iso->w);
    /* Before any failure below: destroy closes what is not -1. */
    for (unsigned k = 0; iso->w && k < iso->n; k++)
        iso->w[k].sock = iso->w[k].area_fd = -1;
    int ok = iso->w != NULL && worker_environment(iso);
    for (int k = 0; k < ARGS && ok; k++)
        ok = (iso->argv[k] = strdup(args[k])) != NULL;
    if (!ok) {
        sh_isolate_destroy(iso);
        return sh_err_nomem(err);
    }
    if (pipe2(iso->log, O_CLOEXEC)) {
        rc = sh_err_set(err, SH_E_IO, "isolation: pipe: %s", strerror(errno));
        sh_isolate_destroy(iso);
        return rc;
    }
    iso->relaying = pthread_create(&iso->relay, NULL, relay, iso) == 0;
    for (unsigned k = 0; k < iso->n; k++)
        if ((rc = make_area(&iso->w[k], err))) {
            sh_isolate_destroy(iso);
            return rc;
        }
    rc = spawn(&iso->w[0], out_hello, iso, err);
    if (rc) {
        sh_isolate_destroy(iso);
        return rc;
    }
    *out = iso;
    return 0;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sh_isolate_finish(unsigned *out_killed, unsigned *out_failed, sh_isolate *iso)
{
    unsigned killed = 0, failed = 0;
    *out_killed = *out_failed = 0;
    if (!iso || !iso->w)
        return;
    /* Closing the socket tells the worker to destroy its engine and go. */
    for (unsigned k = 0; k < iso->n; k++)
        if (iso->w[k].sock >= 0) {
            close(iso->w[k].sock);
            iso->w[k].sock = -1;
        }
    struct timespec tick = {0, 10 * 1000000L};
    long long since = now_ms();
    for (;;) {
        unsigned alive = 0;
        for (unsigned k = 0; k < iso->n; k++) {
            if (iso->w[k].pid <= 0)
                continue;
            int status;
            pid_t r = waitpid(iso->w[k].pid, &status, WNOHANG);
            if (r == iso->w[k].pid || (r < 0 && errno != EINTR)) {
                /* A worker ends with status 0 or 1 after destroy returns; a
                 * signal or another status is the engine's, in destroy. */
                failed += r == iso->w[k].pid &&
                          (WIFSIGNALED(status) ||
                           (WIFEXITED(status) && WEXITSTATUS(status) > 1));
                iso->w[k].pid = 0;
            } else {
                alive++;
            }
        }
        if (!alive) {
            *out_failed = failed;
            return;
        }
        if (now_ms() - since >= iso->timeout_ms)
            break;
        nanosleep(&tick, NULL);
    }
    for (unsigned k = 0; k < iso->n; k++)
        if (iso->w[k].pid > 0) {
            reap(&iso->w[k], 1, NULL, 0);
            killed++;
        }
    *out_killed = killed;
    *out_failed = failed;
}

void sh_isolate_destroy(sh_isolate *iso)
{
    if (!iso)
        return;
    unsigned killed, failed;
    sh_isolate_finish(&killed, &failed, iso); /* every socket closed, every worker gone */
    for (unsigned k = 0; iso->w && k < iso->n; k++) {
        if (iso->w[k].area)
            munmap(iso->w[k].area, sizeof *iso->w[k].area);
        if (iso->w[k].area_fd >= 0)
            close(iso->w[k].area_fd);
    }
    free(iso->w);
    if (iso->region_fd >= 0)
        close(iso->region_fd);
    /* Every worker is gone: closing the last write end ends the relay. */
    if (iso->log[1] >= 0)
        close(iso->log[1]);
    if (iso->relaying)
        pthread_join(iso->relay, NULL);
    if (iso->log[0] >= 0)
        close(iso->log[0]);
    for (int k = 0; k < ARGS; k++)
        free(iso->argv[k]);
    free(iso->envp);
    pthread_mutex_destroy(&iso->lock);
    pthread_cond_destroy(&iso->freed);
    free(iso);
}

int sh_isolate_share(sh_isolate *iso, int fd, size_t size, size_t stride, size_t capacity,
                         sh_err *err)
{
    /* Reopened read-only, a mapping the worker makes can never be writable,
     * even by mprotect: templates come back in replies instead. */
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    int ro = open(self, O_RDONLY | O_CLOEXEC);
    if (ro < 0)
        return sh_err_set(err, SH_E_IO, "isolation: cannot reopen the template region "
                              "read-only: %s", strerror(errno));
    if (iso->region_fd >= 0)
        close(iso->region_fd);
    iso->region_fd = ro;
    iso->region = (sh_wire_region){size, stride, capacity};
    for (unsigned k = 0; k < iso->n; k++) {
        worker *w = &iso->w[k];
        if (w->pid && sh_wire_send(w->sock, SH_WIRE_REGION, &iso->region,
                                       sizeof iso->region, NULL, 0, ro)) {
            char why[128];
            reap(w, 1, why, sizeof why);
            return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': isolated worker %s",
                                  iso->argv[2], why);
        }
    }
    return 0;
}

/* Sends an image request of `type` on w. */
static int send_image(worker *w, uint32_t type, int role, const shades_image *im)
{
    sh_wire_image head = {0, role, im->width, im->height, im->stride, im->format,
                              im->capture, 0};
    return sh_wire_send(w->sock, type, &head, sizeof head, im->pixels,
                            (size_t)im->height * im->stride, -1);
}

/* Reads a TEMPLATE reply: the template's bytes, when it made one that
 * fits, go straight into out_buf; otherwise the engine's message follows.
 * -4 when the reply breaks the ABI (a template larger than the buffer, a
 * write past it, an unknown outcome); else as read_fixed. */
static int read_template(uint8_t *out_buf, sh_wire_template *out, char *message, size_t cap,
                         const sh_isolate *iso, const worker *w)
{
    size_t extra;
    int r = read_fixed(&extra, out, sizeof *out, w, SH_WIRE_TEMPLATE, iso->timeout_ms);
    if (r)
        return r;
    if (out->status == SHADES_OK && out->size <= iso->region.capacity) {
        if (extra != out->size)
            return -3;
        r = extra ? sh_wire_read(w->sock, out_buf, extra, iso->timeout_ms) : 0;
        return r ? r : sh_outcome_known(out->outcome) ? 0 : -4;
    }
    r = read_message(message, cap, w, extra, iso->timeout_ms);
    return r ? r : out->status == SHADES_OK ? -4 : 0;
}

/* One image request and its reply (template bytes into out_buf for
 * TEMPLATE), faults caught. */
static int image_call(uint8_t *out_buf, void *reply, size_t len, sh_fault *out_fault,
                      char *message, size_t cap, sh_isolate *iso, uint32_t type, int role,
                      const shades_image *im, sh_err *err)
{
    *out_fault = SH_FAULT_NONE;
    if (message && cap)
        message[0] = 0;
    worker *w;
    int rc = acquire(&w, iso, err);
    if (rc)
        return rc;
    int r = send_image(w, type, role, im);
    if (!r)
        r = type == SH_WIRE_TEMPLATE
                ? read_template(out_buf, reply, message, cap, iso, w)
                : read_reply(reply, len, message, cap, w, type, iso->timeout_ms);
    if (r == -3)
        return malformed(iso, w, err);
    if (r) {
        memset(reply, 0, len);
        *out_fault = fault(w, r);
    }
    release(iso, w);
    return 0;
}

int sh_isolate_template(uint8_t *out_buf, sh_wire_template *out, sh_fault *out_fault,
                            char *message, size_t cap, sh_isolate *iso, int role,
                            const shades_image *im, sh_err *err)
{
    return image_call(out_buf, out, sizeof *out, out_fault, message, cap, iso,
                      SH_WIRE_TEMPLATE, role, im, err);
}

int sh_isolate_estimate(sh_wire_attrs *out, sh_fault *out_fault, char *message,
                            size_t cap, sh_isolate *iso, const shades_image *im,
                            sh_err *err)
{
    return image_call(NULL, out, sizeof *out, out_fault, message, cap, iso, SH_WIRE_ESTIMATE,
                      0, im, err);
}

/* Waits until w's reply to a COMPARE of m pairs can be read: 0, -1 (gone)
 * or -2 when one call has hung. A call hangs when the area's `done` has
 * not moved for the call limit, as the harness sees it, looking every
 * tenth of the limit (at most 100 ms): so a hang is reported between the
 * limit and the limit and a tenth after its call began, however long the
 * block. Only a rise within the block counts as progress, so a worker
 * cannot hold its harness longer than m + 1 limits waiting for scores (the
 * reply's reads then have limits of their own). *out_seen is the count the
 * harness last saw rise: on a hang, the pair that did not move, whatever a
 * worker writes to the area after it is given up on. */
static int await_scored(uint32_t *out_seen, const sh_isolate *iso, const worker *w,
                        uint32_t m)
{
    int step = iso->timeout_ms / 10 < 1 ? 1 : iso->timeout_ms / 10 > 100 ? 100
                                                                          : iso->timeout_ms / 10;
    uint32_t seen = *out_seen = 0;
    long long since = now_ms();
    for (;;) {
        /* Read before judging, so a rise in the last step is never a hang. */
        uint32_t done = atomic_load_explicit(&w->area->done, memory_order_acquire);
        if (done > seen && done <= m) {
            seen = *out_seen = done;
            since = now_ms();
        }
        long long left = since + iso->timeout_ms - now_ms();
        if (left <= 0)
            return -2;
        struct pollfd p = {w->sock, POLLIN, 0};
        int r = poll(&p, 1, (int)(left < step ? left : step));
        if (r > 0)
            return 0; /* a reply, or the worker's end: the read says which */
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

/* Sends pairs[0..m) to w and takes its scores into out_scores, *out_got
 * of them (finite, each checked). Returns 0 when all m came back; 1 when
 * the pair at *out_got returned an error status (*out_stop); -4 when it
 * gave a score that is not finite; -1 or -2 when the worker died or hung
 * on it; -3 when the worker broke the protocol; -5 when it died or hung
 * after its last pair, outside any call. */
static int compare_block(double *out_scores, size_t *out_got, sh_wire_score *out_stop,
                         char *message, size_t cap, const sh_isolate *iso, const worker *w,
                         const sh_wire_pair *pairs, uint32_t m)
{
    *out_got = 0;
    atomic_store_explicit(&w->area->done, 0, memory_order_relaxed);
    sh_wire_scored s = {0, SHADES_OK, 0};
    uint32_t seen = 0;
    int waited = 0;
    int r = sh_wire_send(w->sock, SH_WIRE_COMPARE, pairs, m * sizeof *pairs, NULL, 0, -1);
    if (!r)
        r = waited = await_scored(&seen, iso, w, m);
    if (!r)
        r = read_reply(&s, sizeof s, message, cap, w, SH_WIRE_SCORED, iso->timeout_ms);
    /* Replied: it says how far the worker got. Hung on a pair: the count
     * that stopped rising. Died, or hung in its reply: the area. */
    uint32_t got = !r            ? s.count
                   : waited == -2 ? seen
                                  : atomic_load_explicit(&w->area->done, memory_order_acquire);
    if (r == -3 || got > m)
        return -3;
    for (size_t j = 0; j < got; j++) {
        double v = w->area->score[j];
        if (!isfinite(v)) { /* the worker stops before such a score: an engine wrote it */
            *out_got = j;
            return -4;
        }
        out_scores[j] = v;
    }
    *out_got = got;
    if (got == m)
        return r ? -5 : 0;
    if (r)
        return r;
    if (s.status != SHADES_OK) {
        *out_stop = (sh_wire_score){.status = s.status, .score = s.score};
        return 1;
    }
    return isfinite(s.score) ? -3 : -4; /* NaN or inf breaks the ABI, as in-process */
}

int sh_isolate_compare(double *out_scores, uint8_t *out_faults, size_t *out_bad,
                           sh_wire_score *out_bad_reply, char *message, size_t cap,
                           sh_isolate *iso, const sh_wire_pair *pairs, size_t n,
                           sh_err *err)
{
    size_t k = 0;
    while (k < n) {
        worker *w;
        int rc = acquire(&w, iso, err);
        if (rc)
            return rc;
        /* A block at a time; the pair a block stopped at is the fault's,
         * and the rest go again, to a fresh worker where it was reaped. */
        uint32_t m = (uint32_t)(n - k < SH_WIRE_BATCH ? n - k : SH_WIRE_BATCH);
        size_t got;
        int r = compare_block(&out_scores[k], &got, out_bad_reply, message, cap, iso, w,
                              &pairs[k], m);
        memset(&out_faults[k], SH_FAULT_NONE, got);
        k += got;
        if (r == 1) {
            /* The worker stops at an error; it is ready for the next request. */
            *out_bad = k;
            release(iso, w);
            return 1;
        }
        if (r == -3)
            return malformed(iso, w, err);
        if (r == -5)
            reap(w, 1, NULL, 0); /* no call was in hand: restarted on next use */
        else if (r) {
            out_faults[k] = (uint8_t)fault(w, r);
            out_scores[k] = -INFINITY;
            k++;
        }
        release(iso, w);
    }
    return 0;
}
