/* Dataset cards: who made a dataset, under what consent and licence, and
 * which manifest they describe (docs/datasets.md). */
#ifndef SH_PROTOCOLS_CARD_H
#define SH_PROTOCOLS_CARD_H

#include <stddef.h>

#include "error.h"

/* How and when the faces were gathered. */
typedef struct sh_card_collection {
    char *method;
    char *dates;
} sh_card_collection;

/* A loaded card. Created by sh_card_load, freed by sh_card_destroy;
 * read-only afterwards. */
typedef struct sh_card {
    char *name;
    char *version;
    char *licence;
    char *consent;                   /* the basis on which the people pictured agreed */
    sh_card_collection collection;
    char **permitted_uses;
    unsigned permitted_uses_count;
    char *contact;
    char *manifest_sha256;           /* of the manifest file, 64 hex digits */
    char **sources;                  /* datasets the images were drawn from; optional */
    unsigned sources_count;
    char *root;                      /* folder the manifest's image paths are relative to,
                                      * resolved against the card's folder; optional */
    char *path;                      /* the card file */
    char *text;                      /* its full text, recorded in the results */
} sh_card;

/* Loads and validates the card at path: every field present, non-empty
 * and no longer reading "TODO" (as an imported card's skeleton does),
 * manifest_sha256 64 hex digits. Errors name the file, line and field. */
int sh_card_load(sh_card **out, const char *path, sh_err *err);

/* Frees a card; NULL is allowed. */
void sh_card_destroy(sh_card *card);

/* Writes dir/card.yaml for a cohort shades generated: no person pictured,
 * no rights reserved, bound to `manifest` by its sha256. `name`, `version`
 * and `method` describe the generator and its settings. */
int sh_card_write_generated(const char *dir, const char *manifest, const char *name,
                                const char *version, const char *method, sh_err *err);

/* Fails, naming the card and the manifest, unless the card's
 * manifest_sha256 equals manifest_sha256 (hex, either case). */
int sh_card_check(const sh_card *card, const char *manifest_path,
                      const char *manifest_sha256, sh_err *err);

/* Fails, naming the card, line and field permitted_uses, unless some
 * entry of the card's permitted_uses contains "third-party processing"
 * and none contains "no third-party processing" (any case): the images
 * of a run through engine.service (`service`, its name) go to a third
 * party (docs/datasets.md). */
int sh_card_permits_third_party(const sh_card *card, const char *service, sh_err *err);

/* Writes into out (cap bytes) one sentence per withdrawn dataset the card
 * names as itself or a source (protocols/withdrawn.def), "" when none;
 * returns how many it found. */
int sh_card_withdrawn(char *out, size_t cap, const sh_card *card);

/* The same for any n dataset names (a model card's training datasets):
 * one sentence per withdrawn dataset they name, each once; "" and 0 when
 * none. */
int sh_card_withdrawn_names(char *out, size_t cap, char *const *names, size_t n);

#endif
