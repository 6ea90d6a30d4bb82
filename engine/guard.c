#include "guard.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 256
#define TICK_MS 100

/* One thread's current engine call; seq is odd while inside. */
typedef struct slot {
    atomic_uint seq;
    atomic_int op;  /* index into ops */
    atomic_uint a, b;
} slot;

/* What a supervising parent reads after the run's process ends: the calls
 * in flight, and a message the run wrote instead of printing it. */
struct sh_guard_state {
    slot slots[SLOTS];
    atomic_uint slots_used;
    atomic_int supervised;  /* messages go to msg, for the parent to print */
    atomic_int said;        /* msg holds the run's last word */
    char engine[128];
    char origin[128];       /* "rank R of N on HOST: " under MPI, else "" */
    char checkpoint[1024];  /* the run's checkpoint, named in the message; "" none */
    char msg[3072];
};

/* Engine functions by sh_guard_op, as the messages name them; a
 * pointer would mean nothing to the supervising parent. */
static const char *const ops[] = {"create_template", "compare", "compare_many", "search",
                                  "estimate", "describe", "create", "max_concurrency",
                                  "template_size_max", "get_extension", "destroy",
                                  "an engine call"};
#define N_OPS (sizeof ops / sizeof ops[0])

static struct sh_guard_state local_state;
static struct sh_guard_state *st = &local_state;
static _Thread_local int my_slot = -1;

/* Set again when the run's items are known (after create), while the
 * watchdog runs: atomic. */
static _Atomic(const sh_guard_items *) items;
static atomic_uint limit_ms;
static atomic_int watching;
static pthread_t watchdog;
static struct sigaction ours, saved[5];
static const int fatal[5] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

/* What snprintf's return n added to a buffer of cap bytes: at most cap - 1,
 * and 0 for an error or an empty buffer (so cap - len never wraps). */
static size_t written(int n, size_t cap)
{
    return n < 0 || !cap ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Writes "on image 'ID' (manifest:line)" for item i into buf. */
static size_t describe_item(char *buf, size_t cap, const sh_guard_items *m, const char *pre,
                            unsigned i)
{
    if (i == UINT32_MAX || !m || i >= m->n || !cap)
        return 0;
    return written(snprintf(buf, cap, "%s'%s' (%s:%zu)", pre, m->image_id[i], m->path,
                            m->line[i]), cap);
}

/* " in OP of image 'B' with 'A'" (or "on image 'A'") into buf. */
static size_t describe_where(char *buf, size_t cap, const slot *c, const sh_guard_items *m)
{
    int op = atomic_load(&c->op);
    int n = snprintf(buf, cap, " in %s",
                     ops[op >= 0 && (size_t)op < N_OPS ? (size_t)op : N_OPS - 1]);
    size_t len = written(n, cap);
    unsigned a = atomic_load(&c->a), b = atomic_load(&c->b);
    len += describe_item(buf + len, cap - len, m, b == UINT32_MAX ? " on image " : " of image ",
                         b == UINT32_MAX ? a : b);
    if (b != UINT32_MAX)
        len += describe_item(buf + len, cap - len, m, " with ", a);
    return len;
}

/* "engine 'X' WHAT in OP of image 'B' with 'A'" into buf. */
static size_t describe_call(char *buf, size_t cap, const struct sh_guard_state *s,
                            const slot *c, const sh_guard_items *m, const char *what)
{
    int n = snprintf(buf, cap, "shades: error: %sengine '%s' %s", s->origin, s->engine, what);
    size_t len = written(n, cap);
    return len + describe_where(buf + len, cap - len, c, m);
}

/* The message's end, after the call (of the engine's life, op_is_life,
 * which --isolate cannot go on past either; or on images): into buf. */
static const char *tail_of(char *buf, size_t cap, const struct sh_guard_state *s, int op_is_life)
{
    const char *kept = s->checkpoint;
    if (!kept[0])
        snprintf(buf, cap, "; no results were written%s\n",
                 op_is_life ? "" : " (--isolate records such failures per image and goes on)");
    else if (op_is_life)
        snprintf(buf, cap, "; no results were written; the work done so far is kept in "
                           "checkpoint %s (--resume continues it with the same engine; a changed "
                           "engine runs afresh once it is deleted)\n", kept);
    else
        /* The checkpoint's identity says in-process: an --isolate run is
         * another run, and refuses it. */
        snprintf(buf, cap, "; no results were written; the work done so far is kept in "
                           "checkpoint %s: --resume continues it in-process with the same engine; "
                           "a changed engine, or --isolate (which records such failures per "
                           "image and goes on), starts afresh once it is deleted\n", kept);
    return buf;
}

/* Whether op is a call of the engine's life rather than one on images. */
static int is_life(int op)
{
    return op >= SH_GUARD_CREATE && op <= SH_GUARD_DESTROY;
}

/* Set by the first thread to die: the run ends with one message even when
 * several engine calls crash at once, or a crash meets the watchdog. */
static atomic_flag dying = ATOMIC_FLAG_INIT;

/* Prints (or, supervised, leaves for the parent) the fatal message for
 * slot c and ends the process with status 2; a second caller waits for
 * the first to end the process. */
static void die(const slot *c, const char *what)
{
    if (atomic_flag_test_and_set(&dying))
        for (;;)
            pause();
    char msg[sizeof st->msg], end[sizeof st->checkpoint + 384];
    tail_of(end, sizeof end, st, is_life(atomic_load(&c->op)));
    size_t n = describe_call(msg, sizeof msg - strlen(end) - 1, st, c, atomic_load(&items), what);
    memcpy(msg + n, end, strlen(end) + 1);
    if (atomic_load(&st->supervised)) {
        memcpy(st->msg, msg, sizeof msg);
        atomic_store(&st->said, 1);
    } else {
        ssize_t w = write(STDERR_FILENO, msg, strlen(msg));
        (void)w;
    }
    _exit(2);
}

void sh_guard_set_origin(const char *origin)
{
    snprintf(st->origin, sizeof st->origin, "%s", origin);
}

void sh_guard_set_checkpoint(const char *dir)
{
    snprintf(st->checkpoint, sizeof st->checkpoint, "%s", dir ? dir : "");
}

/* The templates, read-only once made (sh_guard_protect). */
static _Atomic(const char *) kept_start;
static atomic_size_t kept_len;

void sh_guard_protect(const void *start, size_t len)
{
    atomic_store(&kept_len, 0);
    atomic_store(&kept_start, start);
    atomic_store(&kept_len, len);
}

static void on_signal(int sig, siginfo_t *si, void *context)
{
    (void)context;
    if (my_slot >= 0 && my_slot < SLOTS && atomic_load(&st->slots[my_slot].seq) & 1) {
        const char *at = si ? si->si_addr : NULL, *start = atomic_load(&kept_start);
        size_t len = atomic_load(&kept_len);
        char what[160];
        if (sig == SIGSEGV && start && len && at >= start && at < start + len)
            snprintf(what, sizeof what, "wrote into a template after its create_template "
                     "returned (SIGSEGV: the buffer is the harness's, never to be kept)");
        else
            snprintf(what, sizeof what, "crashed (SIG%s)", sigabbrev_np(sig));
        die(&st->slots[my_slot], what);
    }
    /* Not inside the engine: a harness fault, left to the default action. */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* exit() called while an engine call is in flight: the engine's, since
 * the harness never exits from inside one. */
static void on_exit_call(int status, void *arg)
{
    (void)arg;
    char what[64];
    snprintf(what, sizeof what, "called exit(%d)", status);
    if (my_slot >= 0 && my_slot < SLOTS && atomic_load(&st->slots[my_slot].seq) & 1)
        die(&st->slots[my_slot], what);
    unsigned used = atomic_load(&st->slots_used);
    for (unsigned k = 0; k < used && k < SLOTS; k++)
        if (atomic_load(&st->slots[k].seq) & 1)
            die(&st->slots[k], what); /* from a thread of the engine's own */
}

static void *watch(void *arg)
{
    (void)arg;
    static unsigned seen[SLOTS], ticks[SLOTS];
    struct timespec tick = {0, TICK_MS * 1000000L};
    while (atomic_load(&watching)) {
        nanosleep(&tick, NULL);
        unsigned used = atomic_load(&st->slots_used);
        for (unsigned k = 0; k < used && k < SLOTS; k++) {
            unsigned seq = atomic_load(&st->slots[k].seq);
            unsigned ms = atomic_load(&limit_ms);
            unsigned limit = atomic_load(&st->slots[k].op) == SH_GUARD_CREATE
                                 ? ms * SH_CREATE_LIMITS
                                 : ms;
            if (!(seq & 1) || seq != seen[k]) {
                seen[k] = seq;
                ticks[k] = 0;
            } else if (++ticks[k] * TICK_MS >= limit) {
                char what[64];
                snprintf(what, sizeof what, "did not return within %.1f s", limit / 1000.0);
                die(&st->slots[k], what);
            }
        }
    }
    return NULL;
}

void sh_guard_default_signals(void)
{
    for (int k = 0; k < 5; k++)
        signal(fatal[k], SIG_DFL);
}

sh_guard_state *sh_guard_share(void)
{
    void *p = mmap(NULL, sizeof *st, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    st = p;
    return st;
}

void sh_guard_supervised(void)
{
    atomic_store(&st->supervised, 1);
}

/* Set once an exit hook is in (see sh_guard_enter for the first call's). */
static atomic_int exit_hooked, install_hooked;

void sh_guard_install(const char *name, const sh_guard_items *m, unsigned timeout_ms)
{
    atomic_store(&items, m);
    atomic_store(&limit_ms, timeout_ms);
    if (atomic_load(&watching))
        return;
    snprintf(st->engine, sizeof st->engine, "%s", name);
    /* For an exit() in create. The first engine call on an image hooks
     * again, so that its hook runs first (see sh_guard_enter). */
    if (!atomic_exchange(&install_hooked, 1))
        on_exit(on_exit_call, NULL);
    memset(&ours, 0, sizeof ours);
    ours.sa_sigaction = on_signal;
    ours.sa_flags = SA_SIGINFO;
    sigemptyset(&ours.sa_mask);
    for (int k = 0; k < 5; k++)
        sigaction(fatal[k], &ours, &saved[k]);
    atomic_store(&watching, 1);
    if (pthread_create(&watchdog, NULL, watch, NULL))
        atomic_store(&watching, 0);
}

void sh_guard_remove(void)
{
    if (!atomic_load(&watching))
        return;
    atomic_store(&watching, 0);
    pthread_join(watchdog, NULL);
    for (int k = 0; k < 5; k++)
        sigaction(fatal[k], &saved[k], NULL);
}

void sh_guard_enter(sh_guard_op op, uint32_t a, uint32_t b)
{
    /* Exit handlers run last-registered first: hooked at the first engine
     * call, after the first image was decoded, ours runs before the
     * destructors of the codecs' lazily made statics, which other threads
     * still use. */
    if (!is_life((int)op) && !atomic_load_explicit(&exit_hooked, memory_order_relaxed) &&
        !atomic_exchange(&exit_hooked, 1))
        on_exit(on_exit_call, NULL);
    if (my_slot < 0) {
        unsigned k = atomic_fetch_add(&st->slots_used, 1);
        my_slot = k < SLOTS ? (int)k : SLOTS; /* beyond SLOTS: unwatched */
    }
    if (my_slot >= SLOTS)
        return;
    slot *s = &st->slots[my_slot];
    atomic_store(&s->op, (int)op);
    atomic_store(&s->a, a);
    atomic_store(&s->b, b);
    atomic_fetch_add(&s->seq, 1);
}

void sh_guard_leave(void)
{
    if (my_slot >= 0 && my_slot < SLOTS)
        atomic_fetch_add(&st->slots[my_slot].seq, 1);
}

void sh_guard_check(void)
{
    if (!atomic_load(&watching) || my_slot < 0 || my_slot >= SLOTS)
        return;
    /* The engine closed the harness's descriptors: nothing it writes from
     * here on can be trusted to land. */
    if (fcntl(STDERR_FILENO, F_GETFD) < 0) {
        slot *s = &st->slots[my_slot];
        die(s, "closed the harness's descriptors (standard error among them)");
    }
    /* An engine that set a fatal signal to be ignored (or back to default)
     * would die unexplained on its next fault: ours again. A handler of the
     * engine's own (a runtime's) is left in place. */
    for (int k = 0; k < 5; k++) {
        struct sigaction cur;
        if (sigaction(fatal[k], NULL, &cur) == 0 &&
            (cur.sa_handler == SIG_IGN || cur.sa_handler == SIG_DFL) &&
            !(cur.sa_flags & SA_SIGINFO))
            sigaction(fatal[k], &ours, NULL);
    }
}

int sh_guard_postmortem(char *out, size_t cap, const sh_guard_state *s, int status,
                            const sh_guard_items *m)
{
    if (atomic_load(&s->said)) {
        snprintf(out, cap, "%s", s->msg);
        return 1;
    }
    unsigned used = atomic_load(&s->slots_used), inside = 0;
    for (unsigned k = 0; k < used && k < SLOTS; k++)
        inside += atomic_load(&s->slots[k].seq) & 1;
    for (unsigned k = 0; k < used && k < SLOTS; k++) {
        if (!(atomic_load(&s->slots[k].seq) & 1))
            continue;
        char what[96];
        if (WIFSIGNALED(status))
            snprintf(what, sizeof what, "ended the run by signal %d (SIG%s)", WTERMSIG(status),
                     sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
        else
            snprintf(what, sizeof what, "ended the run with exit status %d", WEXITSTATUS(status));
        char end[sizeof s->checkpoint + 384];
        tail_of(end, sizeof end, s, is_life(atomic_load(&s->slots[k].op)));
        size_t end_size = strlen(end) + 1;
        size_t n = describe_call(out, cap > end_size ? cap - end_size : cap, s, &s->slots[k], m,
                                 what);
        if (inside > 1 && n + 64 + end_size < cap)
            n += (size_t)snprintf(out + n, 64, " (one of %u calls in flight)", inside);
        if (n + end_size <= cap)
            memcpy(out + n, end, end_size);
        return 1;
    }
    return 0;
}

/* The first call in flight in s, or NULL. */
static const slot *first_call(const sh_guard_state *s)
{
    unsigned used = atomic_load(&s->slots_used);
    for (unsigned k = 0; k < used && k < SLOTS; k++)
        if (atomic_load(&s->slots[k].seq) & 1)
            return &s->slots[k];
    return NULL;
}

/* ", in <call> on image ..." for the first call in flight, or nothing:
 * into buf; returns the length written. */
static size_t in_flight(char *buf, size_t cap, const sh_guard_state *s, const sh_guard_items *m)
{
    const slot *c = first_call(s);
    if (!c)
        return 0;
    size_t len = written(snprintf(buf, cap, ","), cap);
    return len + describe_where(buf + len, cap - len, c, m);
}

void sh_guard_signalled(char *out, size_t cap, const sh_guard_state *s, int sig,
                        const sh_guard_items *m)
{
    char what[128];
    snprintf(what, sizeof what, "sent signal %d (SIG%s) to the run's supervising process", sig,
             sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
    int n = snprintf(out, cap, "shades: error: %sengine '%s' %s", s->origin, s->engine, what);
    size_t len = written(n, cap);
    len += in_flight(out + len, cap - len, s, m);
    snprintf(out + len, cap - len, "; the run is stopped, and no results were written\n");
}

int sh_guard_in_call(const sh_guard_state *s)
{
    return first_call(s) != NULL;
}

void sh_guard_killed(char *out, size_t cap, const sh_guard_state *s, const char *who, int sig,
                     const char *tail, const sh_guard_items *m)
{
    int stop = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
    int n = snprintf(out, cap, "shades: error: %s was %s (SIG%s), by no signal to "
                     "shades: %sanother program or the engine", who, stop ? "stopped" : "killed",
                     sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
                     sig == SIGKILL ? "the out-of-memory killer, " : "");
    size_t len = written(n, cap);
    len += in_flight(out + len, cap - len, s, m);
    snprintf(out + len, cap - len, "%s\n", tail);
}
