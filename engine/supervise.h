/* A parent for an in-process run: the engine shares the run's process, so
 * whatever it does to that process (exit, _exit, close every descriptor,
 * ignore a fatal signal and then fault) the parent, which the engine
 * cannot touch, still says in one line what happened, and the run still
 * ends with status 2. */
#ifndef SH_ENGINE_SUPERVISE_H
#define SH_ENGINE_SUPERVISE_H

#include "guard.h"

/* How the parent names the images of the call the child died in: load
 * fills *out (and *out_owner, handed to release afterwards), returning 0,
 * or nonzero when they cannot be had; the line then names the call alone.
 * Called in the parent only, after the child ended. */
typedef struct sh_supervise_items {
    int (*load)(sh_guard_items *out, void **out_owner, void *ctx);
    void (*release)(void *owner);
    void *ctx;
} sh_supervise_items;

/* Forks the run. Returns 0 in the child, which goes on with the run (and
 * is killed should the parent die), or when no child could be had (the
 * run then goes on unsupervised). In the parent it waits for the child,
 * prints the line the child could not, and returns 1 with the status to
 * exit with in *out_status (a child killed by a signal the engine did not
 * cause is passed on by raising it). items (may be NULL) names the images
 * of the call in flight. [thread: main, before any other thread exists] */
int sh_supervise(int *out_status, const sh_supervise_items *items);

#endif
