#include "cv_image.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace shades_ocv {

bool wrap(cv::Mat &out, const shades_image &image)
{
    if (!image.pixels || image.width == 0 || image.height == 0)
        return false;
    int type, bpp;
    if (image.format == SHADES_PIXEL_GRAY8)
        type = CV_8UC1, bpp = 1;
    else if (image.format == SHADES_PIXEL_RGB8)
        type = CV_8UC3, bpp = 3;
    else
        return false;
    if (image.stride < (uint64_t)image.width * bpp || image.width > 1u << 20 ||
        image.height > 1u << 20)
        return false;
    out = cv::Mat((int)image.height, (int)image.width, type, const_cast<uint8_t *>(image.pixels),
                  image.stride);
    return true;
}

cv::Mat prepare(const cv::Mat &wrapped, int max_side, bool bgr, double *out_scale)
{
    int side = std::max(wrapped.cols, wrapped.rows);
    double k = side > max_side ? (double)max_side / side : 1.0;
    cv::Mat small = wrapped;
    if (k < 1)
        cv::resize(wrapped, small, cv::Size(), k, k, cv::INTER_AREA);
    cv::Mat out;
    if (small.channels() == 1 && !bgr)
        out = small.clone();
    else if (small.channels() == 1)
        cv::cvtColor(small, out, cv::COLOR_GRAY2BGR);
    else
        cv::cvtColor(small, out, bgr ? cv::COLOR_RGB2BGR : cv::COLOR_RGB2GRAY);
    *out_scale = k;
    return out;
}

} // namespace shades_ocv
