// The OpenCV adapters' view of a harness image: checked, then wrapped
// without a copy, then shrunk when it is larger than a detector needs.
#ifndef SHADES_OCV_CV_IMAGE_HPP
#define SHADES_OCV_CV_IMAGE_HPP

#include <shades/adapter.h>

#include <opencv2/core.hpp>

namespace shades_ocv {

// Wraps the harness's pixels (no copy; valid while the image is) into
// `out`. Returns false when the image is empty, of an unknown format, or
// its stride is too short: such input is refused, not read.
bool wrap(cv::Mat &out, const shades_image &image);

// A gray (or BGR) copy of a wrapped image, shrunk so its longer side is at
// most max_side, so a hostile 6000 x 6000 image costs what a small one does;
// *out_scale is the factor applied (<= 1).
cv::Mat prepare(const cv::Mat &wrapped, int max_side, bool bgr, double *out_scale);

} // namespace shades_ocv

#endif
