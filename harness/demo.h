/* `shades demo`: render synthetic faces and run opencv-classic on them;
 * generate a code cohort and run the synthetic engine, showing the measured
 * rates beside the planted truth; write both results and an HTML report. */
#ifndef SHADES_HARNESS_DEMO_H
#define SHADES_HARNESS_DEMO_H

#include "error.h"
#include "progress.h"

/* Demo sizes and where it writes. */
typedef struct shades_demo_options {
    const char *out_dir;       /* cohort, config and results go here */
    unsigned subjects;
    unsigned images_per_subject;
    unsigned face_subjects;    /* identities rendered for opencv-classic; 0 skips it */
    unsigned threads;          /* 0: as the demo config says */
    shades_progress_mode progress; /* on stderr */
} shades_demo_options;

/* The text of configs/demo.yaml and configs/demo-classic.yaml, built into
 * the binary. */
extern const char shades_demo_config[];
extern const char shades_demo_classic_config[];

/* Runs the demo, printing to stdout. */
int shades_demo(const shades_demo_options *opts, shades_err *err);

#endif
