/* In-process engine calls under watch: a crash, a hang, an exit() or the
 * closing of the harness's descriptors inside the engine ends the run at
 * once with one message naming the call and the image, before any results
 * file exists. (Isolated runs record these instead.) What the process
 * itself cannot report (an engine's _exit, a fault with the signal set to
 * be ignored in the same call) a supervising parent reports from the
 * shared state (supervise.h). */
#ifndef SH_ENGINE_GUARD_H
#define SH_ENGINE_GUARD_H

#include <stdint.h>

#include <stddef.h>

/* The items engine calls are made on, as the guard names them: image ids
 * and the lines of the file they were read from. Borrowed, read from a
 * signal handler: must stay unchanged while the guard is installed. */
typedef struct sh_guard_items {
    const char *path;          /* the file the items came from */
    char *const *image_id;     /* n of them */
    const size_t *line;        /* n of them */
    size_t n;
} sh_guard_items;

/* The guard's state: calls in flight and the run's last word. */
typedef struct sh_guard_state sh_guard_state;

/* Moves the guard's state into memory shared with children forked after
 * this call; NULL when no such memory could be had. [thread: main, before
 * any other thread exists] */
sh_guard_state *sh_guard_share(void);

/* In the supervised child: the guard leaves its messages in the shared
 * state for the parent to print, instead of printing them. [thread: main] */
void sh_guard_supervised(void);

/* What the fatal message names before the engine, as "rank 1 of 4 on
 * node7: " (a run across MPI ranks), so a job's one line says where it
 * died; "" (the default) for none. [thread: main, before engine calls] */
void sh_guard_set_origin(const char *origin);

/* The checkpoint the run keeps its work in, which the fatal message names
 * with how to go on; NULL or "" (the default) for none. [thread: main,
 * before engine calls on images] */
void sh_guard_set_checkpoint(const char *dir);

/* Installs the fatal-signal handlers, the exit hook and the watchdog
 * thread for calls of engine `name` on `items` (NULL: calls named without
 * their images). One guard per process: installed again, it takes the new
 * items and limit. [thread: main, no call in flight] */
void sh_guard_install(const char *name, const sh_guard_items *items, unsigned timeout_ms);

/* Names [start, start + len) as the run's templates, read-only once made:
 * a SIGSEGV there inside an engine call is reported as a write into a
 * template the engine kept. [thread: main, no call in flight] */
void sh_guard_protect(const void *start, size_t len);

/* Removes them; safe when not installed. [thread: main, no call in flight] */
void sh_guard_remove(void);

/* Puts the fatal signals back to their default action, so that a crash in
 * a child process (isolated worker, check-adapter) ends it with its signal
 * for the parent to read; sanitizer handlers would turn it into an exit
 * status. [thread: main of the child] */
void sh_guard_default_signals(void);

/* The engine functions a guarded call may be in. */
typedef enum sh_guard_op {
    SH_GUARD_CREATE_TEMPLATE,
    SH_GUARD_COMPARE,
    SH_GUARD_COMPARE_MANY,
    SH_GUARD_SEARCH,
    SH_GUARD_ESTIMATE,
    SH_GUARD_DESCRIBE, /* shades.provenance/1's describe */
    /* The engine's life: before the first image and after the last, where
     * a fault names no image and no run has anything to record. */
    SH_GUARD_CREATE,
    SH_GUARD_MAX_CONCURRENCY,
    SH_GUARD_TEMPLATE_SIZE_MAX,
    SH_GUARD_GET_EXTENSION,
    SH_GUARD_DESTROY
} sh_guard_op;

/* How many call limits create may take (loading a model can take a
 * while): 120 s at the default limit, under the guard and in an isolated
 * worker alike. */
#define SH_CREATE_LIMITS 4u

/* Marks the calling thread as inside engine function op on items a and b
 * (UINT32_MAX: none). [thread: any] */
void sh_guard_enter(sh_guard_op op, uint32_t a, uint32_t b);

/* Marks the calling thread as back in the harness. [thread: any] */
void sh_guard_leave(void);

/* After a call that returned: ends the run, naming the calling thread's
 * last call, when the engine closed the harness's standard error; puts
 * back the guard's handler for a fatal signal the engine set to be
 * ignored or to its default. Costs a few system calls: once per template,
 * estimate or search, once per block of comparisons. [thread: any] */
void sh_guard_check(void);

/* In a supervising parent, after the child ended with wait status
 * `status`: writes the one line to print into out (cap bytes) and returns
 * 1, when the child left a message or ended inside an engine call (items
 * named from items, which may be NULL); 0 otherwise. */
int sh_guard_postmortem(char *out, size_t cap, const sh_guard_state *s, int status,
                            const sh_guard_items *items);

/* In a supervising parent that its child (the engine) sent signal sig:
 * the one line naming the engine, and the call in flight when the parent
 * looked, if any (items may be NULL). */
void sh_guard_signalled(char *out, size_t cap, const sh_guard_state *s, int sig,
                        const sh_guard_items *m);

/* Whether an engine call is in flight in the shared state s. */
int sh_guard_in_call(const sh_guard_state *s);

/* In a supervising parent whose child was killed by signal sig (SIGKILL,
 * SIGTERM...), or stopped (SIGSTOP...), with no signal to the parent: the
 * one line naming who ("rank 1 of 4 on node7", "the run"), the engine call
 * it was in, if any (items may be NULL), then tail. */
void sh_guard_killed(char *out, size_t cap, const sh_guard_state *s, const char *who, int sig,
                     const char *tail, const sh_guard_items *m);

#endif
