/* The opencv-classic engine's OpenCV work behind a C face (classic_cv.cpp):
 * cascade detection, eye alignment and LBPH histograms. */
#ifndef SHADES_OCV_CLASSIC_CV_H
#define SHADES_OCV_CLASSIC_CV_H

#include <shades/adapter.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLASSIC_PATH_MAX 1024

/* Settings from the engine options (docs/opencv-adapters.md). */
typedef struct classic_settings {
    char face_cascade[CLASSIC_PATH_MAX];
    char eye_cascade[CLASSIC_PATH_MAX]; /* "none": align by the box alone */
    int min_face;                       /* smallest face side, pixels */
    double scale_factor;                /* cascade pyramid step */
    int min_neighbors;                  /* cascade hits needed for a face */
    int radius, neighbors, grid;        /* LBPH operator and cell grid */
    int crop;                           /* aligned face side, pixels */
    int max_side;                       /* larger images are shrunk first */
} classic_settings;

/* Loaded detectors: a pool, one cascade pair per concurrent call, because
 * OpenCV's CascadeClassifier may not be shared between threads. */
typedef struct classic_cv classic_cv;

/* Loads the cascades; on failure returns -1 with the reason in why. */
int classic_cv_create(classic_cv **out, const classic_settings *s, char *why, size_t cap);

/* Frees the pool; NULL is allowed. */
void classic_cv_destroy(classic_cv *cv);

/* Floats in one LBPH histogram with these settings. */
size_t classic_cv_dim(const classic_settings *s);

/* Detects, aligns and describes the largest face: writes classic_cv_dim
 * floats into out_hist and returns a shades_outcome, or a negative
 * shades_status when OpenCV fails. [thread: any] */
int classic_cv_describe(float *out_hist, classic_cv *cv, const shades_image *image);

/* Faces in the image, largest first, with eyes where found. [thread: any] */
int classic_cv_detect(shades_face *out, size_t *out_count, classic_cv *cv,
                      const shades_image *image, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
