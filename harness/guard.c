#include "guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 256
#define TICK_MS 100

/* One thread's current engine call; seq is odd while inside. */
typedef struct slot {
    atomic_uint seq;
    _Atomic(const char *) op;
    atomic_uint a, b;
} slot;

static slot slots[SLOTS];
static atomic_uint slots_used;
static _Thread_local int my_slot = -1;

static const char *engine_name;
static const shades_manifest *manifest;
static unsigned limit_ms;
static atomic_int watching;
static pthread_t watchdog;
static struct sigaction saved[5];
static const int fatal[5] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

/* Writes "on image 'ID' (manifest:line)" for item i into buf. */
static size_t describe_item(char *buf, size_t cap, const char *pre, unsigned i)
{
    if (i == UINT32_MAX || !manifest || i >= manifest->n_items)
        return 0;
    int n = snprintf(buf, cap, "%s'%s' (%s:%zu)", pre, manifest->image_id[i], manifest->path,
                     manifest->line[i]);
    return n > 0 ? (size_t)n : 0;
}

/* Set by the first thread to die: the run ends with one message even when
 * several engine calls crash at once, or a crash meets the watchdog. */
static atomic_flag dying = ATOMIC_FLAG_INIT;

/* Prints the fatal message for slot s and ends the process with status 2;
 * a second caller waits for the first to end the process. */
static void die(const slot *s, const char *what)
{
    if (atomic_flag_test_and_set(&dying))
        for (;;)
            pause();
    char msg[2048];
    size_t n = (size_t)snprintf(msg, sizeof msg, "shades: error: engine '%s' %s in %s", engine_name,
                                what, atomic_load(&s->op));
    unsigned a = atomic_load(&s->a), b = atomic_load(&s->b);
    n += describe_item(msg + n, sizeof msg - n, b == UINT32_MAX ? " on image " : " of image ",
                       b == UINT32_MAX ? a : b);
    if (b != UINT32_MAX)
        n += describe_item(msg + n, sizeof msg - n, " with ", a);
    snprintf(msg + n, sizeof msg - n, "; no results were written (--isolate records such "
             "failures per image and goes on)\n");
    ssize_t w = write(STDERR_FILENO, msg, strlen(msg));
    (void)w;
    _exit(2);
}

static void on_signal(int sig)
{
    if (my_slot >= 0 && my_slot < SLOTS && atomic_load(&slots[my_slot].seq) & 1) {
        char what[64];
        snprintf(what, sizeof what, "crashed (SIG%s)", sigabbrev_np(sig));
        die(&slots[my_slot], what);
    }
    /* Not inside the engine: a harness fault, left to the default action. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void *watch(void *arg)
{
    (void)arg;
    static unsigned seen[SLOTS], ticks[SLOTS];
    struct timespec tick = {0, TICK_MS * 1000000L};
    while (atomic_load(&watching)) {
        nanosleep(&tick, NULL);
        unsigned used = atomic_load(&slots_used);
        for (unsigned k = 0; k < used && k < SLOTS; k++) {
            unsigned seq = atomic_load(&slots[k].seq);
            if (!(seq & 1) || seq != seen[k]) {
                seen[k] = seq;
                ticks[k] = 0;
            } else if (++ticks[k] * TICK_MS >= limit_ms) {
                char what[64];
                snprintf(what, sizeof what, "did not return within %.1f s", limit_ms / 1000.0);
                die(&slots[k], what);
            }
        }
    }
    return NULL;
}

void shades_guard_default_signals(void)
{
    for (int k = 0; k < 5; k++)
        signal(fatal[k], SIG_DFL);
}

void shades_guard_install(const char *name, const shades_manifest *m, unsigned timeout_ms)
{
    if (atomic_load(&watching))
        return;
    engine_name = name;
    manifest = m;
    limit_ms = timeout_ms;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < 5; k++)
        sigaction(fatal[k], &sa, &saved[k]);
    atomic_store(&watching, 1);
    if (pthread_create(&watchdog, NULL, watch, NULL))
        atomic_store(&watching, 0);
}

void shades_guard_remove(void)
{
    if (!atomic_load(&watching))
        return;
    atomic_store(&watching, 0);
    pthread_join(watchdog, NULL);
    for (int k = 0; k < 5; k++)
        sigaction(fatal[k], &saved[k], NULL);
}

void shades_guard_enter(const char *op, uint32_t a, uint32_t b)
{
    if (my_slot < 0) {
        unsigned k = atomic_fetch_add(&slots_used, 1);
        my_slot = k < SLOTS ? (int)k : SLOTS; /* beyond SLOTS: unwatched */
    }
    if (my_slot >= SLOTS)
        return;
    slot *s = &slots[my_slot];
    atomic_store(&s->op, op);
    atomic_store(&s->a, a);
    atomic_store(&s->b, b);
    atomic_fetch_add(&s->seq, 1);
}

void shades_guard_leave(void)
{
    if (my_slot >= 0 && my_slot < SLOTS)
        atomic_fetch_add(&slots[my_slot].seq, 1);
}
