/* Model cards (docs/models.md): a good card loads with every field; each
 * malformed field is refused naming the file, line and field; the files'
 * check names a missing or altered file and the command that fetches it;
 * training datasets naming a withdrawn dataset (by another of its names)
 * give one sentence each; the record the results file takes is the card's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model_card.h"
#include "model_card_record.h"
#include "sha256.h"

#include "scratch_dir.h"

/* A well-formed SHA-256 that no file here has. */
#define SHA_ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

/* Writes card.yaml: the good card with line `line` (1-based) replaced by
 * `with` (NULL: as it is). The file entry's sha256 is `file_sha`. */
static void card(unsigned line, const char *with, const char *file_sha,
                 const char *datasets)
{
    char lines[13][160];
    snprintf(lines[0], 160, "name: stand-in");
    snprintf(lines[1], 160, "version: \"2\"");
    snprintf(lines[2], 160, "package: npm stand-in@2");
    snprintf(lines[3], 160, "source: https://example.invalid/stand-in-2.tgz");
    snprintf(lines[4], 160, "source_sha256: %s", SHA_ZEROS);
    snprintf(lines[5], 160, "licence: MIT");
    snprintf(lines[6], 160, "training_data: \"not stated: nobody says\"");
    snprintf(lines[7], 160, "training_datasets: %s", datasets);
    snprintf(lines[8], 160, "files:");
    snprintf(lines[9], 160, "  - path: w.bin");
    snprintf(lines[10], 160, "    from: package/w.bin");
    snprintf(lines[11], 160, "    sha256: %s", file_sha);
    snprintf(lines[12], 160, "    purpose: the weights");
    FILE *f = fopen("card.yaml", "w");
    assert_non_null(f);
    for (unsigned i = 0; i < 13; i++)
        if (i + 1 != line)
            fprintf(f, "%s\n", lines[i]);
        else if (with)
            fprintf(f, "%s\n", with);
    fclose(f);
}

static void good_card_loads(void **state)
{
    (void)state;
    card(0, NULL, SHA_ZEROS, "[]");
    sh_model_card *c = NULL;
    sh_err err = {0};
    assert_int_equal(sh_model_card_load(&c, "card.yaml", &err), 0);
    assert_string_equal(c->name, "stand-in");
    assert_string_equal(c->version, "2");
    assert_string_equal(c->package, "npm stand-in@2");
    assert_string_equal(c->licence, "MIT");
    assert_string_equal(c->training_data, "not stated: nobody says");
    assert_int_equal(c->training_datasets_count, 0);
    assert_int_equal(c->files_count, 1);
    assert_string_equal(c->files[0].path, "w.bin");
    assert_string_equal(c->files[0].from, "package/w.bin");
    assert_string_equal(c->files[0].purpose, "the weights");
    assert_string_equal(c->dir, ".");
    assert_int_equal(strlen(c->sha256), 64);
    char w[256];
    assert_int_equal(sh_model_card_withdrawn(w, sizeof w, c), 0);
    assert_string_equal(w, "");
    sh_model_card_destroy(c);
}

/* The card with one line changed is refused with exactly `want`. */
static void refused(unsigned line, const char *with, const char *want)
{
    card(line, with, SHA_ZEROS, "[]");
    sh_model_card *c = (sh_model_card *)1;
    sh_err err = {0};
    assert_int_equal(sh_model_card_load(&c, "card.yaml", &err), SH_E_INPUT);
    assert_null(c);
    assert_string_equal(err.msg, want);
}

static void bad_fields_are_named(void **state)
{
    (void)state;
    refused(5, "source_sha256: 12ab",
            "card.yaml:5: field 'source_sha256': '12ab' is not 64 hex digits");
    refused(12, "    sha256: xyz", "card.yaml:12: field 'files entry 1.sha256': 'xyz' is not 64 "
                                  "hex digits");
    refused(6, "licence: \"  \"", "card.yaml:6: field 'licence': empty");
    refused(3, "package: \"\"", "card.yaml:3: field 'package': empty");
    refused(13, "    purpose: \"\"", "card.yaml:13: field 'files entry 1.purpose': empty");
    refused(10, "  - path: ../w.bin",
            "card.yaml:10: field 'files entry 1.path': '../w.bin' leaves the card's folder");
    refused(10, "  - path: /etc/passwd",
            "card.yaml:10: field 'files entry 1.path': '/etc/passwd' leaves the card's folder");
    refused(8, "training_datasets: [MegaFace, \"\"]",
            "card.yaml:8: field 'training_datasets': entry 2 is empty");
    /* files: [] (the entry's lines then hold a second mapping key: drop them) */
    put("card.yaml", "name: a\nversion: b\npackage: c\nsource: d\nsource_sha256: " SHA_ZEROS
                     "\nlicence: e\ntraining_data: f\ntraining_datasets: []\nfiles: []\n");
    sh_model_card *c = NULL;
    sh_err err = {0};
    assert_int_equal(sh_model_card_load(&c, "card.yaml", &err), SH_E_INPUT);
    assert_string_equal(err.msg, "card.yaml:9: field 'files': lists no file; a model card "
                                 "pins at least one");
}

static void files_are_checked(void **state)
{
    (void)state;
    put("w.bin", "weights\n");
    char sha[65];
    sh_err err = {0};
    assert_int_equal(sh_sha256_file(sha, "w.bin", &err), 0);
    card(0, NULL, sha, "[]");
    sh_model_card *c = NULL;
    assert_int_equal(sh_model_card_load(&c, "card.yaml", &err), 0);
    assert_int_equal(sh_model_card_verify(c, &err), 0);
    put("w.bin", "other\n");
    assert_int_equal(sh_model_card_verify(c, &err), SH_E_INPUT);
    assert_string_equal(err.msg, "./w.bin: SHA-256 differs from the model card card.yaml (fetch "
                                 "it again with scripts/fetch_models.py)");
    unlink("w.bin");
    assert_int_equal(sh_model_card_verify(c, &err), SH_E_INPUT);
    assert_string_equal(err.msg, "./w.bin: missing (fetch it with scripts/fetch_models.py)");
    sh_model_card_destroy(c);
    /* sh_model_card_open: the load and the check together; nothing on failure */
    char warning[512] = "x";
    assert_int_equal(sh_model_card_open(&c, warning, sizeof warning, "card.yaml", &err),
                     SH_E_INPUT);
    assert_null(c);
}

static void withdrawn_training_data_warns(void **state)
{
    (void)state;
    put("w.bin", "weights\n");
    char sha[65];
    sh_err err = {0};
    assert_int_equal(sh_sha256_file(sha, "w.bin", &err), 0);
    card(0, NULL, sha, "[MS1M-ArcFace, ms-celeb-1m, WebFace260M, vggface2]");
    sh_model_card *c = NULL;
    char w[2048];
    assert_int_equal(sh_model_card_open(&c, w, sizeof w, "card.yaml", &err), 0);
    assert_non_null(strstr(w, "stand-in 2 was trained on withdrawn data: MS-Celeb-1M was "
                              "withdrawn (2019): "));
    assert_non_null(strstr(w, " VGGFace2 was withdrawn: "));
    assert_null(strstr(strstr(w, "MS-Celeb-1M was") + 1, "MS-Celeb-1M was")); /* once */
    char only[2048];
    assert_int_equal(sh_model_card_withdrawn(only, sizeof only, c), 2);
    /* The record the results file takes: the card's fields, one dataset a line. */
    sh_model_card_info info;
    assert_int_equal(sh_model_card_record(&info, c, w, &err), 0);
    assert_string_equal(info.name, "stand-in");
    assert_string_equal(info.training_datasets,
                        "MS1M-ArcFace\nms-celeb-1m\nWebFace260M\nvggface2");
    assert_string_equal(info.warning, w);
    assert_string_equal(info.card_text, c->text);
    assert_int_equal(info.n_files, 1);
    assert_string_equal(info.files[0].path, "w.bin");
    assert_string_equal(info.files[0].sha256, sha);
    assert_string_equal(info.files[0].purpose, "the weights");
    sh_model_card_record_release(&info);
    sh_model_card_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_card_loads),
        cmocka_unit_test(bad_fields_are_named),
        cmocka_unit_test(files_are_checked),
        cmocka_unit_test(withdrawn_training_data_warns),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
