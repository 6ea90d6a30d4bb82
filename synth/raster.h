/* The generator's use of OpenCV (raster.cpp is its one C++ file): colour
 * conversion and optical blur. */
#ifndef SH_SYNTH_RASTER_H
#define SH_SYNTH_RASTER_H

#ifdef __cplusplus
extern "C" {
#endif

/* CIE L*a*b* (D65, L* 0..100) to linear-light sRGB, each channel clipped to
 * 0..1. [thread: any] */
void synth_raster_lab_to_linear(double out[3], const double lab[3]);

/* Gaussian blur of a size x size float RGB image in place; sigma <= 0 leaves
 * it. Returns 0, or -1 when OpenCV fails (out of memory). [thread: any] */
int synth_raster_blur(float *rgb, unsigned size, double sigma);

#ifdef __cplusplus
}
#endif

#endif
