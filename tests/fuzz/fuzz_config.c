/* libFuzzer: the run config loader (harness/config.c over libcyaml). */
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    shades_err err = {0};
    shades_config *c;
    if (shades_config_load(&c, fuzz_file_set(data, size), &err) == 0)
        shades_config_destroy(c);
    return 0;
}
