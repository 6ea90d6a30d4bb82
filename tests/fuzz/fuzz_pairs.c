/* libFuzzer: the verification pair list (protocols/verification.c), read
 * against a fixed manifest of 8 images of 4 subjects, with folds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "fuzz_file.h"
#include "manifest.h"
#include "verification.h"

static sh_manifest *manifest;
static sh_config *config;

/* Writes text to a memfd of its own and returns its path (kept open). */
static const char *fixed_file(const char *text, char *path, size_t cap)
{
    int fd = memfd_create("shades-fuzz-fixed", 0);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return path;
}

static void setup(void)
{
    sh_err err = {0};
    char mpath[64], cpath[64], text[512];
    const char *pairs = fuzz_file_get()->path;
    fixed_file("image_id,subject_id,path,sex\n"
               "a0,a,a0.png,F\na1,a,a1.png,F\nb0,b,b0.png,M\nb1,b,b1.png,M\n"
               "c0,c,c0.png,F\nc1,c,c1.png,F\nd0,d,d0.png,M\nd1,d,d1.png,M\n",
               mpath, sizeof mpath);
    snprintf(text, sizeof text,
             "run: {name: fuzz}\ndataset: {manifest: %s}\nengine: {adapter: synthetic}\n"
             "groups: {partitions: [sex]}\n"
             "verification: {target_fmr: [1e-2], pairs: {file: %s, fold: fold}}\n"
             "output: {results: /dev/null}\n", mpath, pairs);
    fixed_file(text, cpath, sizeof cpath);
    if (sh_manifest_load(&manifest, mpath, &err) || sh_config_load(&config, cpath, &err)) {
        fprintf(stderr, "fuzz_pairs setup: %s\n", err.msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!manifest)
        setup();
    fuzz_file_set(data, size);
    sh_err err = {0};
    sh_pairs *p;
    sh_pairs_spec spec;
    sh_config_pairs_spec(&spec, config);
    if (sh_verification_pairs(&p, manifest, &spec, 0, &err) == 0)
        sh_pairs_destroy(p);
    return 0;
}
