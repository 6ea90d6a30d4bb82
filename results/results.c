#include "results.h"

#include <stdlib.h>
#include <string.h>

int sh_results_create(sh_results **out, sh_err *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : sh_err_nomem(err);
}

void sh_results_destroy(sh_results *r)
{
    if (!r)
        return;
#define SH_RUN_TEXT(member, name, since) free(r->info.member);
#define SH_RUN_COUNT(member, name, since)
#include "run_info.def"
#undef SH_RUN_TEXT
#undef SH_RUN_COUNT
    sh_vresults_destroy(r->verification);
    sh_cresults_destroy(r->classification);
    sh_iresults_destroy(r->identification);
    free(r->verdicts);
    sh_failures_destroy(r->failures);
    free(r->model_files);
    if (r->model_card) {
#define SH_MODEL_CARD_TEXT(member, name, since) free(r->model_card->member);
#include "model_card_fields.def"
#undef SH_MODEL_CARD_TEXT
        free(r->model_card->files);
        free(r->model_card);
    }
    if (r->service) {
#define SH_SERVICE_TEXT(member, name, since) free(r->service->member);
#include "service_fields.def"
#undef SH_SERVICE_TEXT
        free(r->service);
    }
    free(r->provenance);
    free(r);
}

int sh_results_schema_minor(const char *version)
{
    const char *dot = version ? strchr(version, '.') : NULL;
    return dot ? atoi(dot + 1) : 0;
}
