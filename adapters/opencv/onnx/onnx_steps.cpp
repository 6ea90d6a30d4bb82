// The faceplugin pipeline's steps (onnx_steps.hpp). The preprocessing
// follows the package's own JavaScript (docs/opencv-adapters.md says where
// it differs).
#include "onnx_steps.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace onnx_steps {

namespace {
// UltraFace's input size.
const int DETECT_W = 320, DETECT_H = 240;
// ArcFace's five-point template for a 112 x 112 crop (REFERENCE_FACIAL_POINTS).
const double REFERENCE[5][2] = {{38.29459953, 51.69630051}, {73.53179932, 51.50139999},
                                {56.02519989, 71.73660278}, {41.54930115, 92.3655014},
                                {70.72990036, 92.20410156}};
// SSR-Net's outputs, in the order mergeGender reads them.
const std::vector<std::string> SSR_OUTPUTS = {
    "prob_stage_1",   "prob_stage_2",        "prob_stage_3",
    "stage1_delta_k", "stage2_delta_k",      "stage3_delta_k",
    "index_offset_stage1", "index_offset_stage2", "index_offset_stage3"};
} // namespace

// Faces above the threshold, most confident first, in rgb's pixels. The
// net's "boxes" are already corners in 0..1 of the image (its graph decodes
// the priors); each kept box is squared to its height about its centre, as
// the package's scaleResult does, and clipped to the image.
std::vector<face> detect(nets &n, const cv::Mat &rgb, double score_threshold,
                         double nms_threshold)
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
        if (!(p >= score_threshold) || !(b[2] > b[0]) || !(b[3] > b[1]))
            continue;
        rects.emplace_back(b[0] * w, b[1] * h, (b[2] - b[0]) * w, (b[3] - b[1]) * h);
        kept.push_back(p);
    }
    std::vector<int> order;
    cv::dnn::NMSBoxes(rects, kept, (float)score_threshold, (float)nms_threshold,
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
cv::Rect crop_of(const cv::Rect2d &box, double scale, const cv::Mat &img)
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
five landmarks(nets &n, const cv::Mat &rgb, const cv::Rect2d &box)
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
cv::Mat similarity(const five &p)
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
double ssr(cv::dnn::Net &net, const cv::Mat &crop, double v)
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

} // namespace onnx_steps
