/* The dataset card an import writes beside its manifest, from its
 * format's row of the registry. */
#include <stdio.h>

#include "importer.h"

/* s as a YAML double-quoted scalar. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

int sh_import_card_write(FILE *f, const sh_importer *imp, const char *root,
                         const char *sha256)
{
    const sh_import_card *c = &imp->card;
    fprintf(f,
            "# Dataset card written by `shades import %s` (docs/datasets.md). The\n"
            "# facts below are as published: check them against your copy. Replace\n"
            "# every TODO with your own terms; `shades run` refuses the card until then.\n"
            "name: %s\n"
            "version: \"%s\"\n"
            "licence: \"TODO: the terms you obtained the data under\"\n"
            "consent: \"TODO: the basis on which the people pictured agreed\"\n"
            "collection:\n"
            "  method: \"%s\"\n"
            "  dates: \"%s\"\n"
            "permitted_uses: [\"TODO: what those terms allow\"]\n"
            "contact: \"TODO: who answers for your copy of the data\"\n"
            "# The folder the image paths of manifest.csv are relative to; a\n"
            "# relative root is taken from this card's folder, and the config's\n"
            "# dataset.root overrides it.\n"
            "root: ",
            imp->name, c->name, c->version, c->method, c->dates);
    put_quoted(f, root);
    fprintf(f, "\nmanifest_sha256: %s\n", sha256);
    if (c->sources)
        fprintf(f, "sources: [%s]\n", c->sources);
    return ferror(f) ? -1 : 0;
}
