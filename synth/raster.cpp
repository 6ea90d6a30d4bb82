// OpenCV has no C API; this file gives the generator's few uses of it a C face.
#include "raster.h"

#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

extern "C" void synth_raster_lab_to_linear(double out[3], const double lab[3])
{
    cv::Mat lab_px(1, 1, CV_32FC3, cv::Scalar(lab[0], lab[1], lab[2]));
    cv::Mat rgb;
    cv::cvtColor(lab_px, rgb, cv::COLOR_Lab2RGB);
    cv::Vec3f v = rgb.at<cv::Vec3f>(0, 0);
    for (int c = 0; c < 3; c++) {
        double e = v[c] < 0 ? 0 : v[c] > 1 ? 1 : v[c];
        // The sRGB transfer function, undone: OpenCV returns encoded values.
        out[c] = e <= 0.04045 ? e / 12.92 : std::pow((e + 0.055) / 1.055, 2.4);
    }
}

extern "C" int synth_raster_blur(float *rgb, unsigned size, double sigma)
{
    if (sigma <= 0)
        return 0;
    try {
        cv::Mat m((int)size, (int)size, CV_32FC3, rgb);
        cv::GaussianBlur(m, m, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
        return 0;
    } catch (const cv::Exception &) {
        return -1;
    }
}
