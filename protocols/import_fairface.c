/* FairFace: its label CSV, one image per person; age already binned
 * ("20-29"). */
#include <stddef.h>

#include "import_csv.h"

/* The published labels, each to its own spelling (read in any case). */
static const char *const ages[] = {"0-2", "0-2", "3-9", "3-9", "10-19", "10-19", "20-29",
                                   "20-29", "30-39", "30-39", "40-49", "40-49", "50-59",
                                   "50-59", "60-69", "60-69", "more than 70", "more than 70",
                                   NULL};
static const char *const races[] = {"White", "White", "Black", "Black", "Latino_Hispanic",
                                    "Latino_Hispanic", "East Asian", "East Asian",
                                    "Southeast Asian", "Southeast Asian", "Indian", "Indian",
                                    "Middle Eastern", "Middle Eastern", NULL};
static const char *const truth[] = {"True", "True", "False", "False", NULL};

static int fairface_row(sh_import_job *job, const int *col, char **f, size_t line,
                        sh_err *err)
{
    const char *file = f[col[0]];
    const char *sex = sh_import_map(f[col[2]], sh_import_sex_words);
    const char *age = sh_import_map(f[col[1]], ages), *race = sh_import_map(f[col[3]], races);
    const char *test = sh_import_map(f[col[4]], truth);
    if (!file[0])
        return sh_import_bad_value(err, "file", "", "a file name");
    if (!sex)
        return sh_import_bad_value(err, "gender", f[col[2]], "Female or Male");
    if (!age)
        return sh_import_bad_value(err, "age", f[col[1]], "one of FairFace's nine age bins "
                                   "(0-2, 3-9, 10-19, ... 60-69, more than 70)");
    if (!race)
        return sh_import_bad_value(err, "race", f[col[3]], "one of FairFace's seven labels "
                                   "(White, Black, Latino_Hispanic, East Asian, Southeast "
                                   "Asian, Indian, Middle Eastern)");
    if (!test)
        return sh_import_bad_value(err, "service_test", f[col[4]], "True or False");
    const char *row[] = {file, file, file, age, sex, race, test};
    size_t r;
    return sh_import_add_image(&r, &job->m, row, job->input, line, "file", err);
}

static const char *const fairface_cols[] = {"file", "age", "gender", "race", "service_test",
                                            NULL};

static const sh_import_csv_layout fairface = {
    "fairface", fairface_cols, {"age", "sex", "race", "service_test"}, 4, fairface_row};

int sh_import_read_fairface(sh_import_job *job, sh_err *err)
{
    return sh_import_csv_read(job, &fairface, err);
}
