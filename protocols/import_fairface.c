/* FairFace: its label CSV, one image per person; age already binned
 * ("20-29"). */
#include <stddef.h>

#include "import_csv.h"

static int fairface_row(sh_import_job *job, const int *col, char **f, size_t line,
                        sh_err *err)
{
    const char *file = f[col[0]];
    const char *sex = sh_import_map(f[col[2]], sh_import_sex_words);
    if (!file[0])
        return sh_import_bad_value(err, "file", "", "a file name");
    if (!sex)
        return sh_import_bad_value(err, "gender", f[col[2]], "Female or Male");
    if (!f[col[1]][0] || !f[col[3]][0])
        return sh_import_bad_value(err, f[col[1]][0] ? "race" : "age", "", "a label");
    const char *row[] = {file, file, file, f[col[1]], sex, f[col[3]], f[col[4]]};
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
