/* BFW (Balanced Faces in the Wild): its datatable as CSV, one row per
 * pair, both images' subjects and attributes on it; the label must agree
 * with the subject ids. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "import_csv.h"

static int bfw_row(sh_import_job *job, const int *col, char **f, size_t line, sh_err *err)
{
    char *end;
    errno = 0;
    long fold = strtol(f[col[0]], &end, 10);
    if (!f[col[0]][0] || *end || fold < 0 || errno == ERANGE)
        return sh_import_bad_value(err, "fold", f[col[0]], "a fold number");
    const char *label = f[col[3]];
    if (strcmp(label, "0") && strcmp(label, "1"))
        return sh_import_bad_value(err, "label", label, "0 or 1");
    int same = !strcmp(f[col[4]], f[col[5]]);
    if (same != (label[0] == '1'))
        return sh_err_set(err, SH_E_INPUT,
                              "field 'label': %s, but id1 '%s' and id2 '%s' are %s", label,
                              f[col[4]], f[col[5]], same ? "the same" : "different");
    size_t rows[2];
    for (int side = 0; side < 2; side++) {
        const char *p = f[col[1 + side]];
        const char *sex = sh_import_map(f[col[10 + side]], sh_import_sex_words);
        if (!p[0] || !f[col[4 + side]][0])
            return sh_import_bad_value(err, side ? "p2" : "p1", p, "an image with a subject id");
        if (!sex)
            return sh_import_bad_value(err, side ? "g2" : "g1", f[col[10 + side]], "F or M");
        const char *row[] = {p, f[col[4 + side]], p, f[col[6 + side]], f[col[8 + side]], sex};
        int rc = sh_import_add_image(&rows[side], &job->m, row, job->input, line, NULL, err);
        if (rc)
            return rc;
    }
    return sh_import_add_pair(&job->p, &job->m, rows[0], rows[1], fold, job->input, line,
                                  err);
}

static const char *const bfw_cols[] = {"fold", "p1", "p2", "label", "id1", "id2", "att1", "att2",
                                       "a1", "a2", "g1", "g2", NULL};

static const sh_import_csv_layout bfw = {
    "bfw", bfw_cols, {"subgroup", "ethnicity", "sex"}, 3, bfw_row};

int sh_import_read_bfw(sh_import_job *job, sh_err *err)
{
    return sh_import_csv_read(job, &bfw, err);
}
