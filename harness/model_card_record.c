#include "model_card_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

_Static_assert(sizeof(((sh_model_card_file *)0)->path) == SH_MODEL_CARD_PATH_MAX &&
                   sizeof(((sh_model_card_file *)0)->purpose) == SH_MODEL_CARD_PURPOSE_MAX,
               "the model card's limits and the results file's columns disagree");

int sh_model_card_open(sh_model_card **out, char *warning, size_t cap, const char *path,
                       sh_err *err)
{
    *out = NULL;
    warning[0] = '\0';
    sh_model_card *card = NULL;
    int rc = sh_model_card_load(&card, path, err);
    if (!rc)
        rc = sh_model_card_verify(card, err);
    if (rc) {
        sh_model_card_destroy(card);
        return rc;
    }
    char found[1536];
    if (sh_model_card_withdrawn(found, sizeof found, card))
        snprintf(warning, cap, "%s %s was trained on withdrawn data: %s", card->name,
                 card->version, found);
    *out = card;
    return 0;
}

int sh_model_card_check_files(const sh_model_card *card, const sh_model_file *files,
                              size_t n, sh_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *sha = files[i].sha256;
        if (!strcasecmp(sha, card->sha256) || sh_model_card_pins(card, sha))
            continue;
        return sh_err_set(err, SH_E_INPUT,
                          "%s: not a file the model card %s pins (its SHA-256 %s is none of "
                          "the card's; the engine may read only the card's files, as "
                          "scripts/fetch_models.py installs them)",
                          files[i].path, card->path, sha);
    }
    return 0;
}

int sh_model_card_record(sh_model_card_info *out, const sh_model_card *card,
                         const char *warning, sh_err *err)
{
    memset(out, 0, sizeof *out);
    size_t len = 1;
    for (unsigned i = 0; i < card->training_datasets_count; i++)
        len += strlen(card->training_datasets[i]) + 1;
    out->training_datasets = calloc(1, len);
    out->files = calloc(card->files_count ? card->files_count : 1, sizeof *out->files);
    if (!out->training_datasets || !out->files) {
        sh_model_card_record_release(out);
        return sh_err_nomem(err);
    }
    for (unsigned i = 0; i < card->training_datasets_count; i++) {
        if (i)
            strcat(out->training_datasets, "\n");
        strcat(out->training_datasets, card->training_datasets[i]);
    }
    for (unsigned i = 0; i < card->files_count; i++) {
        sh_model_card_file *f = &out->files[i];
        const sh_model_card_entry *e = &card->files[i];
        snprintf(f->path, sizeof f->path, "%s", e->path);
        snprintf(f->sha256, sizeof f->sha256, "%s", e->sha256);
        snprintf(f->purpose, sizeof f->purpose, "%s", e->purpose);
    }
    out->n_files = card->files_count;
    out->name = card->name;
    out->version = card->version;
    out->package = card->package;
    out->source = card->source;
    out->source_sha256 = card->source_sha256;
    out->licence = card->licence;
    out->training_data = card->training_data;
    out->warning = (char *)warning;
    out->card_path = card->path;
    out->card_text = card->text;
    out->card_sha256 = (char *)card->sha256;
    out->shipped_as = (char *)sh_model_card_shipped_as(card);
    return 0;
}

const char *sh_model_card_shipped_as(const sh_model_card *card)
{
    for (size_t i = 0; sh_shipped_model_cards[i][0]; i++)
        if (!strcasecmp(sh_shipped_model_cards[i][1], card->sha256))
            return sh_shipped_model_cards[i][0];
    return "";
}

void sh_model_card_record_release(sh_model_card_info *out)
{
    free(out->training_datasets);
    free(out->files);
    memset(out, 0, sizeof *out);
}
