// OpenCV 4 has no C API for FaceDetectorYN or FaceRecognizerSF; this file
// gives the opencv-dnn engine a C face onto them.
#include "dnn_cv.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "cv_image.hpp"
#include "pool.hpp"

namespace {

struct nets {
    cv::Ptr<cv::FaceDetectorYN> detector;
    cv::Ptr<cv::FaceRecognizerSF> recognizer;
};

} // namespace

struct dnn_cv {
    dnn_settings s;
    uint32_t dim = 0;
    std::unique_ptr<shades_ocv::pool<nets>> pool;
};

extern "C" int dnn_cv_create(dnn_cv **out, const dnn_settings *s, char *why, size_t cap)
{
    *out = nullptr;
    try {
        // The harness runs images in parallel; OpenCV's own worker threads
        // under each call would only oversubscribe the cores.
        cv::setNumThreads(0);
        auto cv = std::make_unique<dnn_cv>();
        cv->s = *s;
        const dnn_settings *set = &cv->s;
        cv->pool = std::make_unique<shades_ocv::pool<nets>>([set](nets &n) {
            cv::Size size(set->detect_size, set->detect_size);
            n.detector = cv::FaceDetectorYN::create(set->detector, "", size,
                                                    (float)set->score_threshold,
                                                    (float)set->nms_threshold);
            n.recognizer = cv::FaceRecognizerSF::create(set->recognizer, "");
            return !n.detector.empty() && !n.recognizer.empty();
        });
        if (!cv->pool->warm()) {
            std::snprintf(why, cap, "cannot load the models");
            return -1;
        }
        // The feature length is the recognizer's: one run on a grey crop.
        cv->dim = cv->pool->with([](nets &n) {
            cv::Mat grey(112, 112, CV_8UC3, cv::Scalar(127, 127, 127)), feature;
            n.recognizer->feature(grey, feature);
            return feature.type() == CV_32F ? (uint32_t)feature.total() : 0u;
        });
        if (cv->dim == 0 || cv->dim > 65536) {
            std::snprintf(why, cap, "recognizer '%s' gives %u floats, not a feature of 1-65536 "
                          "floats", s->recognizer, cv->dim);
            return -1;
        }
        *out = cv.release();
        return 0;
    } catch (const cv::Exception &e) {
        std::snprintf(why, cap, "cannot load detector '%s' or recognizer '%s': %s", s->detector,
                      s->recognizer, e.err.c_str());
        return -1;
    } catch (const std::exception &e) {
        std::snprintf(why, cap, "cannot load the models: %s", e.what());
        return -1;
    }
}

extern "C" void dnn_cv_destroy(dnn_cv *cv)
{
    delete cv;
}

extern "C" uint32_t dnn_cv_dimension(const dnn_cv *cv)
{
    return cv->dim;
}

// Faces of the image, most confident first, as YuNet rows (box, five
// landmarks, score) in the image's own coordinates. The image is
// letterboxed into the detector's fixed square so any size costs the same
// and the net always sees the input size it was created with.
static cv::Mat detect(dnn_cv *cv, nets &n, const cv::Mat &bgr_full)
{
    int side = cv->s.detect_size;
    double k = (double)side / std::max(bgr_full.cols, bgr_full.rows);
    cv::Mat small;
    cv::resize(bgr_full, small, cv::Size(), k, k, k < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat square(side, side, CV_8UC3, cv::Scalar(0, 0, 0));
    cv::Rect fit(0, 0, std::min(small.cols, side), std::min(small.rows, side));
    small(fit).copyTo(square(fit));
    cv::Mat faces;
    n.detector->detect(square, faces);
    cv::Mat kept;
    // With a single candidate YuNet skips its own score filter: apply it here.
    for (int r = 0; r < faces.rows; r++)
        if (faces.at<float>(r, 14) >= cv->s.score_threshold)
            kept.push_back(faces.row(r));
    for (int r = 0; r < kept.rows; r++)
        for (int c = 0; c < 14; c++)
            kept.at<float>(r, c) = (float)(kept.at<float>(r, c) / k);
    if (kept.rows > 1) {
        cv::Mat order;
        cv::sortIdx(kept.col(14), order, cv::SORT_EVERY_COLUMN | cv::SORT_DESCENDING);
        cv::Mat sorted;
        for (int r = 0; r < order.rows; r++)
            sorted.push_back(kept.row(order.at<int>(r)));
        kept = sorted;
    }
    return kept;
}

// The image in BGR, at most ALIGN_MAX_SIDE a side (scaled by *out_scale):
// alignment crops 112 pixels from it, so more resolution buys nothing.
#define ALIGN_MAX_SIDE 2048
static bool to_bgr(cv::Mat &out, double *out_scale, const shades_image *image)
{
    cv::Mat wrapped;
    if (!shades_ocv::wrap(wrapped, *image) || wrapped.cols < 2 || wrapped.rows < 2)
        return false;
    out = shades_ocv::prepare(wrapped, ALIGN_MAX_SIDE, true, out_scale);
    return true;
}

extern "C" int dnn_cv_describe(float *out_feature, dnn_cv *cv, const shades_image *image)
{
    try {
        cv::Mat bgr;
        double k;
        if (!to_bgr(bgr, &k, image))
            return SHADES_OUTCOME_REFUSED;
        return cv->pool->with([&](nets &n) {
            cv::Mat faces = detect(cv, n, bgr);
            if (faces.rows == 0)
                return (int)SHADES_OUTCOME_NO_FACE;
            cv::Mat aligned, feature;
            n.recognizer->alignCrop(bgr, faces.row(0), aligned);
            n.recognizer->feature(aligned, feature);
            if (feature.type() != CV_32F || feature.total() != cv->dim)
                return (int)SHADES_ERR_ENGINE;
            const float *f = feature.ptr<float>();
            std::copy(f, f + cv->dim, out_feature);
            return (int)SHADES_OUTCOME_OK;
        });
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &) {
        return SHADES_ERR_ENGINE;
    }
}

extern "C" int dnn_cv_detect(shades_face *out, size_t *out_count, dnn_cv *cv,
                             const shades_image *image, size_t capacity)
{
    *out_count = 0;
    try {
        cv::Mat bgr;
        double k;
        if (!to_bgr(bgr, &k, image))
            return SHADES_OK;
        cv::Mat faces = cv->pool->with([&](nets &n) { return detect(cv, n, bgr); });
        if (faces.rows)
            faces(cv::Rect(0, 0, 14, faces.rows)) /= k;
        size_t count = std::min(capacity, (size_t)faces.rows);
        for (size_t i = 0; i < count; i++) {
            const float *r = faces.ptr<float>((int)i);
            shades_face f = {};
            f.x = r[0], f.y = r[1], f.width = r[2], f.height = r[3];
            f.confidence = std::min(1.0f, std::max(0.0f, r[14]));
            // YuNet's "right eye" is the subject's, on the image's left.
            f.eyes.left_x = r[4], f.eyes.left_y = r[5];
            f.eyes.right_x = r[6], f.eyes.right_y = r[7];
            f.eyes.left_set = f.eyes.right_set = 1;
            out[i] = f;
        }
        *out_count = count;
        return SHADES_OK;
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &) {
        return SHADES_ERR_ENGINE;
    }
}
