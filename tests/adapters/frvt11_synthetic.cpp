// A small FRVT 1:1 (API 6.0) library for the bridge's tests, written the
// way a vendor writes one: a subclass of FRVT_11::Interface and the
// getImplementation() factory. Inside, it is the synthetic engine's model
// (model.h), configured from <configDir>/model.txt ("key=value" lines as
// the synthetic adapter's options, plus seed=N), so a run through the
// bridge must give the synthetic adapter's tables exactly.
#include <cstring>
#include <fstream>
#include <sstream>

#include "frvt11_api.h"

extern "C" {
#include <shades/synthetic.h>
}

namespace FRVT_11 {

// API version symbols, as NIST's header has every library define them.
__attribute__((visibility("default"))) uint16_t API_MAJOR_VERSION{6};
__attribute__((visibility("default"))) uint16_t API_MINOR_VERSION{0};

class SyntheticFRVT : public Interface {
public:
    FRVT::ReturnStatus initialize(const std::string &configDir) override
    {
        std::ifstream in(configDir + "/model.txt");
        if (!in)
            return {FRVT::ReturnCode::ConfigError, "no model.txt in " + configDir};
        std::stringstream text;
        text << in.rdbuf();
        std::string opts = text.str();
        synth_model_default(&model, 0);
        char why[256];
        if (synth_model_parse(&model, opts.c_str(), why, sizeof why))
            return {FRVT::ReturnCode::ConfigError, why};
        return {FRVT::ReturnCode::Success};
    }

    FRVT::ReturnStatus createFaceTemplate(const std::vector<FRVT::Image> &faces,
                                          FRVT::TemplateRole, std::vector<uint8_t> &templ,
                                          std::vector<FRVT::EyePair> &eyes) override
    {
        eyes.assign(faces.size(), FRVT::EyePair{});
        const FRVT::Image &im = faces.at(0);
        synth_code code;
        templ.assign(12, 0); // a failed template is still a template (empty code)
        if (synth_code_read(&code, im.data.get(), im.width, im.height,
                            im.width * (im.depth / 8), im.depth == 24))
            return {FRVT::ReturnCode::FaceDetectionError};
        if (synth_model_fails(&model, &code))
            return {FRVT::ReturnCode::TemplateCreationError};
        templ[0] = 1;
        templ[1] = code.traits;
        synth_put_u32(&templ[4], code.subject);
        synth_put_u32(&templ[8], code.image);
        return {FRVT::ReturnCode::Success};
    }

    FRVT::ReturnStatus createIrisTemplate(const std::vector<FRVT::Image> &, FRVT::TemplateRole,
                                          std::vector<uint8_t> &,
                                          std::vector<FRVT::IrisAnnulus> &) override
    {
        return {FRVT::ReturnCode::NotImplemented};
    }

    FRVT::ReturnStatus createFaceTemplate(const FRVT::Image &, FRVT::TemplateRole,
                                          std::vector<std::vector<uint8_t>> &,
                                          std::vector<FRVT::EyePair> &) override
    {
        return {FRVT::ReturnCode::NotImplemented};
    }

    FRVT::ReturnStatus matchTemplates(const std::vector<uint8_t> &verif,
                                      const std::vector<uint8_t> &enrol, double &score) override
    {
        score = -1;
        if (verif.size() != 12 || enrol.size() != 12)
            return {FRVT::ReturnCode::TemplateFormatError};
        if (!verif[0] || !enrol[0])
            return {FRVT::ReturnCode::VerifTemplateError};
        synth_code a{synth_get_u32(&verif[4]), synth_get_u32(&verif[8]), verif[1]};
        synth_code b{synth_get_u32(&enrol[4]), synth_get_u32(&enrol[8]), enrol[1]};
        score = synth_model_score(&model, &a, &b);
        return {FRVT::ReturnCode::Success};
    }

private:
    synth_model model{};
};

__attribute__((visibility("default"))) std::shared_ptr<Interface> Interface::getImplementation()
{
    return std::make_shared<SyntheticFRVT>();
}

} // namespace FRVT_11
