/* PPB (the Pilot Parliaments Benchmark): its metadata CSV, one image per
 * person; Fitzpatrick type as 1-6 and its binary lighter/darker; gender as
 * Female/Male. */
#include <stddef.h>
#include <string.h>

#include "import_csv.h"

static const char *const roman[] = {"1", "I", "2", "II", "3", "III", "4", "IV",
                                    "5", "V", "6", "VI", NULL};
static const char *const lighter_darker[] = {"lighter", "lighter", "darker", "darker",
                                             "light", "lighter", "dark", "darker", NULL};

static int ppb_row(sh_import_job *job, const int *col, char **f, size_t line, sh_err *err)
{
    const char *id = f[col[0]], *file = f[col[1]];
    const char *sex = sh_import_map(f[col[2]], sh_import_sex_words);
    const char *type = sh_import_map(f[col[3]], roman);
    const char *skin = sh_import_map(f[col[4]], lighter_darker);
    if (!id[0] || !file[0])
        return sh_import_bad_value(err, id[0] ? "filename" : "image_id", "", "a name");
    if (!sex)
        return sh_import_bad_value(err, "gender", f[col[2]], "Female or Male");
    if (!type)
        return sh_import_bad_value(err, "fitzpatrick skin type category", f[col[3]],
                                   "1 to 6");
    if (!skin)
        return sh_import_bad_value(err, "bi.fitz", f[col[4]], "lighter or darker");
    /* PPB's binary label is its type's: I to III lighter, IV to VI darker. */
    const char *of_type = type[0] == 'I' && type[1] != 'V' ? "lighter" : "darker";
    if (strcmp(skin, of_type))
        return sh_err_set(err, SH_E_INPUT,
                          "field 'bi.fitz': '%s' is not Fitzpatrick type %s's, which is %s",
                          f[col[4]], type, of_type);
    const char *row[] = {id, id, file, sex, type, skin, f[col[5]]};
    size_t r;
    return sh_import_add_image(&r, &job->m, row, job->input, line, "image_id", err);
}

static const char *const ppb_cols[] = {"image_id", "filename", "gender",
                                       "fitzpatrick skin type category", "bi.fitz", "country",
                                       NULL};

static const sh_import_csv_layout ppb = {
    "ppb", ppb_cols, {"sex", "skin_type", "skin", "country"}, 4, ppb_row};

int sh_import_read_ppb(sh_import_job *job, sh_err *err)
{
    return sh_import_csv_read(job, &ppb, err);
}
