/* Manifests and configs, good and bad: every bad one gets its exact
 * message naming the file, line and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "manifest.h"

static char dir[64];

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/shades-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void manifest_reads_columns_and_subjects(void **state)
{
    (void)state;
    const char *p = write_file("m.csv", "sex,image_id,subject_id,path,skin_type\r\n"
                                        "F,a1,A,a1.png,IV\r\n"
                                        "F,a2,A,\"a,2.png\",IV\r\n"
                                        "M,b1,B,b1.png,\r\n");
    sh_manifest *m;
    sh_err err = {0};
    assert_int_equal(sh_manifest_load(&m, p, &err), 0);
    assert_int_equal(m->n_items, 3);
    assert_int_equal(m->n_subjects, 2);
    assert_int_equal(m->n_attrs, 2);
    assert_string_equal(m->attr_names[0], "sex");
    assert_string_equal(m->attr_names[1], "skin_type");
    assert_string_equal(m->image_path[1], "a,2.png");
    assert_int_equal(m->subject[0], m->subject[1]);
    assert_int_not_equal(m->subject[0], m->subject[2]);
    assert_string_equal(sh_manifest_value(m, 2, 1), "");
    assert_int_equal(m->line[2], 4);
    sh_manifest_destroy(m);
}

/* A spreadsheet's UTF-8 byte-order mark before the header is skipped; line
 * numbers still count from the header's line. */
static void manifest_skips_a_byte_order_mark(void **state)
{
    (void)state;
    const char *p = write_file("bom.csv", "\xEF\xBB\xBFimage_id,subject_id,path\r\n"
                                          "a1,A,a1.png\r\n"
                                          "a1,A,a2.png\r\n");
    sh_manifest *m = NULL;
    sh_err err = {0};
    assert_int_equal(sh_manifest_load(&m, p, &err), SH_E_INPUT);
    char want[512];
    snprintf(want, sizeof want, "%s:3: field 'image_id': duplicate 'a1' (first on line 2)", p);
    assert_string_equal(err.msg, want);
    p = write_file("bom.csv", "\xEF\xBB\xBFimage_id,subject_id,path\na1,A,a1.png\n");
    assert_int_equal(sh_manifest_load(&m, p, &err), 0);
    assert_string_equal(m->image_id[0], "a1");
    assert_int_equal(m->line[0], 2);
    sh_manifest_destroy(m);
}

static void expect_manifest_error(const char *text, const char *expected)
{
    const char *p = write_file("bad.csv", text);
    sh_manifest *m = (sh_manifest *)1;
    sh_err err = {0};
    assert_int_equal(sh_manifest_load(&m, p, &err), SH_E_INPUT);
    assert_null(m);
    char want[512];
    snprintf(want, sizeof want, "%s/bad.csv%s", dir, expected);
    assert_string_equal(err.msg, want);
}

static void manifest_errors_name_line_and_field(void **state)
{
    (void)state;
    expect_manifest_error("image_id,path\nx,y\n", ":1: header: missing required column 'subject_id'");
    expect_manifest_error("image_id,subject_id,path\na,A,a.png\nb,B\n",
                          ":3: row has 2 fields, the header has 3");
    expect_manifest_error("image_id,subject_id,path\na,A,a.png\n\nb,,b.png\n",
                          ":4: field 'subject_id': empty");
    expect_manifest_error("image_id,subject_id,path\na,A,a.png\nb,B,b.png\na,C,c.png\n",
                          ":4: field 'image_id': duplicate 'a' (first on line 2)");
    expect_manifest_error("image_id,subject_id,path\na,A,\"a.png\nb,B,b.png\n",
                          ":2: malformed CSV: quoted field never closed");
    /* A record's first field opened with a quote, after a blank line: the
     * line it opens on, not the file's last. */
    expect_manifest_error("image_id,subject_id,path\na,A,a.png\n\n\"b,B,b.png\nc,C,c.png\nd,D,d.png\n",
                          ":4: malformed CSV: quoted field never closed");
    expect_manifest_error("image_id,subject_id,path\na,A,a\"b.png\n", ":2: malformed CSV: stray quote in a field");
    expect_manifest_error("image_id,subject_id,path,sex,sex\n", ":1: header: column 'sex' appears twice");
    expect_manifest_error("", ":1: empty file, expected a header row");
    expect_manifest_error("image_id,subject_id,path\n", ": no rows after the header");
}

static const char *good_config =
    "run: {name: t, seed: 3, threads: 2}\n"
    "dataset: {manifest: m.csv}\n"
    "engine: {adapter: synthetic, options: [genuine_mean=4]}\n"
    "groups: {partitions: [sex, sex x skin_type]}\n"
    "verification: {target_fmr: [0.01]}\n"
    "output: {results: out/r.h5}\n";

static void config_resolves_paths_against_its_directory(void **state)
{
    (void)state;
    const char *p = write_file("c.yaml", good_config);
    sh_config *c;
    sh_err err = {0};
    assert_int_equal(sh_config_load(&c, p, &err), 0);
    char want[256];
    snprintf(want, sizeof want, "%s/m.csv", dir);
    assert_string_equal(c->dataset.manifest, want);
    snprintf(want, sizeof want, "%s/out/r.h5", dir);
    assert_string_equal(c->output.results, want);
    assert_string_equal(c->verification.impostors, "all");
    assert_float_equal(c->run.confidence, 0.95, 0);
    assert_int_equal(c->run.threads, 2);
    assert_false(c->dataset.allow_outside_root);
    char *opts = sh_config_engine_options(c);
    assert_string_equal(opts, "genuine_mean=4\n");
    free(opts);
    sh_config_destroy(c);
}

/* Writes good_config with `from` replaced by `to` as NAME; its path. */
static const char *write_changed(const char *name, const char *from, const char *to)
{
    char text[2048];
    const char *at = strstr(good_config, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good_config), good_config, to,
             at + strlen(from));
    return write_file(name, text);
}

static void expect_config_error(const char *from, const char *to, const char *expected)
{
    const char *p = write_changed("bad.yaml", from, to);
    sh_config *c = (sh_config *)1;
    sh_err err = {0};
    assert_int_equal(sh_config_load(&c, p, &err), SH_E_INPUT);
    assert_null(c);
    char want[512];
    snprintf(want, sizeof want, "%s/bad.yaml%s", dir, expected);
    assert_string_equal(err.msg, want);
}

static void config_errors_name_line_and_field(void **state)
{
    (void)state;
    expect_config_error("seed: 3", "seed: three", ":1: field 'run.seed': 'three' is not a whole number");
    expect_config_error("threads: 2", "threds: 2", ":1: field 'run.threds': not a key this file may have");
    expect_config_error("threads: 2", "threads: 300",
                        ":1: field 'run.threads': 300 is not from 1 to 256");
    expect_config_error("seed: 3", "seed: 3, seed: 4", ":1: field 'run.seed': given twice");
    expect_config_error("[sex, sex x skin_type]", "[]",
                        ":4: field 'groups.partitions': has 0 entries, at least 1 needed");
    /* An explicit 0 is not the default (1 thread, 0.95). */
    expect_config_error("threads: 2", "threads: 0",
                        ":1: field 'run.threads': 0 is not from 1 to 256");
    expect_config_error("threads: 2", "threads: 2, confidence: 0",
                        ":1: field 'run.confidence': 0 is not in (0.5, 1)");
    /* A word that is neither true nor false is an error, not true. */
    expect_config_error("[0.01]}", "[0.01], impostor_moments: maybe}",
                        ":5: field 'verification.impostor_moments': 'maybe' is not true or false");
    expect_config_error("m.csv}", "m.csv, allow_outside_root: flase}",
                        ":2: field 'dataset.allow_outside_root': 'flase' is not true or false");
    expect_config_error("[0.01]", "[0.01, x]",
                        ":5: field 'verification.target_fmr entry 2': 'x' is not a number");
    expect_config_error("[0.01]", "[1.5]", ":5: field 'verification.target_fmr': 1.5 is not in (0, 1)");
    expect_config_error("[genuine_mean=4]", "[genuine_mean]",
                        ":3: field 'engine.options': 'genuine_mean' is not key=value");
    expect_config_error("verification: {target_fmr: [0.01]}",
                        "verification: {impostors: some, target_fmr: [0.01]}",
                        ":5: field 'verification.impostors': 'some' is neither all nor sample");
    expect_config_error("output: {results: out/r.h5}\n", "", ":5: field 'output': required but missing");
    /* A missing key is named with the mapping it belongs in, not with
     * that mapping's last field, where libcyaml finds it missing. */
    expect_config_error("name: t, ", "", ":1: field 'run.name': required but missing");
    expect_config_error("{results: out/r.h5}", "{}", ":6: field 'output.results': required but missing");
    /* In block style too, the section's own line (libcyaml's is its last). */
    expect_config_error("run: {name: t, seed: 3, threads: 2}\n", "run:\n  seed: 3\n  threads: 2\n",
                        ":1: field 'run.name': required but missing");
}

/* Loads good_config with `from` replaced by `to`; fails the test unless it
 * loads. */
static void expect_config_ok(const char *from, const char *to)
{
    const char *p = write_changed("ok.yaml", from, to);
    sh_config *c = NULL;
    sh_err err = {0};
    if (sh_config_load(&c, p, &err))
        fail_msg("refused '%s': %s", to, err.msg);
    sh_config_destroy(c);
}

/* Valid YAML the text checks (UTF-8, NUL, second document, tab placement)
 * must not refuse: tabs inside a block scalar, a quoted value or a flow
 * list's next line, a directive or a byte-order mark before "---". */
static void config_valid_yaml_forms_load(void **state)
{
    (void)state;
    expect_config_ok("name: t,", "name: \"multi\n   \tline\",");
    expect_config_ok("run: {name: t, seed: 3, threads: 2}\n",
                     "run:\n  name: |\n    text\n    \tindented\n  seed: 3\n  threads: 2\n");
    expect_config_ok("[sex, sex x skin_type]", "[sex,\n\tsex x skin_type]");
    expect_config_ok("run: {", "%YAML 1.1\n---\nrun: {");
    expect_config_ok("run: {", "\xEF\xBB\xBF# a comment\n---\nrun: {");
    expect_config_ok("out/r.h5}\n", "out/r.h5}\n...\n");
    expect_config_ok("name: t,", "name: \"caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x99\x82\",");
}

/* A config with one criteria rule, written out in full. */
static void expect_rule_error(const char *rule, const char *expected)
{
    char to[512];
    snprintf(to, sizeof to, "output: {results: out/r.h5}\ncriteria:\n  - name: r\n%s", rule);
    expect_config_error("output: {results: out/r.h5}\n", to, expected);
}

static void criteria_errors_name_rule_line_and_field(void **state)
{
    (void)state;
    expect_rule_error("    measure: nope\n    partition: sex\n    target_fmr: 0.01\n"
                      "    at_most: 1\n",
                      ":8: field 'criteria entry 1.measure': 'nope' is not a measure a rule can "
                      "name");
    expect_rule_error("    measure: fnmr_gini\n    partition: age\n    target_fmr: 0.01\n"
                      "    at_most: 1\n",
                      ":8: field 'criteria entry 1.partition': 'age' is not one of "
                      "groups.partitions (sex, sex x skin_type)");
    expect_rule_error("    measure: fnmr_gini\n    partition: all\n    target_fmr: 0.01\n"
                      "    at_most: 1\n",
                      ":8: field 'criteria entry 1.partition': 'all' is not one of "
                      "groups.partitions (sex, sex x skin_type)");
    expect_rule_error("    measure: fnmr\n    partition: sex\n    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.target_fmr': is required for this measure "
                      "(or target_fnmr or fixed_threshold)");
    expect_rule_error("    measure: fnmr\n    partition: sex\n    target_fmr: 0.02\n"
                      "    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.target_fmr': 0.02 is not one of "
                      "verification.target_fmr");
    expect_rule_error("    measure: fnmr\n    partition: sex\n    target_fmr: 0.01\n",
                      ":8: field 'criteria entry 1.at_most': give exactly one of at_most and "
                      "at_least");
    expect_rule_error("    measure: fnmr\n    partition: sex\n    target_fmr: 0.01\n"
                      "    at_most: 0.1\n    at_least: 0.01\n",
                      ":8: field 'criteria entry 1.at_most': give exactly one of at_most and "
                      "at_least");
    expect_rule_error("    measure: fnmr\n    partition: sex\n    target_fmr: 0.01\n"
                      "    bound: worst\n    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.bound': 'worst' is not value, lower or upper");
    expect_rule_error("    measure: garbe\n    partition: sex\n    target_fmr: 0.01\n"
                      "    group: F\n    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.group': a summary covers every group of its "
                      "partition");
    expect_rule_error("    measure: fmr\n    partition: sex\n    target_fmr: 0.01\n"
                      "    interval: normal\n    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.interval': 'normal' is not wilson, "
                      "clopper-pearson or bootstrap");
    expect_rule_error("    measure: fte\n    partition: sex\n    interval: bootstrap\n"
                      "    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.interval': fte has no bootstrap interval");
    expect_rule_error("    measure: fnmr_gap\n    partition: sex\n    target_fmr: 0.01\n"
                      "    interval: wilson\n    at_most: 0.1\n",
                      ":8: field 'criteria entry 1.interval': summaries have bootstrap "
                      "intervals only");
    expect_rule_error("    measure: fnmr\n    partition: sex\n    target_fmr: 0.01\n"
                      "    at_most: x\n",
                      ":12: field 'criteria entry 1.at_most': 'x' is not a number");
    expect_config_error("threads: 2}", "threads: 2, bootstrap: 0}\ncriteria:\n"
                        "  - {name: q, measure: inequity, partition: sex, target_fmr: 0.01,"
                        " at_most: 2}",
                        ":3: field 'criteria entry 1.bound': needs bootstrap intervals, but "
                        "run.bootstrap is 0: give bound: value");
}

/* Loads good_config with `from` replaced by `to`; the caller destroys it. */
static sh_config *load_changed(const char *from, const char *to)
{
    sh_config *c = NULL;
    sh_err err = {0};
    int rc = sh_config_load(&c, write_changed("changed.yaml", from, to), &err);
    if (rc)
        fail_msg("%s", err.msg);
    return c;
}

static void config_reads_yaml_true_and_false(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        bool value;
    } words[] = {{"true", 1}, {"True", 1}, {"yes", 1}, {"ON", 1},
                 {"false", 0}, {"FALSE", 0}, {"no", 0}, {"off", 0}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        char to[128];
        snprintf(to, sizeof to, "m.csv, allow_outside_root: %s}", words[i].word);
        sh_config *c = load_changed("m.csv}", to);
        assert_int_equal(c->dataset.allow_outside_root, words[i].value);
        sh_config_destroy(c);
        snprintf(to, sizeof to, "[0.01], impostor_moments: %s}", words[i].word);
        c = load_changed("[0.01]}", to);
        assert_int_equal(c->verification.impostor_moments, words[i].value);
        sh_config_destroy(c);
    }
    /* A summary's bound may name its one interval. */
    sh_config *c = load_changed("output: {results: out/r.h5}\n",
                                "output: {results: out/r.h5}\ncriteria:\n"
                                "  - {name: q, measure: fnmr_max_geomean, partition: sex,"
                                " target_fmr: 0.01, interval: bootstrap, at_most: 2}\n");
    sh_config_destroy(c);
}

static void missing_files_are_named(void **state)
{
    (void)state;
    sh_config *c;
    sh_manifest *m;
    sh_err err = {0};
    assert_int_equal(sh_config_load(&c, "/nonexistent/c.yaml", &err), SH_E_INPUT);
    assert_string_equal(err.msg, "/nonexistent/c.yaml: cannot open config: No such file or directory");
    assert_int_equal(sh_manifest_load(&m, "/nonexistent/m.csv", &err), SH_E_INPUT);
    assert_string_equal(err.msg, "/nonexistent/m.csv: cannot open manifest: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manifest_reads_columns_and_subjects),
        cmocka_unit_test(manifest_errors_name_line_and_field),
        cmocka_unit_test(manifest_skips_a_byte_order_mark),
        cmocka_unit_test(config_resolves_paths_against_its_directory),
        cmocka_unit_test(config_reads_yaml_true_and_false),
        cmocka_unit_test(config_errors_name_line_and_field),
        cmocka_unit_test(config_valid_yaml_forms_load),
        cmocka_unit_test(criteria_errors_name_rule_line_and_field),
        cmocka_unit_test(missing_files_are_named),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
