// OpenCV 4 has no C API for cascades or LBPH; this file gives the
// opencv-classic engine a C face onto them.
#include "classic_cv.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <opencv2/face.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "cv_image.hpp"
#include "pool.hpp"

namespace {

struct cascades {
    cv::CascadeClassifier face, eyes;
};

// A found face in the (possibly shrunk) working image, and its eyes.
struct found {
    cv::Rect box;
    bool has_eyes = false;
    cv::Point2f eye_left, eye_right; // left and right in the image
};

} // namespace

struct classic_cv {
    classic_settings s;
    std::unique_ptr<shades_ocv::pool<cascades>> pool;
};

extern "C" int classic_cv_create(classic_cv **out, const classic_settings *s, char *why,
                                 size_t cap)
{
    *out = nullptr;
    try {
        // The harness runs images in parallel; OpenCV's own worker threads
        // under each call would only oversubscribe the cores.
        cv::setNumThreads(0);
        auto cv = std::make_unique<classic_cv>();
        cv->s = *s;
        const classic_settings *set = &cv->s;
        cv->pool = std::make_unique<shades_ocv::pool<cascades>>([set](cascades &c) {
            return c.face.load(set->face_cascade) &&
                   (std::string(set->eye_cascade) == "none" || c.eyes.load(set->eye_cascade));
        });
        if (!cv->pool->warm()) {
            std::snprintf(why, cap, "cannot load face_cascade '%s' or eye_cascade '%s' as a "
                          "cascade", s->face_cascade, s->eye_cascade);
            return -1;
        }
        *out = cv.release();
        return 0;
    } catch (const std::exception &e) {
        std::snprintf(why, cap, "cannot load the cascades: %s", e.what());
        return -1;
    }
}

extern "C" void classic_cv_destroy(classic_cv *cv)
{
    delete cv;
}

extern "C" size_t classic_cv_dim(const classic_settings *s)
{
    return (size_t)s->grid * s->grid * ((size_t)1 << s->neighbors);
}

// Eyes inside the upper half of the face box, searched at a size the eye
// cascade resolves: one eye each side of the box's middle.
static void find_eyes(found &f, cascades &d, const cv::Mat &gray)
{
    if (d.eyes.empty())
        return;
    cv::Rect upper(f.box.x, f.box.y, f.box.width, f.box.height / 2);
    double k = 160.0 / f.box.width;
    cv::Mat roi;
    cv::resize(gray(upper), roi, cv::Size(), k, k, cv::INTER_LINEAR);
    std::vector<cv::Rect> eyes;
    d.eyes.detectMultiScale(roi, eyes, 1.1, 3, 0, cv::Size(16, 16));
    const cv::Rect *best[2] = {nullptr, nullptr};
    for (const cv::Rect &e : eyes) {
        int side = e.x + e.width / 2 < roi.cols / 2 ? 0 : 1;
        if (!best[side] || e.area() > best[side]->area())
            best[side] = &e;
    }
    if (!best[0] || !best[1])
        return;
    auto centre = [&](const cv::Rect &e) {
        return cv::Point2f((float)(upper.x + (e.x + e.width / 2.0) / k),
                           (float)(upper.y + (e.y + e.height / 2.0) / k));
    };
    f.eye_left = centre(*best[0]);
    f.eye_right = centre(*best[1]);
    f.has_eyes = true;
}

// Faces in the working image, largest first.
static std::vector<found> find_faces(classic_cv *cv, const cv::Mat &gray, bool with_eyes)
{
    cv::Mat eq;
    cv::equalizeHist(gray, eq);
    const classic_settings &s = cv->s;
    return cv->pool->with([&](cascades &d) {
        std::vector<cv::Rect> boxes;
        if (gray.cols >= s.min_face && gray.rows >= s.min_face)
            d.face.detectMultiScale(eq, boxes, s.scale_factor, s.min_neighbors, 0,
                                    cv::Size(s.min_face, s.min_face));
        std::sort(boxes.begin(), boxes.end(),
                  [](const cv::Rect &a, const cv::Rect &b) { return a.area() > b.area(); });
        std::vector<found> faces;
        for (const cv::Rect &b : boxes) {
            found f;
            f.box = b;
            if (with_eyes || faces.empty())
                find_eyes(f, d, eq);
            faces.push_back(f);
        }
        return faces;
    });
}

// The face cropped to crop x crop: with both eyes found, a similarity
// transform puts them at fixed points (levelling and scaling the face);
// otherwise the detector's box is scaled to the crop.
static cv::Mat align(const cv::Mat &gray, const found &f, int crop)
{
    cv::Mat m;
    if (f.has_eyes) {
        cv::Point2f d = f.eye_right - f.eye_left;
        double dist = std::hypot(d.x, d.y);
        double angle = std::atan2(d.y, d.x) * 180 / CV_PI;
        cv::Point2f mid = (f.eye_left + f.eye_right) * 0.5f;
        // Eyes land 0.44 of the crop apart, 0.36 of it from the top.
        m = cv::getRotationMatrix2D(mid, angle, 0.44 * crop / dist);
        m.at<double>(0, 2) += crop / 2.0 - mid.x;
        m.at<double>(1, 2) += 0.36 * crop - mid.y;
    } else {
        cv::Point2f centre(f.box.x + f.box.width / 2.0f, f.box.y + f.box.height / 2.0f);
        m = cv::getRotationMatrix2D(centre, 0, (double)crop / f.box.width);
        m.at<double>(0, 2) += crop / 2.0 - centre.x;
        m.at<double>(1, 2) += crop / 2.0 - centre.y;
    }
    cv::Mat out;
    cv::warpAffine(gray, out, m, cv::Size(crop, crop), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::equalizeHist(out, out);
    return out;
}

extern "C" int classic_cv_describe(float *out_hist, classic_cv *cv, const shades_image *image)
{
    try {
        cv::Mat wrapped;
        if (!shades_ocv::wrap(wrapped, *image))
            return SHADES_OUTCOME_REFUSED;
        double k;
        cv::Mat gray = shades_ocv::prepare(wrapped, cv->s.max_side, false, &k);
        std::vector<found> faces = find_faces(cv, gray, false);
        if (faces.empty())
            return SHADES_OUTCOME_NO_FACE;
        cv::Mat face = align(gray, faces[0], cv->s.crop);
        auto lbph = cv::face::LBPHFaceRecognizer::create(cv->s.radius, cv->s.neighbors,
                                                         cv->s.grid, cv->s.grid);
        lbph->train(std::vector<cv::Mat>{face}, std::vector<int>{0});
        cv::Mat h = lbph->getHistograms().at(0);
        size_t dim = classic_cv_dim(&cv->s);
        if (h.type() != CV_32F || h.total() != dim)
            return SHADES_ERR_ENGINE;
        std::copy(h.ptr<float>(), h.ptr<float>() + dim, out_hist);
        return SHADES_OUTCOME_OK;
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &) {
        return SHADES_ERR_ENGINE;
    }
}

extern "C" int classic_cv_detect(shades_face *out, size_t *out_count, classic_cv *cv,
                                 const shades_image *image, size_t capacity)
{
    *out_count = 0;
    try {
        cv::Mat wrapped;
        if (!shades_ocv::wrap(wrapped, *image))
            return SHADES_OK;
        double k;
        cv::Mat gray = shades_ocv::prepare(wrapped, cv->s.max_side, false, &k);
        std::vector<found> faces = find_faces(cv, gray, true);
        size_t n = std::min(capacity, faces.size());
        for (size_t i = 0; i < n; i++) {
            const found &f = faces[i];
            shades_face r = {};
            r.x = (float)(f.box.x / k);
            r.y = (float)(f.box.y / k);
            r.width = (float)(f.box.width / k);
            r.height = (float)(f.box.height / k);
            // A cascade gives no probability: faces it keeps are reported as found.
            r.confidence = 1.0f;
            if (f.has_eyes) {
                r.eyes.left_x = (float)(f.eye_left.x / k);
                r.eyes.left_y = (float)(f.eye_left.y / k);
                r.eyes.right_x = (float)(f.eye_right.x / k);
                r.eyes.right_y = (float)(f.eye_right.y / k);
                r.eyes.left_set = r.eyes.right_set = 1;
            }
            out[i] = r;
        }
        *out_count = n;
        return SHADES_OK;
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &) {
        return SHADES_ERR_ENGINE;
    }
}
