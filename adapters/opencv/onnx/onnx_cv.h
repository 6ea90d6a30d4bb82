/* The opencv-onnx engine's OpenCV work behind a C face (onnx_cv.cpp): the
 * faceplugin models (UltraFace detection, 68 landmarks, an ArcFace-style
 * feature, SSR-Net sex and age) run through cv::dnn. */
#ifndef SHADES_OCV_ONNX_CV_H
#define SHADES_OCV_ONNX_CV_H

#include <shades/adapter.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ONNX_PATH_MAX 1024

/* Settings from the engine options (docs/opencv-adapters.md); an empty
 * path is a model not given. */
typedef struct onnx_settings {
    char detector[ONNX_PATH_MAX]; /* UltraFace RFB-320 ONNX file */
    char landmark[ONNX_PATH_MAX]; /* 68-point landmark ONNX file */
    char feature[ONNX_PATH_MAX];  /* 112x112 face feature ONNX file */
    char gender[ONNX_PATH_MAX];   /* SSR-Net sex ONNX file, optional */
    char age[ONNX_PATH_MAX];      /* SSR-Net age ONNX file, optional */
    double score_threshold;       /* lowest face score kept */
    double nms_threshold;         /* IoU above which a weaker box is dropped */
} onnx_settings;

/* Loaded nets, one set per concurrent call. */
typedef struct onnx_cv onnx_cv;

/* Loads every given model; on failure returns -1 with one line naming the
 * option and its file in why. */
int onnx_cv_create(onnx_cv **out, const onnx_settings *s, char *why, size_t cap);

/* Frees the nets; NULL is allowed. */
void onnx_cv_destroy(onnx_cv *cv);

/* Floats in a feature, read from the feature model's output. [thread: any] */
uint32_t onnx_cv_dimension(const onnx_cv *cv);

/* Detects the most confident face, aligns it by its landmarks and writes
 * its onnx_cv_dimension floats into out_feature and its eyes into
 * out_eyes; returns a shades_outcome, or a negative shades_status when
 * OpenCV fails. [thread: any] */
int onnx_cv_describe(float *out_feature, shades_eyes *out_eyes, onnx_cv *cv,
                     const shades_image *image);

/* Faces above the score threshold, most confident first, with the eyes
 * from their landmarks. [thread: any] */
int onnx_cv_detect(shades_face *out, size_t *out_count, onnx_cv *cv, const shades_image *image,
                   size_t capacity);

/* Sex and age of the most confident face into *out (sex unknown without a
 * gender model, age -1 without an age model). [thread: any] */
int onnx_cv_estimate(shades_attributes *out, onnx_cv *cv, const shades_image *image);

#ifdef __cplusplus
}
#endif

#endif
