/* libFuzzer: the model card loader (protocols/model_card.c) and its
 * withdrawn-dataset check; not the files' check, which would read
 * whatever the card names beside the input's memfd. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_file.h"
#include "model_card.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_err err = {0};
    sh_model_card *card;
    if (sh_model_card_load(&card, fuzz_file_set(data, size), &err) == 0) {
        char warning[1024];
        sh_model_card_withdrawn(warning, sizeof warning, card);
        sh_model_card_destroy(card);
    }
    return 0;
}
