/* `shades demo`: render synthetic faces and run a pretrained model set on
 * them (verification, then a Gender-Shades-style audit of its sex
 * estimator); generate a code cohort and run the synthetic engine, showing the measured
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
    unsigned face_subjects;    /* identities rendered for opencv-onnx; 0 skips it */
    unsigned threads;          /* 0: as the demo config says */
    sh_progress_mode progress; /* on stderr */
} sh_demo_options;

/* The text of configs/demo.yaml, demo-onnx.yaml and demo-onnx-sex.yaml,
 * built into the binary. */
extern const char sh_demo_config[];
extern const char sh_demo_onnx_config[];
extern const char sh_demo_onnx_sex_config[];

/* Runs the demo, printing to stdout. */
int sh_demo(const sh_demo_options *opts, sh_err *err);

#endif
