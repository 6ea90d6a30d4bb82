/* Model cards: which pretrained model set an engine runs, where it came
 * from, under what licence, what it was trained on as its publisher
 * states, and the SHA-256 of every file in it (docs/models.md). */
#ifndef SH_PROTOCOLS_MODEL_CARD_H
#define SH_PROTOCOLS_MODEL_CARD_H

#include <stddef.h>

#include "error.h"

/* The longest file path and purpose a card may give (the results file
 * stores them in fixed-width columns). */
#define SH_MODEL_CARD_PATH_MAX 256
#define SH_MODEL_CARD_PURPOSE_MAX 512

/* One file of the model set: where it lies in the card's folder, where
 * the package had it, its SHA-256 and what it does. */
typedef struct sh_model_card_entry {
    char *path;      /* relative to the card's folder, no ".." */
    char *from;      /* its path inside the fetched package */
    char *sha256;    /* 64 hex digits */
    char *purpose;
} sh_model_card_entry;

/* A loaded model card. Created by sh_model_card_load, freed by
 * sh_model_card_destroy; read-only afterwards, so threads may share it. */
typedef struct sh_model_card {
    char *name;
    char *version;
    char *package;               /* e.g. "npm NAME@VERSION" */
    char *source;                /* the URL fetched */
    char *source_sha256;         /* of what was fetched, 64 hex digits */
    char *licence;
    char *training_data;         /* as the publisher states it, or "not stated..." */
    char **training_datasets;    /* datasets the publisher names; may be empty */
    unsigned training_datasets_count;
    sh_model_card_entry *files;  /* at least one */
    unsigned files_count;
    char *path;                  /* the card file */
    char *dir;                   /* its folder, where the files lie */
    char *text;                  /* its full text, recorded in the results */
    char sha256[65];             /* of the card file */
} sh_model_card;

/* Loads and validates the card at path: every field present and
 * non-empty, each sha256 64 hex digits, files non-empty, each file path
 * inside the card's folder. Errors name the file, line and field. */
int sh_model_card_load(sh_model_card **out, const char *path, sh_err *err);

/* Frees a card; NULL is allowed. */
void sh_model_card_destroy(sh_model_card *card);

/* Fails with one line naming the first file the card lists that is
 * missing from the card's folder or whose SHA-256 is not the card's, and
 * the command that fetches it (scripts/fetch_models.py). Reads only. */
int sh_model_card_verify(const sh_model_card *card, sh_err *err);

/* 1 when sha256 (64 hex digits) is one of the card's files' SHA-256, else 0. */
int sh_model_card_pins(const sh_model_card *card, const char *sha256);

/* Writes into out (cap bytes) one sentence per withdrawn dataset the
 * card's training_datasets name (protocols/withdrawn.def), "" when none;
 * returns how many it found. */
int sh_model_card_withdrawn(char *out, size_t cap, const sh_model_card *card);

#endif
