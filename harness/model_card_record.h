/* A run's model card (engine.model_card, docs/models.md): loaded and its
 * files checked before the run writes anything, then recorded in the
 * results file (/engine/model_card). */
#ifndef SH_HARNESS_MODEL_CARD_RECORD_H
#define SH_HARNESS_MODEL_CARD_RECORD_H

#include <stddef.h>

#include "error.h"
#include "model_card.h"
#include "results.h"

/* Loads the card at path, checks that every file it lists is in its
 * folder with its SHA-256, and writes into warning (cap bytes) the
 * sentence the run records when its training datasets name a withdrawn
 * dataset ("" when none). *out is the caller's (sh_model_card_destroy);
 * NULL on failure, with err naming the card or the file. */
int sh_model_card_open(sh_model_card **out, char *warning, size_t cap, const char *path,
                       sh_err *err);

/* Refuses, with one line naming the file, any of the n model files the
 * run collected (sh_model_files_collect: what the engine may read) whose
 * SHA-256 the card does not pin; the card file itself (its SHA-256) is
 * allowed. So the engine reads only files the card pins, wherever
 * engine.config_dir points. */
int sh_model_card_check_files(const sh_model_card *card, const sh_model_file *files,
                              size_t n, sh_err *err);

/* The model cards shades ships: {path under the source tree, SHA-256},
 * ended by {NULL, NULL}; generated from configs/models/ at build time. */
extern const char *const sh_shipped_model_cards[][2];

/* The path of the shipped card that card is byte for byte, or "". */
const char *sh_model_card_shipped_as(const sh_model_card *card);

/* Fills out for the writer: strings borrowed from card and warning,
 * except training_datasets (one name a line) and files, which are
 * malloc'd; release them with sh_model_card_record_release. */
int sh_model_card_record(sh_model_card_info *out, const sh_model_card *card,
                         const char *warning, sh_err *err);

/* Frees what sh_model_card_record allocated; a zeroed out is allowed. */
void sh_model_card_record_release(sh_model_card_info *out);

#endif
