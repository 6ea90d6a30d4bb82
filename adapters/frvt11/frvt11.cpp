// The frvt11 bridge: runs an unmodified NIST FRVT 1:1 library (API 6.x)
// as a shades engine. Options: library=PATH (required), template_max=N
// (bytes per template, default 65536: FRVT templates have no declared
// bound). The engine's config_dir is passed to initialize(). FRVT
// implementations are run by NIST in forked processes, not threads, so the
// bridge declares one call at a time; --isolate gives process parallelism.
#include <shades/adapter.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "frvt11_api.h"

struct shades_engine {
    void *handle = nullptr;
    std::shared_ptr<FRVT_11::Interface> impl;
    const shades_host *host = nullptr;
    size_t template_max = 65536;
};

namespace {

void say(const shades_host *host, int level, const std::string &msg)
{
    if (host && SHADES_HAS_MEMBER(shades_host, host->struct_size, log) && host->log)
        host->log(host, level, ("frvt11: " + msg).c_str());
}

// The value of option `key` in "key=value" lines, or "".
std::string option(const char *options, const char *key)
{
    std::string all = options ? options : "", want = std::string(key) + "=";
    size_t at = 0;
    while (at < all.size()) {
        size_t eol = all.find('\n', at);
        std::string line = all.substr(at, eol == std::string::npos ? std::string::npos : eol - at);
        if (line.compare(0, want.size(), want) == 0)
            return line.substr(want.size());
        if (eol == std::string::npos)
            break;
        at = eol + 1;
    }
    return "";
}

std::string code_name(FRVT::ReturnCode c)
{
    static const char *names[] = {"Success", "UnknownError", "ConfigError", "RefuseInput",
                                  "ExtractError", "ParseError", "TemplateCreationError",
                                  "VerifTemplateError", "FaceDetectionError", "NumDataError",
                                  "TemplateFormatError", "EnrollDirError", "InputLocationError",
                                  "MemoryError", "MatchError", "QualityAssessmentError",
                                  "NotImplemented", "VendorError"};
    unsigned k = static_cast<unsigned>(c);
    return k < sizeof names / sizeof names[0] ? names[k] : "code " + std::to_string(k);
}

int fail(shades_engine *e, int status, const std::string &why)
{
    say(e->host, SHADES_LOG_ERROR, why);
    return status;
}

int load(shades_engine *e, const std::string &library, const char *config_dir)
{
    if (library.empty())
        return fail(e, SHADES_ERR_CONFIG, "option library=PATH (the FRVT 1:1 library) is missing");
    e->handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!e->handle)
        return fail(e, SHADES_ERR_CONFIG, std::string("cannot load ") + dlerror());
    auto *major = static_cast<const uint16_t *>(dlsym(e->handle, SHADES_FRVT11_API_MAJOR));
    auto *minor = static_cast<const uint16_t *>(dlsym(e->handle, SHADES_FRVT11_API_MINOR));
    if (major && *major != 6)
        return fail(e, SHADES_ERR_CONFIG, library + " implements FRVT 1:1 API " +
                                              std::to_string(*major) + "." +
                                              std::to_string(minor ? *minor : 0) +
                                              "; this bridge speaks 6.x");
    using factory = std::shared_ptr<FRVT_11::Interface> (*)();
    void *sym = dlsym(e->handle, SHADES_FRVT11_GET_IMPLEMENTATION);
    if (!sym)
        return fail(e, SHADES_ERR_CONFIG, library + " has no FRVT_11::Interface::getImplementation()");
    factory make;
    std::memcpy(&make, &sym, sizeof make);
    e->impl = make();
    if (!e->impl)
        return fail(e, SHADES_ERR_ENGINE, "getImplementation() returned no implementation");
    FRVT::ReturnStatus st = e->impl->initialize(config_dir ? config_dir : ".");
    if (st.code != FRVT::ReturnCode::Success)
        return fail(e, SHADES_ERR_CONFIG, "initialize() returned " + code_name(st.code) +
                                              (st.info.empty() ? "" : ": " + st.info));
    return SHADES_OK;
}

void unload(shades_engine *e)
{
    e->impl.reset(); // the implementation's code lives in the library: release it first
    if (e->handle)
        dlclose(e->handle);
    delete e;
}

} // namespace

static int frvt_create(shades_engine **out, const shades_host *host,
                       const shades_engine_config *config)
{
    *out = nullptr;
    shades_engine *e = new (std::nothrow) shades_engine;
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    const char *options = config ? config->options : "";
    std::string max = option(options, "template_max");
    if (!max.empty()) {
        char *end;
        unsigned long v = std::strtoul(max.c_str(), &end, 10);
        if (*end || v == 0 || v > (64ul << 20)) {
            int rc = fail(e, SHADES_ERR_CONFIG, "template_max needs 1 to 67108864 bytes");
            unload(e);
            return rc;
        }
        e->template_max = v;
    }
    int rc;
    try {
        rc = load(e, option(options, "library"), config ? config->config_dir : nullptr);
    } catch (const std::exception &x) {
        rc = fail(e, SHADES_ERR_ENGINE, std::string("initialize() threw: ") + x.what());
    } catch (...) {
        rc = fail(e, SHADES_ERR_ENGINE, "initialize() threw");
    }
    if (rc != SHADES_OK) {
        unload(e);
        return rc;
    }
    *out = e;
    return SHADES_OK;
}

static void frvt_destroy(shades_engine *e)
{
    unload(e);
}

static uint32_t frvt_max_concurrency(const shades_engine *)
{
    return 1;
}

static size_t frvt_template_size_max(const shades_engine *e)
{
    return e->template_max;
}

// The harness's image as FRVT's: packed rows, gray or RGB.
static bool to_frvt(FRVT::Image &out, const shades_image &im)
{
    if ((im.format != SHADES_PIXEL_GRAY8 && im.format != SHADES_PIXEL_RGB8) || im.width == 0 ||
        im.height == 0 || im.width > 65535 || im.height > 65535 || !im.pixels)
        return false;
    size_t row = static_cast<size_t>(im.width) * (im.format == SHADES_PIXEL_RGB8 ? 3 : 1);
    std::shared_ptr<uint8_t> data(new uint8_t[row * im.height], std::default_delete<uint8_t[]>());
    for (uint32_t y = 0; y < im.height; y++)
        std::memcpy(data.get() + y * row, im.pixels + static_cast<size_t>(y) * im.stride, row);
    out.width = static_cast<uint16_t>(im.width);
    out.height = static_cast<uint16_t>(im.height);
    out.depth = im.format == SHADES_PIXEL_RGB8 ? 24 : 8;
    out.data = data;
    out.description = im.capture == SHADES_CAPTURE_MUGSHOT ? FRVT::Image::ImageDescription::FaceMugshot
                      : im.capture == SHADES_CAPTURE_WILD  ? FRVT::Image::ImageDescription::FaceWild
                                                           : FRVT::Image::ImageDescription::FaceUnknown;
    return true;
}

static int frvt_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                shades_engine *e, const shades_image *images, size_t count,
                                size_t capacity, int role)
{
    if (!out_buf || !out_result || !e || !images || count == 0)
        return SHADES_ERR_INVALID;
    out_result->size = 0;
    try {
        std::vector<FRVT::Image> faces(count);
        for (size_t k = 0; k < count; k++)
            if (!to_frvt(faces[k], images[k])) {
                out_result->outcome = SHADES_OUTCOME_REFUSED;
                return SHADES_OK;
            }
        std::vector<uint8_t> templ;
        std::vector<FRVT::EyePair> eyes;
        FRVT::ReturnStatus st =
            e->impl->createFaceTemplate(faces, static_cast<FRVT::TemplateRole>(role), templ, eyes);
        switch (st.code) {
        case FRVT::ReturnCode::Success: out_result->outcome = SHADES_OUTCOME_OK; break;
        case FRVT::ReturnCode::FaceDetectionError: out_result->outcome = SHADES_OUTCOME_NO_FACE; break;
        case FRVT::ReturnCode::RefuseInput: out_result->outcome = SHADES_OUTCOME_REFUSED; break;
        case FRVT::ReturnCode::ExtractError:
        case FRVT::ReturnCode::TemplateCreationError: out_result->outcome = SHADES_OUTCOME_FAILED; break;
        default:
            return fail(e, SHADES_ERR_ENGINE, "createFaceTemplate() returned " + code_name(st.code) +
                                                  (st.info.empty() ? "" : ": " + st.info));
        }
        if (templ.size() > capacity)
            return fail(e, SHADES_ERR_BUFFER, "a template of " + std::to_string(templ.size()) +
                                                  " bytes exceeds template_max=" +
                                                  std::to_string(capacity));
        std::memcpy(out_buf, templ.data(), templ.size());
        out_result->size = templ.size();
        if (!eyes.empty() && SHADES_HAS_MEMBER(shades_template_result, out_result->struct_size, eyes)) {
            out_result->eyes.left_set = eyes[0].isLeftAssigned;
            out_result->eyes.right_set = eyes[0].isRightAssigned;
            out_result->eyes.left_x = eyes[0].xleft;
            out_result->eyes.left_y = eyes[0].yleft;
            out_result->eyes.right_x = eyes[0].xright;
            out_result->eyes.right_y = eyes[0].yright;
        }
        return SHADES_OK;
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &x) {
        return fail(e, SHADES_ERR_ENGINE, std::string("createFaceTemplate() threw: ") + x.what());
    } catch (...) {
        return fail(e, SHADES_ERR_ENGINE, "createFaceTemplate() threw");
    }
}

static int frvt_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                        size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !e)
        return SHADES_ERR_INVALID;
    try {
        std::vector<uint8_t> v(verify, verify + verify_size), r(enrol, enrol + enrol_size);
        double score = -1;
        FRVT::ReturnStatus st = e->impl->matchTemplates(v, r, score);
        if (st.code == FRVT::ReturnCode::VerifTemplateError) {
            *out_score = -1; // FRVT's score for a failed template
            return SHADES_OK;
        }
        if (st.code != FRVT::ReturnCode::Success)
            return fail(e, st.code == FRVT::ReturnCode::TemplateFormatError ? SHADES_ERR_TEMPLATE
                                                                            : SHADES_ERR_ENGINE,
                        "matchTemplates() returned " + code_name(st.code) +
                            (st.info.empty() ? "" : ": " + st.info));
        *out_score = score;
        return SHADES_OK;
    } catch (const std::bad_alloc &) {
        return SHADES_ERR_NOMEM;
    } catch (const std::exception &x) {
        return fail(e, SHADES_ERR_ENGINE, std::string("matchTemplates() threw: ") + x.what());
    } catch (...) {
        return fail(e, SHADES_ERR_ENGINE, "matchTemplates() threw");
    }
}

static const void *frvt_get_extension(const shades_engine *, const char *)
{
    return nullptr;
}

SHADES_ADAPTER_DEFINE = {
    sizeof(shades_adapter), SHADES_ABI_MAJOR, SHADES_ABI_MINOR, 0,
    "frvt11", "1.0.0", "shades project",
    "NIST FRVT 1:1 (API 6.x) library, unmodified, through the shades ABI",
    SHADES_CAP_VERIFY_11,
    frvt_create, frvt_destroy, frvt_max_concurrency, frvt_template_size_max,
    frvt_create_template, frvt_compare, frvt_get_extension,
};
