/* The model files an engine run records (docs/attestation.md): every
 * regular file under engine.config_dir, recursively, and every option
 * value that names a file, resolved as the OpenCV adapters resolve a model
 * path (under config_dir when set, else as given); sorted, each once, with
 * SHA-256 and size; too many files under config_dir is refused naming the
 * field; a rerun's check names a changed or missing file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "model_files.h"

#include "scratch_dir.h"

/* A config in scratch_root/cfg with the given engine lines. */
static sh_config *load(const char *engine)
{
    char text[2048];
    snprintf(text, sizeof text,
             "run: {name: m, seed: 1}\n"
             "dataset: {manifest: manifest.csv}\n"
             "engine:\n  adapter: synthetic\n%s"
             "groups: {partitions: [sex]}\n"
             "verification: {target_fmr: [1e-2]}\n"
             "output: {results: out.h5}\n",
             engine);
    put("cfg/run.yaml", text);
    sh_config *c = NULL;
    sh_err err = {0};
    int rc = sh_config_load(&c, "cfg/run.yaml", &err);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, 0);
    return c;
}

static void options_and_config_dir(void **state)
{
    (void)state;
    assert_int_equal(mkdir("cfg", 0700), 0);
    assert_int_equal(mkdir("cfg/models", 0700), 0);
    assert_int_equal(mkdir("cfg/models/sub", 0700), 0);
    put("cfg/models/det.onnx", "abc");
    put("cfg/models/sub/rec.onnx", "");
    put("here.onnx", "x");
    char abs[256];
    snprintf(abs, sizeof abs, "%s/here.onnx", scratch_root);

    /* Without config_dir, an option value is a path as given (from the
     * working directory); other values are not files and are left out. */
    char engine[1024];
    snprintf(engine, sizeof engine,
             "  options: [detector=here.onnx, recognizer=det.onnx, detect_size=160, "
             "other=%s]\n", abs);
    sh_config *c = load(engine);
    sh_model_file *m = NULL;
    size_t n = 0;
    sh_err err = {0};
    assert_int_equal(sh_model_files_collect(&m, &n, c, &err), 0);
    assert_int_equal(n, 1); /* here.onnx, given twice (relative and absolute) */
    assert_string_equal(m[0].path, abs);
    /* SHA-256 of "x". */
    assert_string_equal(m[0].sha256,
                        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
    assert_int_equal(m[0].bytes, 1);
    free(m);
    sh_config_destroy(c);

    /* With config_dir (relative to the config): everything under it, and
     * option values resolved under it. */
    c = load("  config_dir: models\n"
             "  options: [detector=det.onnx, recognizer=here.onnx, extra=sub/rec.onnx]\n");
    assert_int_equal(sh_model_files_collect(&m, &n, c, &err), 0);
    assert_int_equal(n, 2);
    char want[256];
    snprintf(want, sizeof want, "%s/cfg/models/det.onnx", scratch_root);
    assert_string_equal(m[0].path, want);
    assert_int_equal(m[0].bytes, 3);
    snprintf(want, sizeof want, "%s/cfg/models/sub/rec.onnx", scratch_root);
    assert_string_equal(m[1].path, want);
    assert_string_equal(m[1].sha256,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* A rerun's check: unchanged passes; a changed or missing file is named. */
    assert_int_equal(sh_model_files_check(m, n, "r.h5", &err), 0);
    put("cfg/models/det.onnx", "abd");
    assert_int_equal(sh_model_files_check(m, n, "r.h5", &err), SH_E_INPUT);
    assert_non_null(strstr(err.msg, "rerun r.h5: model file "));
    assert_non_null(strstr(err.msg, "cfg/models/det.onnx (sha256 "));
    assert_non_null(strstr(err.msg, "not the one the file records; refusing"));
    unlink("cfg/models/det.onnx");
    assert_int_equal(sh_model_files_check(m, n, "r.h5", &err), SH_E_INPUT);
    assert_non_null(strstr(err.msg, "det.onnx that the file records is missing; refusing"));
    free(m);

    /* Too many files under config_dir: one line naming the field. */
    for (int i = 0; i <= SH_MODEL_FILES_MAX; i++) {
        char p[64];
        snprintf(p, sizeof p, "cfg/models/f%04d", i);
        put(p, "");
    }
    assert_int_equal(sh_model_files_collect(&m, &n, c, &err), SH_E_INPUT);
    assert_null(m);
    assert_non_null(strstr(err.msg, "cfg/run.yaml:5: field 'engine.config_dir': holds more than"));
    sh_config_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(options_and_config_dir, scratch_setup,
                                        scratch_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
