// The NIST FRVT 1:1 implementation interface, API 6.0, declared from the
// published interface (frvt11.h, frvt_structs.h) so the bridge can call an
// unmodified libfrvt_11_<company>_<NNN>.so. Binary compatibility rests on
// three things matching NIST's headers exactly: the namespaces and names
// (for the mangled getImplementation symbol), the layout of Image,
// EyePair and ReturnStatus, and the order of Interface's virtual functions
// (Itanium C++ ABI: declaration order).
#ifndef SHADES_FRVT11_API_H
#define SHADES_FRVT11_API_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace FRVT {

// One image: packed rows, 8-bit gray (depth 8) or RGB (depth 24).
struct Image {
    enum class ImageDescription {
        FaceUnknown = 0, FaceIso = 1, FaceMugshot = 2, FacePhotojournalism = 3, FaceWild = 4,
        IrisUnknown = 5, IrisNIR = 6, IrisWild = 7
    };
    enum class Illuminant { Unspecified = 0, Visible = 1, NIR = 2, SWIR = 3, MWIR = 4, LWIR = 5 };
    enum class IrisLR { Unspecified = 0, RightIris = 1, LeftIris = 2 };

    uint16_t width = 0;
    uint16_t height = 0;
    uint8_t depth = 24;
    std::shared_ptr<uint8_t> data;
    ImageDescription description = ImageDescription::FaceUnknown;
    Illuminant illuminant = Illuminant::Unspecified;
    IrisLR irisLR = IrisLR::Unspecified;
};

// Iris location; only in the interface's iris call, which the bridge never makes.
struct IrisAnnulus {
    uint16_t limbusCenterX = 0, limbusCenterY = 0, pupilRadius = 0, limbusRadius = 0;
};

enum class TemplateRole { Enrollment_11 = 0, Verification_11 = 1, Enrollment_1N = 2, Search_1N = 3 };

enum class ReturnCode {
    Success = 0, UnknownError = 1, ConfigError = 2, RefuseInput = 3, ExtractError = 4,
    ParseError = 5, TemplateCreationError = 6, VerifTemplateError = 7, FaceDetectionError = 8,
    NumDataError = 9, TemplateFormatError = 10, EnrollDirError = 11, InputLocationError = 12,
    MemoryError = 13, MatchError = 14, QualityAssessmentError = 15, NotImplemented = 16,
    VendorError = 17
};

struct ReturnStatus {
    ReturnCode code = ReturnCode::UnknownError;
    std::string info;
    ReturnStatus() = default;
    ReturnStatus(ReturnCode c, const std::string &i = "") : code{c}, info{i} {}
};

struct EyePair {
    bool isLeftAssigned = false;
    bool isRightAssigned = false;
    uint16_t xleft = 0, yleft = 0, xright = 0, yright = 0;
};

} // namespace FRVT

namespace FRVT_11 {

class Interface {
public:
    virtual ~Interface() {}
    virtual FRVT::ReturnStatus initialize(const std::string &configDir) = 0;
    virtual FRVT::ReturnStatus createFaceTemplate(const std::vector<FRVT::Image> &faces,
                                                  FRVT::TemplateRole role,
                                                  std::vector<uint8_t> &templ,
                                                  std::vector<FRVT::EyePair> &eyeCoordinates) = 0;
    virtual FRVT::ReturnStatus createIrisTemplate(const std::vector<FRVT::Image> &irises,
                                                  FRVT::TemplateRole role,
                                                  std::vector<uint8_t> &templ,
                                                  std::vector<FRVT::IrisAnnulus> &irisLocations) = 0;
    virtual FRVT::ReturnStatus createFaceTemplate(const FRVT::Image &image, FRVT::TemplateRole role,
                                                  std::vector<std::vector<uint8_t>> &templs,
                                                  std::vector<FRVT::EyePair> &eyeCoordinates) = 0;
    virtual FRVT::ReturnStatus matchTemplates(const std::vector<uint8_t> &verifTemplate,
                                              const std::vector<uint8_t> &enrollTemplate,
                                              double &score) = 0;
    static std::shared_ptr<Interface> getImplementation();
};

} // namespace FRVT_11

// Mangled names the bridge looks up in the vendor's library.
#define SHADES_FRVT11_GET_IMPLEMENTATION "_ZN7FRVT_119Interface17getImplementationEv"
#define SHADES_FRVT11_API_MAJOR "_ZN7FRVT_1117API_MAJOR_VERSIONE"
#define SHADES_FRVT11_API_MINOR "_ZN7FRVT_1117API_MINOR_VERSIONE"

#endif
