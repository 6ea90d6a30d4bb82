/* In-process engine calls under watch: a crash or a hang inside the engine
 * ends the run at once with one message naming the call and the image,
 * before any results file exists. (Isolated runs record these instead.) */
#ifndef SHADES_HARNESS_GUARD_H
#define SHADES_HARNESS_GUARD_H

#include <stdint.h>

#include "manifest.h"

/* Installs the fatal-signal handlers and the watchdog thread for calls of
 * engine `name` on items of m. One guard per process. [thread: main] */
void shades_guard_install(const char *name, const shades_manifest *m, unsigned timeout_ms);

/* Removes them; safe when not installed. [thread: main, no call in flight] */
void shades_guard_remove(void);

/* Puts the fatal signals back to their default action, so that a crash in
 * a child process (isolated worker, check-adapter) ends it with its signal
 * for the parent to read; sanitizer handlers would turn it into an exit
 * status. [thread: main of the child] */
void shades_guard_default_signals(void);

/* Marks the calling thread as inside engine function `op` (a string
 * literal) on items a and b (UINT32_MAX: none). [thread: any] */
void shades_guard_enter(const char *op, uint32_t a, uint32_t b);

/* Marks the calling thread as back in the harness. [thread: any] */
void shades_guard_leave(void);

#endif
