/* Progress of a run's long stages: a bar with rate and ETA on a terminal,
 * plain periodic lines otherwise. */
#ifndef SHADES_HARNESS_PROGRESS_H
#define SHADES_HARNESS_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef enum shades_progress_mode {
    SHADES_PROGRESS_AUTO = 0,   /* bar when the stream is a terminal, else lines */
    SHADES_PROGRESS_BAR,
    SHADES_PROGRESS_LINES,
    SHADES_PROGRESS_OFF
} shades_progress_mode;

typedef struct shades_progress shades_progress;

/* Creates a reporter writing to stream (borrowed). Lines mode prints a
 * line at most every `interval` seconds within a stage and one when the
 * stage ends; bar mode redraws at most ten times a second. NULL when out
 * of memory or when mode is OFF; every function accepts NULL and does
 * nothing. */
shades_progress *shades_progress_create(FILE *stream, shades_progress_mode mode, double interval);

/* Starts a stage of `total` units named label (borrowed until the next
 * stage). [thread: the run's own thread, between parallel sections] */
void shades_progress_stage(shades_progress *p, const char *label, uint64_t total);

/* Counts n more units done. [thread: any; never blocks on another caller] */
void shades_progress_add(shades_progress *p, uint64_t n);

/* Ends the stage with its final count, rate and time. [thread: as _stage] */
void shades_progress_end(shades_progress *p);

/* Frees p; NULL is allowed. */
void shades_progress_destroy(shades_progress *p);

/* Parses "auto", "bar", "lines" or "off". */
int shades_progress_mode_parse(shades_progress_mode *out, const char *name);

#endif
