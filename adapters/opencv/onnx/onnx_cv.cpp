// OpenCV has no C API for cv::dnn; this file gives the opencv-onnx engine a
// C face onto it: loading the models, a pool of nets per concurrent call,
// and each call running the pipeline's steps (onnx_steps.cpp).
#include "onnx_cv.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "cv_image.hpp"
#include "onnx_steps.hpp"
#include "pool.hpp"

using namespace onnx_steps;

namespace {
// Larger images are shrunk first: the crops are small, more pixels buy nothing.
const int MAX_SIDE = 2048;
} // namespace

struct onnx_cv {
    onnx_settings s;
    uint32_t dim = 0;
    std::unique_ptr<shades_ocv::pool<nets>> pool;
};

// A model file as a Net, or an empty Net with one line in why.
static bool load_one(cv::dnn::Net &out, const char *option, const char *path, char *why,
                     size_t cap)
{
    if (!path[0])
        return true;
    FILE *f = std::fopen(path, "rb");
    if (!f) {
        std::snprintf(why, cap, "option %s: cannot read '%s': %s", option, path,
                      std::strerror(errno));
        return false;
    }
    std::fclose(f);
    try {
        out = cv::dnn::readNetFromONNX(path);
    } catch (const cv::Exception &e) {
        std::snprintf(why, cap, "option %s: cannot load '%s' as an ONNX model: %s", option, path,
                      e.err.c_str());
        return false;
    }
    if (out.empty()) {
        std::snprintf(why, cap, "option %s: cannot load '%s' as an ONNX model", option, path);
        return false;
    }
    out.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    out.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return true;
}

// All of a settings' models; false with the first failure in why.
static bool load_all(nets &n, const onnx_settings *s, char *why, size_t cap)
{
    return load_one(n.detector, "detector", s->detector, why, cap) &&
           load_one(n.landmark, "landmark", s->landmark, why, cap) &&
           load_one(n.feature, "feature", s->feature, why, cap) &&
           load_one(n.gender, "gender", s->gender, why, cap) &&
           load_one(n.age, "age", s->age, why, cap);
}

// The feature model's output length, from one run on a grey crop.
static uint32_t feature_length(nets &n)
{
    cv::Mat grey(FEATURE_SIDE, FEATURE_SIDE, CV_8UC3, cv::Scalar(127, 127, 127));
    n.feature.setInput(
        cv::dnn::blobFromImage(grey, 1 / 128.0, cv::Size(), cv::Scalar(127, 127, 127)), "input");
    cv::Mat out = n.feature.forward();
    return out.type() == CV_32F ? (uint32_t)out.total() : 0;
}

extern "C" int onnx_cv_create(onnx_cv **out, const onnx_settings *s, char *why, size_t cap)
{
    *out = nullptr;
    try {
        // The harness runs images in parallel; OpenCV's own worker threads
        // under each call would only oversubscribe the cores.
        cv::setNumThreads(0);
        auto cv = std::make_unique<onnx_cv>();
        cv->s = *s;
        nets first;
        if (!load_all(first, s, why, cap))
            return -1;
        cv->dim = feature_length(first);
        if (cv->dim == 0 || cv->dim > 65536) {
            std::snprintf(why, cap, "option feature: '%s' gives %u floats, not a feature of "
                          "1-65536 floats", s->feature, cv->dim);
            return -1;
        }
        const onnx_settings *set = &cv->s;
        cv->pool = std::make_unique<shades_ocv::pool<nets>>([set](nets &n) {
            char ignored[256];
            return load_all(n, set, ignored, sizeof ignored);
        });
        if (!cv->pool->warm()) {
            std::snprintf(why, cap, "cannot load the models a second time");
            return -1;
        }
        *out = cv.release();
        return 0;
    } catch (const cv::Exception &e) {
        std::snprintf(why, cap, "cannot run the models: %s", e.err.c_str());
        return -1;
    } catch (const std::exception &e) {
        std::snprintf(why, cap, "cannot load the models: %s", e.what());
        return -1;
    }
}

extern "C" void onnx_cv_destroy(onnx_cv *cv)
{
    delete cv;
}

extern "C" uint32_t onnx_cv_dimension(const onnx_cv *cv)
{
    return cv->dim;
}

// The image in RGB, at most MAX_SIDE a side; *k is the scale applied.
static bool to_rgb(cv::Mat &out, double *k, const shades_image *image)
{
    cv::Mat wrapped;
    if (!shades_ocv::wrap(wrapped, *image) || wrapped.cols < 2 || wrapped.rows < 2)
        return false;
    int side = std::max(wrapped.cols, wrapped.rows);
    *k = side > MAX_SIDE ? (double)MAX_SIDE / side : 1.0;
    cv::Mat small = wrapped;
    if (*k < 1)
        cv::resize(wrapped, small, cv::Size(), *k, *k, cv::INTER_AREA);
    if (small.channels() == 1)
        cv::cvtColor(small, out, cv::COLOR_GRAY2RGB);
    else
        out = small; // RGB already; read, never written
    return true;
}

// The eyes of five points in the harness's terms (left: the image's left).
static shades_eyes eyes_of(const five &p, double k)
{
    shades_eyes e = {};
    e.left_x = (float)(p[0].x / k), e.left_y = (float)(p[0].y / k);
    e.right_x = (float)(p[1].x / k), e.right_y = (float)(p[1].y / k);
    e.left_set = e.right_set = 1;
    return e;
}

// Runs fn, mapping C++ exceptions to statuses at the C face.
template <class Fn> static int guarded(Fn fn)
{
    try {
        return fn();
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &) {
        return SHADES_ERR_ENGINE;
    }
}

extern "C" int onnx_cv_describe(float *out_feature, shades_eyes *out_eyes, onnx_cv *cv,
                                const shades_image *image)
{
    return guarded([&] {
        cv::Mat rgb;
        double k;
        if (!to_rgb(rgb, &k, image))
            return (int)SHADES_OUTCOME_REFUSED;
        return cv->pool->with([&](nets &n) {
            std::vector<face> faces = detect(n, rgb, cv->s.score_threshold, cv->s.nms_threshold);
            if (faces.empty())
                return (int)SHADES_OUTCOME_NO_FACE;
            five p;
            cv::Mat m, aligned;
            try {
                p = landmarks(n, rgb, faces[0].box);
                m = similarity(p);
            } catch (const face_failed &) {
                return (int)SHADES_OUTCOME_FAILED;
            }
            cv::warpAffine(rgb, aligned, m, cv::Size(FEATURE_SIDE, FEATURE_SIDE),
                           cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));
            n.feature.setInput(cv::dnn::blobFromImage(aligned, 1 / 128.0, cv::Size(),
                                                      cv::Scalar(127, 127, 127)), "input");
            cv::Mat f = n.feature.forward();
            if (f.type() != CV_32F || f.total() != cv->dim)
                return (int)SHADES_ERR_ENGINE;
            std::copy(f.ptr<float>(), f.ptr<float>() + cv->dim, out_feature);
            *out_eyes = eyes_of(p, k);
            return (int)SHADES_OUTCOME_OK;
        });
    });
}

extern "C" int onnx_cv_detect(shades_face *out, size_t *out_count, onnx_cv *cv,
                              const shades_image *image, size_t capacity)
{
    *out_count = 0;
    return guarded([&] {
        cv::Mat rgb;
        double k;
        if (!to_rgb(rgb, &k, image))
            return (int)SHADES_OK;
        return cv->pool->with([&](nets &n) {
            std::vector<face> faces = detect(n, rgb, cv->s.score_threshold, cv->s.nms_threshold);
            size_t count = std::min(capacity, faces.size());
            for (size_t i = 0; i < count; i++) {
                const cv::Rect2d &b = faces[i].box;
                shades_face f = {};
                f.x = (float)(b.x / k), f.y = (float)(b.y / k);
                f.width = (float)(b.width / k), f.height = (float)(b.height / k);
                f.confidence = std::min(1.0f, std::max(0.0f, faces[i].score));
                try {
                    f.eyes = eyes_of(landmarks(n, rgb, b), k);
                } catch (const face_failed &) {
                    // a face without usable landmarks is reported without eyes
                }
                out[i] = f;
            }
            *out_count = count;
            return (int)SHADES_OK;
        });
    });
}

extern "C" int onnx_cv_estimate(shades_attributes *out, onnx_cv *cv, const shades_image *image)
{
    out->sex = SHADES_SEX_UNKNOWN;
    out->sex_confidence = 0;
    out->age = -1;
    return guarded([&] {
        cv::Mat rgb;
        double k;
        if (!to_rgb(rgb, &k, image)) {
            out->outcome = SHADES_OUTCOME_REFUSED;
            return (int)SHADES_OK;
        }
        return cv->pool->with([&](nets &n) {
            std::vector<face> faces = detect(n, rgb, cv->s.score_threshold, cv->s.nms_threshold);
            if (faces.empty()) {
                out->outcome = SHADES_OUTCOME_NO_FACE;
                return (int)SHADES_OK;
            }
            cv::Mat crop;
            try {
                cv::resize(rgb(crop_of(faces[0].box, 1.4, rgb)), crop, cv::Size(64, 64));
            } catch (const face_failed &) {
                out->outcome = SHADES_OUTCOME_FAILED;
                return (int)SHADES_OK;
            }
            if (!n.gender.empty()) {
                // 0..1, higher is male on generated faces of known sex
                // (docs/opencv-adapters.md); the distance from 0.5 is the confidence.
                double g = ssr(n.gender, crop, 1);
                if (std::isfinite(g)) {
                    out->sex = g >= 0.5 ? SHADES_SEX_MALE : SHADES_SEX_FEMALE;
                    out->sex_confidence = (float)std::min(1.0, std::fabs(2 * g - 1));
                }
            }
            double age = n.age.empty() ? -1 : ssr(n.age, crop, 101);
            if (std::isfinite(age) && age >= 0)
                out->age = (float)age;
            out->outcome = SHADES_OUTCOME_OK;
            return (int)SHADES_OK;
        });
    });
}
