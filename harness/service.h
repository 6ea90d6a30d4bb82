/* A run's service description (engine.service, docs/config.md): the file
 * that tells an engine which third party's service to send the images
 * to. Checked readable and hashed before anything else; refused under
 * --isolate and unless the dataset card permits third-party processing,
 * both before any engine call; handed to the engine as the option
 * service=PATH; recorded in the results file (/engine/service). */
#ifndef SH_HARNESS_SERVICE_H
#define SH_HARNESS_SERVICE_H

#include <limits.h>
#include <stddef.h>

#include "card.h"
#include "config.h"
#include "error.h"
#include "results.h"
#include "sha256.h"

/* A description the run may hand its engine. */
typedef struct sh_service {
    char path[PATH_MAX];       /* as the config resolves it (recorded) */
    char absolute[PATH_MAX];   /* what the engine is told: service=absolute */
    char name[256];            /* the file's name without its extension */
    char sha256[SH_SHA256_HEX];
} sh_service;

/* Fills *out from config's engine.service (which must be set): refuses,
 * naming the config's line and field 'engine.service', a description
 * that cannot be read and a run with `isolate` (isolated workers have no
 * network; docs/isolation.md). */
int sh_service_open(sh_service *out, const sh_config *config, int isolate, sh_err *err);

/* Refuses the run unless `card` (NULL: the run has none, which the config's
 * dataset section is named for) permits third-party processing
 * (sh_card_permits_third_party). */
int sh_service_check_card(const sh_service *s, const sh_card *card, const sh_config *config,
                          sh_err *err);

/* The config's engine options (sh_config_engine_options) followed by the
 * line "service=ABSOLUTE\n" when s is not NULL; caller frees; NULL when
 * out of memory. */
char *sh_service_engine_options(const sh_service *s, const sh_config *config);

/* Fills out for the writer, borrowing from s. */
void sh_service_record(sh_service_info *out, const sh_service *s);

#endif
