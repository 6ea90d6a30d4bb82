/* The registry: every published format shades imports, one row each. The
 * order is the order `shades import` lists them in (its help, its usage
 * and its messages); docs/shades.1, docs/datasets.md and
 * scripts/shades-completion.bash list the same (tests/help_cli.sh). */
#include "importer.h"

#include <string.h>

const sh_importer sh_importers[] = {
    {"ppb", "PPB metadata CSV: one image per person, gender and Fitzpatrick skin type",
     sh_import_read_ppb, 0, 0,
     {"PPB", "2017",
      "photographs of members of the parliaments of Rwanda, Senegal, South Africa, Iceland, "
      "Finland and Sweden, labelled for gender and Fitzpatrick skin type (Buolamwini and "
      "Gebru, 2018)",
      "2017", NULL}},
    {"rfw", "RFW <Race>_pairs.txt lists, or folders searched for them: ten folds of pairs",
     sh_import_read_rfw, SH_IMPORT_WRITES_PAIRS, SH_IMPORT_TAKES_INPUTS | SH_IMPORT_TAKES_RACE,
     {"RFW", "2019",
      "images from MS-Celeb-1M in four race subsets, African, Asian, Caucasian and Indian "
      "(Wang et al., 2019)",
      "2019", "MS-Celeb-1M"}},
    {"bfw", "BFW datatable CSV: one row per pair, both images' subgroup, ethnicity and sex",
     sh_import_read_bfw, SH_IMPORT_WRITES_PAIRS, 0,
     {"BFW", "0.1.5",
      "images from VGGFace2 balanced over eight subgroups of ethnicity and gender (Robinson "
      "et al., 2020)",
      "2020", "VGGFace2"}},
    {"fairface", "FairFace label CSV: one image per person, age bin, gender and race",
     sh_import_read_fairface, 0, 0,
     {"FairFace", "2021",
      "images from the YFCC-100M Flickr dataset, labelled for race, gender and age (Karkkainen "
      "and Joo, 2021)",
      "2019-2021", "YFCC-100M"}},
    {"utkface", "a folder of UTKFace age_gender_race_datetime.jpg files",
     sh_import_read_utkface, 0, 0,
     {"UTKFace", "2017",
      "images gathered from the web, labelled for age, gender and race (Zhang et al., 2017)",
      "2017", NULL}},
};

const size_t sh_n_importers = sizeof sh_importers / sizeof *sh_importers;

const sh_importer *sh_importer_find(const char *name)
{
    for (size_t k = 0; k < sh_n_importers; k++)
        if (!strcmp(sh_importers[k].name, name))
            return &sh_importers[k];
    return NULL;
}
