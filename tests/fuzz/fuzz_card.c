/* libFuzzer: the dataset card loader (protocols/card.c). */
#include <stddef.h>
#include <stdint.h>

#include "card.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_err err = {0};
    sh_card *card;
    if (sh_card_load(&card, fuzz_file_set(data, size), &err) == 0) {
        char warning[1024];
        sh_card_withdrawn(warning, sizeof warning, card);
        sh_card_destroy(card);
    }
    return 0;
}
