/* Progress of a run's long stages: a bar with rate and ETA on a terminal,
 * plain periodic lines otherwise. */
#ifndef SH_CORE_PROGRESS_H
#define SH_CORE_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef enum sh_progress_mode {
    SH_PROGRESS_AUTO = 0,   /* bar when the stream is a terminal, else lines */
    SH_PROGRESS_BAR,
    SH_PROGRESS_LINES,
    SH_PROGRESS_OFF
} sh_progress_mode;

typedef struct sh_progress sh_progress;

/* Creates a reporter writing to stream (borrowed). Lines mode prints a
 * line at most every `interval` seconds within a stage and one when the
 * stage ends; bar mode redraws at most ten times a second. NULL when out
 * of memory or when mode is OFF; every function accepts NULL and does
 * nothing. */
sh_progress *sh_progress_create(FILE *stream, sh_progress_mode mode, double interval);

/* Starts a stage of `total` units named label (borrowed until the next
 * stage). [thread: the run's own thread, between parallel sections] */
void sh_progress_stage(sh_progress *p, const char *label, uint64_t total);

/* Counts n more units done. [thread: any; never blocks on another caller] */
void sh_progress_add(sh_progress *p, uint64_t n);

/* Ends the stage with its final count, rate and time. [thread: as _stage] */
void sh_progress_end(sh_progress *p);

/* Frees p; NULL is allowed. */
void sh_progress_destroy(sh_progress *p);

/* Parses "auto", "bar", "lines" or "off". */
int sh_progress_mode_parse(sh_progress_mode *out, const char *name);

#endif
