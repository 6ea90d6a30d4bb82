/* The dataset card an import writes beside its manifest. */
#include <stdio.h>
#include <string.h>

#include "import_job.h"

/* What is published about each format's dataset. */
typedef struct card_facts {
    const char *format, *name, *version, *method, *dates, *sources;
} card_facts;

static const card_facts facts[] = {
    {"ppb", "PPB", "2017",
     "photographs of members of the parliaments of Rwanda, Senegal, South Africa, Iceland, "
     "Finland and Sweden, labelled for gender and Fitzpatrick skin type (Buolamwini and "
     "Gebru, 2018)", "2017", NULL},
    {"rfw", "RFW", "2019",
     "images from MS-Celeb-1M in four race subsets, African, Asian, Caucasian and Indian "
     "(Wang et al., 2019)", "2019", "MS-Celeb-1M"},
    {"bfw", "BFW", "0.1.5",
     "images from VGGFace2 balanced over eight subgroups of ethnicity and gender (Robinson "
     "et al., 2020)", "2020", "VGGFace2"},
    {"fairface", "FairFace", "2021",
     "images from the YFCC-100M Flickr dataset, labelled for race, gender and age (Karkkainen "
     "and Joo, 2021)", "2019-2021", "YFCC-100M"},
    {"utkface", "UTKFace", "2017",
     "images gathered from the web, labelled for age, gender and race (Zhang et al., 2017)",
     "2017", NULL},
};

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

int sh_import_card_write(FILE *f, const char *format, const char *root, const char *sha256)
{
    const card_facts *c = NULL;
    for (size_t k = 0; k < sizeof facts / sizeof *facts; k++)
        if (!strcmp(facts[k].format, format))
            c = &facts[k];
    if (!c)
        return -1;
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
            format, c->name, c->version, c->method, c->dates);
    put_quoted(f, root);
    fprintf(f, "\nmanifest_sha256: %s\n", sha256);
    if (c->sources)
        fprintf(f, "sources: [%s]\n", c->sources);
    return ferror(f) ? -1 : 0;
}
