/* libFuzzer: the run config loader (harness/config.c over libcyaml). */
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_err err = {0};
    sh_config *c;
    if (sh_config_load(&c, fuzz_file_set(data, size), &err) == 0)
        sh_config_destroy(c);
    return 0;
}
