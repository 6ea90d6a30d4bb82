// OpenCV has no C API for cv::dnn; this file gives the opencv-onnx engine a
// C face onto it. The preprocessing follows the faceplugin package's own
// JavaScript pipeline (docs/opencv-adapters.md says where it differs).
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
#include "pool.hpp"

namespace {

// One set of nets; an empty Net is a model not given.
struct nets {
    cv::dnn::Net detector, landmark, feature, gender, age;
};

// A detected face: its box (squared as the package squares it) and score.
struct face {
    cv::Rect2d box;
    float score;
};

// The five points of a face: eyes (image left first), nose tip, mouth corners.
typedef std::array<cv::Point2d, 5> five;

// A face found but unusable (a crop of no pixels, landmarks that coincide):
// the outcome FAILED, not an engine error.
struct face_failed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// UltraFace's input size.
const int DETECT_W = 320, DETECT_H = 240;
// The aligned crop the feature model takes.
const int FEATURE_SIDE = 112;
// ArcFace's five-point template for a 112 x 112 crop (REFERENCE_FACIAL_POINTS).
const double REFERENCE[5][2] = {{38.29459953, 51.69630051}, {73.53179932, 51.50139999},
                                {56.02519989, 71.73660278}, {41.54930115, 92.3655014},
                                {70.72990036, 92.20410156}};
// SSR-Net's outputs, in the order mergeGender reads them.
const std::vector<std::string> SSR_OUTPUTS = {
    "prob_stage_1",   "prob_stage_2",        "prob_stage_3",
    "stage1_delta_k", "stage2_delta_k",      "stage3_delta_k",
    "index_offset_stage1", "index_offset_stage2", "index_offset_stage3"};
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

// Faces above the threshold, most confident first, in rgb's pixels. The
// net's "boxes" are already corners in 0..1 of the image (its graph decodes
// the priors); each kept box is squared to its height about its centre, as
// the package's scaleResult does, and clipped to the image.
static std::vector<face> detect(const onnx_cv *cv, nets &n, const cv::Mat &rgb)
{
    cv::Mat small;
    cv::resize(rgb, small, cv::Size(DETECT_W, DETECT_H));
    n.detector.setInput(cv::dnn::blobFromImage(small, 1 / 128.0, cv::Size(),
                                               cv::Scalar(127, 127, 127)), "input");
    std::vector<cv::Mat> outs;
    n.detector.forward(outs, std::vector<std::string>{"scores", "boxes"});
    const cv::Mat &scores = outs[0], &boxes = outs[1];
    int count = (int)(scores.total() / 2);
    if ((int)(boxes.total() / 4) != count)
        throw std::runtime_error("detector: scores and boxes disagree");
    const float *sc = scores.ptr<float>(), *bx = boxes.ptr<float>();
    std::vector<cv::Rect2d> rects;
    std::vector<float> kept;
    double w = rgb.cols, h = rgb.rows;
    for (int i = 0; i < count; i++) {
        float p = sc[2 * i + 1];
        const float *b = bx + 4 * i;
        if (!(p >= cv->s.score_threshold) || !(b[2] > b[0]) || !(b[3] > b[1]))
            continue;
        rects.emplace_back(b[0] * w, b[1] * h, (b[2] - b[0]) * w, (b[3] - b[1]) * h);
        kept.push_back(p);
    }
    std::vector<int> order;
    cv::dnn::NMSBoxes(rects, kept, (float)cv->s.score_threshold, (float)cv->s.nms_threshold,
                      order);
    std::vector<face> faces;
    for (int i : order) {
        const cv::Rect2d &r = rects[i];
        double side = r.height, cx = r.x + r.width / 2, cy = r.y + r.height / 2;
        double x1 = std::max(0.0, cx - side / 2), y1 = std::max(0.0, cy - side / 2);
        double x2 = std::min(w - 1, cx + side / 2), y2 = std::min(h - 1, cy + side / 2);
        if (x2 - x1 >= 2 && y2 - y1 >= 2)
            faces.push_back({cv::Rect2d(x1, y1, x2 - x1, y2 - y1), kept[i]});
    }
    std::stable_sort(faces.begin(), faces.end(),
                     [](const face &a, const face &b) { return a.score > b.score; });
    return faces;
}

// The package's crop of a box scaled by `scale` about its centre, shifted
// back inside the image (alignLandmarkImage, alignGenderImage).
static cv::Rect crop_of(const cv::Rect2d &box, double scale, const cv::Mat &img)
{
    double bx = (int)box.x, by = (int)box.y, bw = (int)box.width, bh = (int)box.height;
    double sw = img.cols, sh = img.rows;
    scale = std::min({(sh - 1) / bh, (sw - 1) / bw, scale});
    double nw = bw * scale, nh = bh * scale, cx = bw / 2 + bx, cy = bh / 2 + by;
    double l = cx - nw / 2, t = cy - nh / 2, r = cx + nw / 2, b = cy + nh / 2;
    if (l < 0)
        r -= l, l = 0;
    if (t < 0)
        b -= t, t = 0;
    if (r > sw - 1)
        l -= r - sw + 1, r = sw - 1;
    if (b > sh - 1)
        t -= b - sh + 1, b = sh - 1;
    cv::Rect rect((int)std::max(l, 0.0), (int)std::max(t, 0.0), (int)(r - l), (int)(b - t));
    rect &= cv::Rect(0, 0, img.cols, img.rows);
    if (rect.width < 1 || rect.height < 1)
        throw face_failed("crop: no pixels");
    return rect;
}

// The five points of the face in box, from its 68 landmarks (the package's
// convert68pts5pts: eyes from four points each, nose tip, mouth corners
// from the outer and inner lip corners).
static five landmarks(nets &n, const cv::Mat &rgb, const cv::Rect2d &box)
{
    cv::Rect r = crop_of(box, 1.0, rgb);
    cv::Mat small, grey;
    cv::resize(rgb(r), small, cv::Size(64, 64));
    cv::cvtColor(small, grey, cv::COLOR_RGB2GRAY);
    n.landmark.setInput(cv::dnn::blobFromImage(grey, 1 / 256.0), "input");
    cv::Mat out = n.landmark.forward();
    if (out.total() != 136)
        throw std::runtime_error("landmark: not 68 points");
    const float *v = out.ptr<float>();
    auto pt = [&](int i) {
        return cv::Point2d(v[2 * i] * r.width + r.x, v[2 * i + 1] * r.height + r.y);
    };
    auto mean4 = [&](int a, int b, int c, int d) {
        return (pt(a) + pt(b) + pt(c) + pt(d)) / 4;
    };
    return {mean4(37, 38, 40, 41), mean4(43, 44, 46, 47), pt(30), (pt(48) + pt(60)) / 2,
            (pt(54) + pt(64)) / 2};
}

// The least-squares similarity (rotation, one scale, shift; no reflection)
// taking the five points onto ArcFace's template: Umeyama's solution,
// which for 2-D is closed form.
static cv::Mat similarity(const five &p)
{
    cv::Point2d pm(0, 0), qm(0, 0);
    for (int i = 0; i < 5; i++) {
        pm += p[i];
        qm += cv::Point2d(REFERENCE[i][0], REFERENCE[i][1]);
    }
    pm /= 5.0, qm /= 5.0;
    double a = 0, b = 0, norm = 0;
    for (int i = 0; i < 5; i++) {
        cv::Point2d u = p[i] - pm, v = cv::Point2d(REFERENCE[i][0], REFERENCE[i][1]) - qm;
        a += u.x * v.x + u.y * v.y;
        b += u.x * v.y - u.y * v.x;
        norm += u.dot(u);
    }
    if (!(norm > 1e-9))
        throw face_failed("align: the five points coincide");
    a /= norm, b /= norm;
    cv::Mat m = (cv::Mat_<double>(2, 3) << a, -b, 0, b, a, 0);
    m.at<double>(0, 2) = qm.x - (a * pm.x - b * pm.y);
    m.at<double>(1, 2) = qm.y - (b * pm.x + a * pm.y);
    return m;
}

// SSR-Net's soft stagewise regression (the package's mergeGender and
// mergeAge, s1 = s2 = s3 = 3, both lambdas 1) times v.
static double ssr(cv::dnn::Net &net, const cv::Mat &crop, double v)
{
    const float mean[3] = {0.485f, 0.456f, 0.406f}, sd[3] = {0.229f, 0.224f, 0.225f};
    int sz[4] = {1, 3, 64, 64};
    cv::Mat blob(4, sz, CV_32F);
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                blob.ptr<float>(0, c)[y * 64 + x] =
                    (crop.at<cv::Vec3b>(y, x)[c] / 255.0f - mean[c]) / sd[c];
    net.setInput(blob, "input");
    std::vector<cv::Mat> outs;
    net.forward(outs, SSR_OUTPUTS);
    std::vector<float> x;
    for (const cv::Mat &o : outs)
        x.insert(x.end(), o.ptr<float>(), o.ptr<float>() + o.total());
    if (x.size() != 21)
        throw std::runtime_error("ssr: not SSR-Net's 21 outputs");
    double a = 0, b = 0, c = 0;
    for (int i = 0; i < 3; i++) {
        a += (i + x[12 + i]) * x[i];
        b += (i + x[15 + i]) * x[3 + i];
        c += (i + x[18 + i]) * x[6 + i];
    }
    double d1 = 3 * (1 + x[9]), d2 = 3 * (1 + x[10]), d3 = 3 * (1 + x[11]);
    return (a / d1 + b / d1 / d2 + c / d1 / d2 / d3) * v;
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
            std::vector<face> faces = detect(cv, n, rgb);
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
            std::vector<face> faces = detect(cv, n, rgb);
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
            std::vector<face> faces = detect(cv, n, rgb);
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
