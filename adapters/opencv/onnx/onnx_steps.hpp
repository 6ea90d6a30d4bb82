// The steps of the faceplugin pipeline, one function each: detection,
// the package's crops, landmarks to five points, alignment and SSR-Net's
// merge (onnx_steps.cpp). onnx_cv.cpp runs them behind the C face. Each
// throws cv::Exception from OpenCV, face_failed for an unusable face.
#ifndef SHADES_OCV_ONNX_STEPS_HPP
#define SHADES_OCV_ONNX_STEPS_HPP

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/dnn.hpp>

namespace onnx_steps {

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

// The aligned crop the feature model takes.
const int FEATURE_SIDE = 112;


// Faces above score_threshold after non-maximum suppression, most confident
// first, in rgb's pixels.
std::vector<face> detect(nets &n, const cv::Mat &rgb, double score_threshold,
                         double nms_threshold);

// The package's crop of box scaled by `scale` about its centre, shifted back
// inside img.
cv::Rect crop_of(const cv::Rect2d &box, double scale, const cv::Mat &img);

// The five points of the face in box, from the landmark model's 68.
five landmarks(nets &n, const cv::Mat &rgb, const cv::Rect2d &box);

// The similarity taking the five points onto ArcFace's 112 x 112 template.
cv::Mat similarity(const five &p);

// SSR-Net's merged output for a 64 x 64 RGB crop, times v.
double ssr(cv::dnn::Net &net, const cv::Mat &crop, double v);

} // namespace onnx_steps

#endif
