// OpenCV has no C API for its codecs; this file gives them a C face.
#include "image.h"

#include <shades/adapter.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

/* Why the codecs are loaded, not linked: libopencv_imgcodecs brings in
 * 84 more libraries (GDAL, poppler, DICOM), which cost every start
 * of shades 0.12 s and 42 MiB (measured) whether or not it reads an image:
 * a replay, a report, --help. They are loaded on the first image read or
 * written instead, and their two entry points taken by their C++ names,
 * which the library's soname (its major and two-digit minor version) fixes. */
#define SH_STR2(x) #x
#define SH_STR(x) SH_STR2(x)
#if CV_VERSION_MINOR < 10
#define SH_CODECS_SONAME                                                                 \
    "libopencv_imgcodecs.so." SH_STR(CV_VERSION_MAJOR) "0" SH_STR(CV_VERSION_MINOR)
#else
#define SH_CODECS_SONAME                                                                 \
    "libopencv_imgcodecs.so." SH_STR(CV_VERSION_MAJOR) SH_STR(CV_VERSION_MINOR)
#endif

namespace {
/* cv::imdecode and cv::imwrite, or the reason they could not be had. */
struct codecs {
    cv::Mat (*imdecode)(const cv::_InputArray &, int);
    bool (*imwrite)(const cv::String &, const cv::_InputArray &, const std::vector<int> &);
    char why[256];
};
}

/* The codecs, loaded once by whichever thread asks first. [thread: any] */
static const codecs *load_codecs()
{
    static codecs c;
    static std::once_flag once;
    std::call_once(once, [] {
        void *lib = dlopen(SH_CODECS_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char *why = dlerror();
            std::snprintf(c.why, sizeof c.why, "cannot load OpenCV's image codecs: %s",
                          why ? why : SH_CODECS_SONAME);
            return;
        }
        c.imdecode = reinterpret_cast<decltype(c.imdecode)>(
            dlsym(lib, "_ZN2cv8imdecodeERKNS_11_InputArrayEi"));
        c.imwrite = reinterpret_cast<decltype(c.imwrite)>(
            dlsym(lib, "_ZN2cv7imwriteERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE"
                       "RKNS_11_InputArrayERKSt6vectorIiSaIiEE"));
        if (!c.imdecode || !c.imwrite)
            std::snprintf(c.why, sizeof c.why,
                          "%s has no cv::%s: not the OpenCV %s shades was built with",
                          SH_CODECS_SONAME, c.imdecode ? "imwrite" : "imdecode", CV_VERSION);
    });
    return &c;
}

static int read_fd(std::vector<uchar> &out, int fd, const char *path, sh_err *err)
{
    uchar chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sh_err_set(err, SH_E_IO, "%s: read error: %s", path,
                                  std::strerror(errno));
        out.insert(out.end(), chunk, chunk + n);
        if (out.size() > SH_IMAGE_MAX_BYTES)
            return sh_err_set(err, SH_E_INPUT, "%s: image file is over the limit of "
                                  "%d MiB", path, SH_IMAGE_MAX_BYTES >> 20);
    }
    if (out.empty())
        return sh_err_set(err, SH_E_INPUT, "%s: image file is empty", path);
    return 0;
}

static int decode(sh_pixels *out, const std::vector<uchar> &bytes, const char *path,
                  sh_err *err);

extern "C" int sh_image_load_fd(sh_pixels *out, int fd, const char *path, sh_err *err)
{
    std::memset(out, 0, sizeof *out);
    try {
        std::vector<uchar> bytes;
        int rc = read_fd(bytes, fd, path, err);
        return rc ? rc : decode(out, bytes, path, err);
    } catch (const std::bad_alloc &) {
        return sh_err_set(err, SH_E_NOMEM, "%s: out of memory reading the image", path);
    }
}

extern "C" int sh_image_load(sh_pixels *out, const char *path, sh_err *err)
{
    std::memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open image: %s", path,
                              std::strerror(errno));
    int rc = sh_image_load_fd(out, fd, path, err);
    close(fd);
    return rc;
}

static uint32_t be32(const uchar *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What is wrong with a PNG's chunks, or NULL: checked before decoding,
 * because libpng prints its own line on stderr for a damaged file (OpenCV
 * keeps libpng's default error handler), and because decoding a header
 * beyond SH_IMAGE_MAX_SIDE would allocate all of it first. */
static const char *png_problem(const std::vector<uchar> &b, char *buf, size_t cap)
{
    static const uchar sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b.size() < 8 || std::memcmp(b.data(), sig, 8) != 0)
        return NULL;
    for (size_t at = 8;;) {
        if (b.size() - at < 12)
            return "truncated PNG (it ends inside a chunk, before IEND)";
        uint32_t len = be32(&b[at]);
        if (len > b.size() - at - 12)
            return "truncated PNG (a chunk runs past the end of the file)";
        uLong crc = crc32(0L, &b[at + 4], (uInt)len + 4);
        if (crc != be32(&b[at + 8 + len])) {
            std::snprintf(buf, cap, "damaged PNG (chunk '%.4s' fails its CRC)",
                          (const char *)&b[at + 4]);
            return buf;
        }
        if (std::memcmp(&b[at + 4], "IHDR", 4) == 0 && len >= 8 &&
            (be32(&b[at + 8]) > SH_IMAGE_MAX_SIDE || be32(&b[at + 12]) > SH_IMAGE_MAX_SIDE)) {
            /* Refused before decoding, which would allocate it all. */
            std::snprintf(buf, cap, "image is %ux%u, larger than %d a side", be32(&b[at + 8]),
                          be32(&b[at + 12]), SH_IMAGE_MAX_SIDE);
            return buf;
        }
        if (std::memcmp(&b[at + 4], "IEND", 4) == 0)
            return NULL;
        at += 12 + (size_t)len;
    }
}

static int decode(sh_pixels *out, const std::vector<uchar> &bytes, const char *path,
                  sh_err *err)
{
    char why[96];
    const char *problem = png_problem(bytes, why, sizeof why);
    if (problem)
        return sh_err_set(err, SH_E_INPUT, "%s: %s", path, problem);
    const codecs *cv_codecs = load_codecs();
    if (cv_codecs->why[0])
        return sh_err_set(err, SH_E_IO, "%s: %s", path, cv_codecs->why);
    try {
        cv::Mat m = cv_codecs->imdecode(bytes, cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH);
        if (m.empty())
            return sh_err_set(err, SH_E_INPUT,
                                  "%s: not a decodable image (unknown format or truncated)", path);
        if (m.cols > SH_IMAGE_MAX_SIDE || m.rows > SH_IMAGE_MAX_SIDE)
            return sh_err_set(err, SH_E_INPUT, "%s: image is %dx%d, larger than %d a side",
                                  path, m.cols, m.rows, SH_IMAGE_MAX_SIDE);
        if (m.depth() != CV_8U) {
            double scale = m.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
            cv::Mat m8;
            m.convertTo(m8, CV_8U, scale);
            m = m8;
        }
        cv::Mat px;
        uint32_t format;
        if (m.channels() == 1) {
            px = m;
            format = SHADES_PIXEL_GRAY8;
        } else {
            cv::cvtColor(m, px, m.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB);
            format = SHADES_PIXEL_RGB8;
        }
        size_t stride = (size_t)px.cols * px.channels();
        uint8_t *data = static_cast<uint8_t *>(std::malloc(stride * (size_t)px.rows));
        if (!data)
            return sh_err_nomem(err);
        for (int y = 0; y < px.rows; y++)
            std::memcpy(data + stride * (size_t)y, px.ptr(y), stride);
        out->width = (uint32_t)px.cols;
        out->height = (uint32_t)px.rows;
        out->stride = (uint32_t)stride;
        out->format = format;
        out->data = data;
        return 0;
    } catch (const cv::Exception &e) {
        return sh_err_set(err, SH_E_INPUT, "%s: cannot decode image: %s", path,
                              e.msg.c_str());
    } catch (const std::bad_alloc &) {
        return sh_err_nomem(err);
    }
}

extern "C" void sh_image_free(sh_pixels *px)
{
    std::free(px->data);
    px->data = nullptr;
}

static int write_png(const char *path, const cv::Mat &m, sh_err *err)
{
    const codecs *cv_codecs = load_codecs();
    if (cv_codecs->why[0])
        return sh_err_set(err, SH_E_IO, "%s: %s", path, cv_codecs->why);
    try {
        if (!cv_codecs->imwrite(path, m, std::vector<int>()))
            return sh_err_set(err, SH_E_IO, "%s: cannot write image", path);
        return 0;
    } catch (const cv::Exception &e) {
        return sh_err_set(err, SH_E_IO, "%s: cannot write image: %s", path,
                              e.msg.c_str());
    }
}

extern "C" int sh_image_write_gray_png(const char *path, const uint8_t *pixels,
                                           uint32_t width, uint32_t height, uint32_t stride,
                                           sh_err *err)
{
    cv::Mat m((int)height, (int)width, CV_8UC1, const_cast<uint8_t *>(pixels), stride);
    return write_png(path, m, err);
}

extern "C" int sh_image_write_rgb_png(const char *path, const uint8_t *pixels,
                                          uint32_t width, uint32_t height, uint32_t stride,
                                          sh_err *err)
{
    try {
        cv::Mat rgb((int)height, (int)width, CV_8UC3, const_cast<uint8_t *>(pixels), stride);
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        return write_png(path, bgr, err);
    } catch (const std::bad_alloc &) {
        return sh_err_nomem(err);
    }
}

extern "C" const char *sh_image_codec_version(void)
{
    return CV_VERSION;
}
