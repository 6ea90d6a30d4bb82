/* libFuzzer: the manifest parser (protocols/manifest.c) and its path check. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_file.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_err err = {0};
    sh_manifest *m;
    if (sh_manifest_load(&m, fuzz_file_set(data, size), &err) == 0) {
        sh_manifest_confine(m, &err);
        for (size_t i = 0; i < m->n_items; i++)
            if (sh_manifest_find(m, m->image_id[i]) != (long)i)
                abort();
        sh_manifest_destroy(m);
    }
    return 0;
}
