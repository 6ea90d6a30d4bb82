/* A hostile engine for the fault-injection and containment tests
 * (tests/faults_cli.sh, tests/containment_cli.sh). It scores the synthetic
 * cohort as the synthetic engine does, and its options (key=value lines)
 * turn on faults, each on a fraction of calls chosen by a hash of the call's
 * images, so a run meets the same faults every time:
 *   segv=P      segfaults in create_template or compare
 *   hang=P      never returns
 *   abort=P     calls abort()
 *   overrun=P   writes 16 bytes past its template buffer
 *   farrun=P    writes 8 KiB past its template buffer (past any canary)
 *   oversize=P  reports a template larger than its buffer
 *   garbage=P   returns random template bytes and an unknown outcome
 *   leak=BYTES  leaks this much memory on every call
 *   jitter=X    adds random noise of up to X to every score (not repeatable)
 *   eat=P       allocates and touches 2 GiB (freed after), unchecked
 *   inf=P       compare returns +inf (and -inf on every other such pair)
 *   exit=P      calls exit(0)
 *   _exit=P     calls _exit(0), which no exit handler sees
 *   closefds=1  on its first template, closes every descriptor below the
 *               open-files limit, as a daemon does
 *   ignsegv=1   sets SIGSEGV to be ignored on every call, before any fault
 *   snoop=PATH  on its first template, tries to reach PATH (the results
 *               file), its directory, the harness's memory and signals, and
 *               prints one line per attempt to stderr; with it
 *   tcp=PORT, udp=PORT, unix=PATH  sends to a loopback TCP or UDP port or
 *               a pathname Unix socket, and abstract=NAME to an abstract one;
 *   secret=PATH reads a file (a root-only one, /dev/shm's);
 *   fork=1      starts a process that leaves its session and outlives the
 *               engine (pid to stderr), and runs a thread, which must work;
 *   shrink=1    from create on, a thread peeks at the worker's socket
 *               (MSG_PEEK copies the descriptors a message carries) for
 *               the memory files the harness sends, and the first compare
 *               that has them tries to shrink and grow each (also reopened
 *               read-write through /proc), printing one line per file;
 *               a compare before the score area was caught aborts, for a
 *               fresh try.
 *   keep=1      keeps its first template buffer and writes into it in
 *               every compare after, as if the buffer were its own
 *   noise=1     prints, in create, a line posing as the harness's error
 *               and a terminal escape that would clear the screen, and
 *               to stdout (buffered, never flushed) a line in create and
 *               one in destroy, as a chatty vendor library does
 *   lognoise=1  logs, through the host, an error holding a colour escape, a
 *               line break posing as the harness and a C1 control, then
 *               fails its first template with SHADES_ERR_ENGINE
 *   stale=1     logs a warning on its first template, which succeeds, and
 *               fails its third with SHADES_ERR_NOMEM, logging nothing
 *   selfkill=S  on its first template, sends itself signal S (raise); with
 *               S = 19 (SIGSTOP) it stops itself
 *   killparent=S  on its first template, sends signal S to its parent (in
 *               process: the run's supervising parent), then carries on
 *   create=F, size_max=F, destroy=F  fault F (segv, hang or exit) in
 *               that call of the engine's life, outside any image's. */
#include <shades/adapter.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shades/synthetic.h>

#define TEMPLATE_BYTES 16

typedef struct faults {
    double segv, hang, abort, overrun, farrun, oversize, garbage, jitter, inf, exit, quick_exit, eat;
    size_t leak;
    int closefds, ignsegv, fork, tcp, udp, shrink, noise, keep, lognoise, selfkill, killparent, stale;
    char snoop[1024], unix_path[108], abstract[100], secret[2][1024];
    char create[8], size_max[8], destroy[8]; /* a life call's fault, or "" */
    int n_secret;
} faults;

struct shades_engine {
    synth_model model;
    faults f;
    uint64_t seed;
    const shades_host *host;
};

static int parse_options(faults *f, const char *options)
{
    memset(f, 0, sizeof *f);
    const char *p = options;
    while (p && *p) {
        size_t n = strcspn(p, "\n");
        char line[1100];
        if (n >= sizeof line)
            return SHADES_ERR_CONFIG;
        memcpy(line, p, n);
        line[n] = 0;
        p += n + (p[n] == '\n');
        char *eq = strchr(line, '=');
        if (!eq)
            return SHADES_ERR_CONFIG;
        *eq++ = 0;
        double v = strtod(eq, NULL);
        if (!strcmp(line, "segv")) f->segv = v;
        else if (!strcmp(line, "hang")) f->hang = v;
        else if (!strcmp(line, "abort")) f->abort = v;
        else if (!strcmp(line, "overrun")) f->overrun = v;
        else if (!strcmp(line, "farrun")) f->farrun = v;
        else if (!strcmp(line, "oversize")) f->oversize = v;
        else if (!strcmp(line, "garbage")) f->garbage = v;
        else if (!strcmp(line, "jitter")) f->jitter = v;
        else if (!strcmp(line, "leak")) f->leak = (size_t)v;
        else if (!strcmp(line, "eat")) f->eat = v;
        else if (!strcmp(line, "inf")) f->inf = v;
        else if (!strcmp(line, "exit")) f->exit = v;
        else if (!strcmp(line, "_exit")) f->quick_exit = v;
        else if (!strcmp(line, "closefds")) f->closefds = (int)v;
        else if (!strcmp(line, "ignsegv")) f->ignsegv = (int)v;
        else if (!strcmp(line, "fork")) f->fork = (int)v;
        else if (!strcmp(line, "shrink")) f->shrink = (int)v;
        else if (!strcmp(line, "noise")) f->noise = (int)v;
        else if (!strcmp(line, "keep")) f->keep = (int)v;
        else if (!strcmp(line, "lognoise")) f->lognoise = (int)v;
        else if (!strcmp(line, "selfkill")) f->selfkill = (int)v;
        else if (!strcmp(line, "stale")) f->stale = (int)v;
        else if (!strcmp(line, "killparent")) f->killparent = (int)v;
        else if (!strcmp(line, "tcp")) f->tcp = (int)v;
        else if (!strcmp(line, "udp")) f->udp = (int)v;
        else if (!strcmp(line, "unix")) snprintf(f->unix_path, sizeof f->unix_path, "%s", eq);
        else if (!strcmp(line, "abstract")) snprintf(f->abstract, sizeof f->abstract, "%s", eq);
        else if (!strcmp(line, "secret") && f->n_secret < 2)
            snprintf(f->secret[f->n_secret++], sizeof f->secret[0], "%s", eq);
        else if (!strcmp(line, "snoop")) snprintf(f->snoop, sizeof f->snoop, "%s", eq);
        else if (!strcmp(line, "create")) snprintf(f->create, sizeof f->create, "%s", eq);
        else if (!strcmp(line, "size_max")) snprintf(f->size_max, sizeof f->size_max, "%s", eq);
        else if (!strcmp(line, "destroy")) snprintf(f->destroy, sizeof f->destroy, "%s", eq);
        else return SHADES_ERR_CONFIG;
    }
    return SHADES_OK;
}

static void *catch_fds(void *arg);

/* keep=1: the first template buffer, kept past its call. */
static _Atomic(uint8_t *) kept;

/* Fault F ("segv", "hang", "exit"; "" none) in a call of the engine's life. */
static void life_fault(const char *f)
{
    if (!strcmp(f, "segv"))
        raise(SIGSEGV);
    else if (!strcmp(f, "hang"))
        for (;;)
            pause();
    else if (!strcmp(f, "exit"))
        exit(0);
}

static int h_create(shades_engine **out, const shades_host *host,
                    const shades_engine_config *config)
{
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    int rc = parse_options(&e->f, config->options);
    if (rc) {
        free(e);
        return rc;
    }
    life_fault(e->f.create);
    if (e->f.noise) {
        fprintf(stderr, "shades: error: forged by the engine\n\033[2Jcleared\n");
        printf("engine chatter from create\n");
    }
    synth_model_default(&e->model, config->seed);
    e->seed = config->seed;
    e->host = host;
    pthread_t thief;
    if (e->f.shrink && pthread_create(&thief, NULL, catch_fds, NULL) == 0)
        pthread_detach(thief);
    *out = e;
    return SHADES_OK;
}

static void h_destroy(shades_engine *e)
{
    life_fault(e->f.destroy);
    if (e->f.noise)
        printf("engine chatter from destroy\n");
    free(e);
}

static uint32_t h_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0;
}

static size_t h_template_size_max(const shades_engine *e)
{
    life_fault(e->f.size_max);
    return TEMPLATE_BYTES;
}

/* A fixed draw in [0, 1) for one call, from what it works on. */
static double draw(uint64_t a, uint64_t b, uint64_t salt)
{
    return (double)(synth_mix64(synth_mix64(a * 0x9e3779b97f4a7c15u + b) ^ salt) >> 11) *
           0x1.0p-53;
}

/* The faults every call may meet, in turn over [0, 1) so they never overlap. */
static void common_faults(const shades_engine *e, double u)
{
    const faults *f = &e->f;
    if (f->leak) {
        char *lost = malloc(f->leak);
        if (lost)
            memset(lost, 1, f->leak);
    }
    if (f->ignsegv)
        signal(SIGSEGV, SIG_IGN);
    if (u < f->segv) {
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
    }
    u -= f->segv;
    if (u >= 0 && u < f->hang)
        for (;;)
            pause();
    u -= f->hang;
    if (u >= 0 && u < f->abort)
        abort();
    u -= f->abort;
    if (u >= 0 && u < f->exit)
        exit(0);
    u -= f->exit;
    if (u >= 0 && u < f->quick_exit)
        _exit(0);
    u -= f->quick_exit;
    if (u >= 0 && u < f->eat) {
        const size_t lots = (size_t)2 << 30;
        volatile char *p = malloc(lots);
        /* A real memory eater does not check either: NULL faults. */
        for (size_t k = 0; k < lots; k += 4096)
            p[k] = 1;
        free((void *)p);
    }
}

/* One attempt to reach outside the engine: prints what happened. */
static void attempt(const char *what, int ok)
{
    fprintf(stderr, "hostile: %s: %s\n", what, ok ? "ALLOWED" : "refused");
}

/* Sends a line to a socket address: whether it got through. */
static int send_to(int family, int type, const struct sockaddr *a, socklen_t len)
{
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    const char msg[] = "hostile engine was here\n";
    int ok = type == SOCK_DGRAM ? sendto(fd, msg, sizeof msg - 1, 0, a, len) > 0
                                : connect(fd, a, len) == 0 && write(fd, msg, sizeof msg - 1) > 0;
    close(fd);
    return ok;
}

static void *a_thread(void *arg)
{
    return arg;
}

/* The network, other users' files, and processes of its own. */
static void reach_out(const faults *f)
{
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (f->tcp) {
        in.sin_port = htons((uint16_t)f->tcp);
        attempt("send to a loopback TCP port", send_to(AF_INET, SOCK_STREAM, (void *)&in,
                                                       sizeof in));
    }
    if (f->udp) {
        in.sin_port = htons((uint16_t)f->udp);
        attempt("send to a loopback UDP port", send_to(AF_INET, SOCK_DGRAM, (void *)&in,
                                                       sizeof in));
    }
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    if (f->unix_path[0]) {
        snprintf(un.sun_path, sizeof un.sun_path, "%s", f->unix_path);
        attempt("send to a pathname Unix socket", send_to(AF_UNIX, SOCK_STREAM, (void *)&un,
                                                          sizeof un));
    }
    if (f->abstract[0]) {
        snprintf(un.sun_path + 1, sizeof un.sun_path - 1, "%s", f->abstract);
        socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
                                    strlen(f->abstract));
        attempt("send to an abstract Unix socket", send_to(AF_UNIX, SOCK_STREAM, (void *)&un,
                                                           len));
    }
    for (int k = 0; k < f->n_secret; k++) {
        char what[1100], byte;
        int fd = open(f->secret[k], O_RDONLY);
        snprintf(what, sizeof what, "read %s", f->secret[k]);
        attempt(what, fd >= 0 && read(fd, &byte, 1) >= 0);
        if (fd >= 0)
            close(fd);
    }
    if (f->fork) {
        pthread_t t;
        int threads = pthread_create(&t, NULL, a_thread, NULL) == 0;
        if (threads)
            pthread_join(t, NULL);
        fprintf(stderr, "hostile: note: a thread %s\n", threads ? "ran" : "could not start");
        /* Every thread of this process, whoever started it, under seccomp. */
        int outside = 0;
        DIR *d = opendir("/proc/self/task");
        for (struct dirent *t; d && (t = readdir(d));) {
            char path[300], line[128];
            if (t->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "/proc/self/task/%s/status", t->d_name);
            FILE *f = fopen(path, "r");
            while (f && fgets(line, sizeof line, f))
                if (!strncmp(line, "Seccomp:", 8))
                    outside += atoi(line + 8) != 2;
            if (f)
                fclose(f);
        }
        if (d)
            closedir(d);
        fprintf(stderr, "hostile: note: %d threads outside seccomp\n", outside);
        pid_t pid = fork();
        if (pid == 0) {
            setsid();
            pid_t grandchild = fork();
            if (grandchild == 0) {
                fprintf(stderr, "hostile: note: grandchild %d lives\n", (int)getpid());
                for (int k = 0; k < 600; k++)
                    sleep(1);
            }
            _exit(0);
        }
        attempt("start a process that outlives the run", pid > 0);
        if (pid > 0)
            waitpid(pid, NULL, 0);
    }
}

static void snoop(const char *results)
{
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s", results);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(results, O_RDONLY);
    attempt("read the results file", fd >= 0);
    if (fd >= 0)
        close(fd);
    fd = open(results, O_WRONLY | O_APPEND);
    attempt("write the results file", fd >= 0);
    if (fd >= 0)
        close(fd);
    snprintf(path, sizeof path, "%s/hostile-was-here", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    attempt("create a file beside the results", fd >= 0);
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    snprintf(path, sizeof path, "/proc/%d/mem", (int)getppid());
    fd = open(path, O_RDWR);
    attempt("open the harness's memory", fd >= 0);
    if (fd >= 0)
        close(fd);
    attempt("ptrace the harness", ptrace(PTRACE_ATTACH, getppid(), NULL, NULL) == 0);
    int word = 0;
    struct iovec local = {&word, sizeof word}, remote = {&word, sizeof word};
    attempt("write the harness's memory (process_vm_writev)",
            process_vm_writev(getppid(), &local, 1, &remote, 1, 0) >= 0);
    attempt("signal the harness", kill(getppid(), 0) == 0);
    /* The template region: find its mapping and try to make it writable. */
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int writable = 0, found = 0;
    while (maps && fgets(line, sizeof line, maps))
        if (strstr(line, "shades-templates")) {
            unsigned long lo, hi;
            if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
                found = 1;
                writable |= mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE) == 0;
            }
        }
    if (maps)
        fclose(maps);
    if (found)
        attempt("make the template region writable", writable);
}

/* Closes every descriptor below the open-files limit, as daemons do. */
static void close_all(void)
{
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = 0; fd < (max > 0 ? max : 1024); fd++)
        close((int)fd);
}

static int h_create_template(uint8_t *out_buf, shades_template_result *out_result,
                             shades_engine *e, const shades_image *images, size_t count,
                             size_t capacity, int role)
{
    (void)role;
    (void)count;
    /* Atomic: two of the harness's threads make their first call at once. */
    static atomic_int snooped;
    if ((e->f.snoop[0] || e->f.closefds) && !atomic_exchange(&snooped, 1)) {
        if (e->f.snoop[0]) {
            snoop(e->f.snoop);
            reach_out(&e->f);
        }
        if (e->f.closefds)
            close_all();
    }
    static atomic_int signalled;
    if ((e->f.selfkill || e->f.killparent) && !atomic_exchange(&signalled, 1)) {
        if (e->f.killparent)
            kill(getppid(), e->f.killparent);
        else
            raise(e->f.selfkill);
    }
    static atomic_int made;
    if (e->f.stale) {
        int n = atomic_fetch_add(&made, 1);
        if (n == 0)
            e->host->log(e->host, SHADES_LOG_WARNING, "image looks dark");
        else if (n == 2)
            return SHADES_ERR_NOMEM;
    }
    if (e->f.lognoise) {
        e->host->log(e->host, SHADES_LOG_ERROR,
                     "\033[31mred\nshades: all good \xc2\x9b" "2J\x7f\xff");
        return SHADES_ERR_ENGINE;
    }
    synth_code code;
    const shades_image *im = &images[0];
    out_result->size = 0;
    if (im->format != SHADES_PIXEL_GRAY8 ||
        synth_code_read(&code, im->pixels, im->width, im->height, im->stride, 0)) {
        out_result->outcome = SHADES_OUTCOME_NO_FACE;
        return SHADES_OK;
    }
    double u = draw(code.subject, code.image, e->seed);
    common_faults(e, u);
    const faults *f = &e->f;
    u -= f->segv + f->hang + f->abort + f->exit + f->quick_exit + f->eat;
    memset(out_buf, 0, TEMPLATE_BYTES);
    if (f->keep) {
        uint8_t *none = NULL;
        atomic_compare_exchange_strong(&kept, &none, out_buf);
    }
    out_buf[4] = code.traits;
    synth_put_u32(out_buf + 8, code.subject);
    synth_put_u32(out_buf + 12, code.image);
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = TEMPLATE_BYTES;
    if (u >= 0 && u < f->overrun)
        memset(out_buf, 0x5a, capacity + 16);
    u -= f->overrun;
    if (u >= 0 && u < f->farrun)
        memset(out_buf, 0x5a, capacity + 8192);
    u -= f->farrun;
    if (u >= 0 && u < f->oversize)
        out_result->size = capacity + 64;
    u -= f->oversize;
    if (u >= 0 && u < f->garbage) {
        for (size_t k = 0; k < capacity; k++)
            out_buf[k] = (uint8_t)rand();
        out_result->outcome = 1000 + rand() % 1000;
    }
    return SHADES_OK;
}

/* shrink=1: the memory files caught in flight on the worker's socket (fd 3,
 * engine/worker.c), until the first compare takes them. */
static atomic_int caught[4] = {-1, -1, -1, -1};
static atomic_int n_caught, shrink_done;

/* What descriptor fd is open on ("/memfd:shades-scores (deleted)"), or "". */
static void fd_name(char *out, size_t cap, int fd)
{
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(self, out, cap - 1);
    out[len > 0 ? len : 0] = 0;
}

static void *catch_fds(void *arg)
{
    (void)arg;
    while (atomic_load(&n_caught) < 2 && !atomic_load(&shrink_done)) {
        char buf[64], cbuf[CMSG_SPACE(4 * sizeof(int))];
        struct iovec iov = {buf, sizeof buf};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                            .msg_controllen = sizeof cbuf};
        if (recvmsg(3, &mh, MSG_PEEK | MSG_DONTWAIT) <= 0)
            continue;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_type != SCM_RIGHTS)
                continue;
            int fd;
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
            char name[256], other[256];
            fd_name(name, sizeof name, fd);
            int seen = 0;
            for (int k = 0; k < atomic_load(&n_caught); k++) {
                fd_name(other, sizeof other, atomic_load(&caught[k]));
                seen |= !strcmp(name, other);
            }
            if (seen || atomic_load(&n_caught) >= 4)
                close(fd);
            else { /* this thread alone adds: the slot is filled before it counts */
                atomic_store(&caught[atomic_load(&n_caught)], fd);
                atomic_fetch_add(&n_caught, 1);
            }
        }
    }
    return NULL;
}

/* shrink=1: tries to change the size of each caught file, once. */
static void shrink_caught(void)
{
    int area = 0;
    for (int k = 0; k < atomic_load(&n_caught); k++) {
        char name[256];
        fd_name(name, sizeof name, atomic_load(&caught[k]));
        area |= strstr(name, "shades-scores") != NULL;
    }
    if (!area)
        abort(); /* missed the score area: a fresh worker is sent it again */
    if (atomic_exchange(&shrink_done, 1))
        return;
    /* The worker's file-size limit is 0: growing a file would raise SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    for (int k = 0; k < atomic_load(&n_caught); k++) {
        int fd = atomic_load(&caught[k]);
        char self[64], name[256], what[400];
        fd_name(name, sizeof name, fd);
        snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
        int rw = open(self, O_RDWR);
        int changed = ftruncate(fd, 0) == 0 || ftruncate(fd, 1 << 20) == 0 ||
                      (rw >= 0 && (ftruncate(rw, 0) == 0 || ftruncate(rw, 1 << 20) == 0));
        if (rw >= 0)
            close(rw);
        snprintf(what, sizeof what, "resize %s",
                 strstr(name, "shades-scores")      ? "the harness's score area"
                 : strstr(name, "shades-templates") ? "the harness's templates"
                                                    : name);
        attempt(what, changed);
    }
}

static int h_compare(double *out_score, shades_engine *e, const uint8_t *v, size_t vs,
                     const uint8_t *r, size_t rs)
{
    if (vs != TEMPLATE_BYTES || rs != TEMPLATE_BYTES)
        return SHADES_ERR_TEMPLATE;
    synth_code a = {synth_get_u32(v + 8), synth_get_u32(v + 12), v[4]};
    synth_code b = {synth_get_u32(r + 8), synth_get_u32(r + 12), r[4]};
    common_faults(e, draw(a.subject * 131u + a.image, b.subject * 131u + b.image, ~e->seed));
    if (e->f.shrink)
        shrink_caught();
    uint8_t *mine = atomic_load(&kept);
    if (e->f.keep && mine)
        mine[0] ^= 1; /* a byte the score does not read */
    *out_score = synth_model_score(&e->model, &a, &b);
    double u = draw(a.subject * 7u + a.image, b.subject * 7u + b.image, e->seed ^ 0x1f);
    if (u < e->f.inf)
        *out_score = (a.image + b.image) % 2 ? INFINITY : -INFINITY;
    if (e->f.jitter > 0)
        *out_score += e->f.jitter * ((double)rand() / RAND_MAX);
    return SHADES_OK;
}

static const void *h_get_extension(const shades_engine *e, const char *id)
{
    (void)e;
    (void)id;
    return NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = "hostile",
    .version = "0.0.1",
    .vendor = "shades tests",
    .description = "an engine that faults and snoops on purpose",
    .capabilities = SHADES_CAP_VERIFY_11,
    .create = h_create,
    .destroy = h_destroy,
    .max_concurrency = h_max_concurrency,
    .template_size_max = h_template_size_max,
    .create_template = h_create_template,
    .compare = h_compare,
    .get_extension = h_get_extension,
};
