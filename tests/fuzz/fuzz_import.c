/* libFuzzer: the importers of published layouts (protocols/import.c). The
 * first byte picks the format (ppb, rfw, bfw, fairface); the rest is the
 * file. Output goes to a scratch directory. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_file.h"
#include "import.h"

static char dir[] = "/tmp/shades-fuzz-import-XXXXXX";

static void remove_dir(void)
{
    char path[64];
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/pairs.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/card.yaml", dir);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int made;
    static const char *const formats[] = {"ppb", "rfw", "bfw", "fairface"};
    if (!made) {
        if (!mkdtemp(dir))
            abort();
        atexit(remove_dir);
        made = 1;
    }
    if (size < 1)
        return 0;
    const char *input = fuzz_file_set(data + 1, size - 1);
    sh_import_options o = {.format = formats[data[0] % 4],
                               .inputs = &input,
                               .n_inputs = 1,
                               .out_dir = dir,
                               .race = "African"};
    sh_err err = {0};
    sh_import_result r;
    sh_import(&r, &o, &err);
    return 0;
}
