/* `shades demo`: render synthetic faces and run opencv-classic on them;
 * generate a code cohort and run the synthetic engine, showing the measured
 * rates beside the planted truth; write both results and an HTML report. */
#ifndef SH_HARNESS_DEMO_H
#define SH_HARNESS_DEMO_H

#include "error.h"
#include "progress.h"

/* Demo sizes and where it writes. */
typedef struct sh_demo_options {
    const char *out_dir;       /* cohort, config and results go here */
    unsigned subjects;
    unsigned images_per_subject;
    unsigned face_subjects;    /* identities rendered for opencv-classic; 0 skips it */
    unsigned threads;          /* 0: as the demo config says */
    sh_progress_mode progress; /* on stderr */
} sh_demo_options;

/* The text of configs/demo.yaml and configs/demo-classic.yaml, built into
 * the binary. */
extern const char sh_demo_config[];
extern const char sh_demo_classic_config[];

/* Runs the demo, printing to stdout. */
int sh_demo(const sh_demo_options *opts, sh_err *err);

#endif
