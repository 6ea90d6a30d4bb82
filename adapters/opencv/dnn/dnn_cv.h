/* The opencv-dnn engine's OpenCV work behind a C face (dnn_cv.cpp): YuNet
 * detection through FaceDetectorYN, alignment and SFace features through
 * FaceRecognizerSF. */
#ifndef SHADES_OCV_DNN_CV_H
#define SHADES_OCV_DNN_CV_H

#include <shades/adapter.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DNN_PATH_MAX 1024

/* Settings from the engine options (docs/opencv-adapters.md). */
typedef struct dnn_settings {
    char detector[DNN_PATH_MAX];   /* YuNet ONNX file */
    char recognizer[DNN_PATH_MAX]; /* SFace ONNX file */
    double score_threshold;        /* lowest detection score kept */
    double nms_threshold;
    int detect_size;               /* images are letterboxed to this square */
} dnn_settings;

/* Loaded nets, one detector and recognizer per concurrent call. */
typedef struct dnn_cv dnn_cv;

/* Loads both models; on failure returns -1 with the reason in why. */
int dnn_cv_create(dnn_cv **out, const dnn_settings *s, char *why, size_t cap);

/* Frees the nets; NULL is allowed. */
void dnn_cv_destroy(dnn_cv *cv);

/* Floats in a feature, read from the recognizer's output (128 for SFace).
 * [thread: any] */
uint32_t dnn_cv_dimension(const dnn_cv *cv);

/* Detects the most confident face, aligns it and writes its
 * dnn_cv_dimension-float feature into out_feature; returns a
 * shades_outcome, or a negative shades_status when OpenCV fails.
 * [thread: any] */
int dnn_cv_describe(float *out_feature, dnn_cv *cv, const shades_image *image);

/* Faces above the score threshold, most confident first. [thread: any] */
int dnn_cv_detect(shades_face *out, size_t *out_count, dnn_cv *cv, const shades_image *image,
                  size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
