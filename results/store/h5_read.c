#include "h5_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5_guard.h"
#include "h5_schema.h"

/* A variable-length string attribute (schema 1.3 on) as a new string. */
static char *read_variable_string(hid_t a, hid_t ft)
{
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ft));
    char *v = NULL, *s = NULL;
    if (H5Aread(a, mt, &v) >= 0)
        s = strdup(v ? v : "");
    H5free_memory(v);
    H5Tclose(mt);
    return s;
}

/* A string attribute of loc, or NULL when it is absent or not a string.
 * Fixed-length (files before 1.3) or variable-length. */
static char *read_string_attr(hid_t loc, const char *name)
{
    if (H5Aexists(loc, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t ft = a < 0 ? -1 : H5Aget_type(a);
    char *s = NULL;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0) {
        s = read_variable_string(a, ft);
    } else if (ft >= 0 && H5Tget_class(ft) == H5T_STRING) {
        size_t n = H5Tget_size(ft);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, n + 1);
        H5Tset_cset(mt, H5Tget_cset(ft)); /* HDF5 converts no character set */
        s = calloc(n + 1, 1);
        if (s && H5Aread(a, mt, s) < 0) {
            free(s);
            s = NULL;
        }
        H5Tclose(mt);
    }
    if (ft >= 0)
        H5Tclose(ft);
    if (a >= 0)
        H5Aclose(a);
    return s;
}

static int read_number_attr(hid_t loc, const char *name, hid_t mem_type, void *out)
{
    if (H5Aexists(loc, name) <= 0)
        return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    herr_t r = a < 0 ? -1 : H5Aread(a, mem_type, out);
    if (a >= 0)
        H5Aclose(a);
    return r < 0 ? -1 : 0;
}

/* The root attributes; those newer than the file's minor version default
 * to "" and 0. */
static int read_attrs(hid_t f, sh_run_info *info, int minor, const char *path,
                      sh_err *err)
{
    for (size_t i = 0; i < sh_h5_n_string_attrs; i++) {
        const sh_h5_attr *a = &sh_h5_string_attrs[i];
        char **slot = (char **)((char *)info + a->offset);
        *slot = a->since_minor > minor ? strdup("") : read_string_attr(f, a->name);
        if (!*slot)
            return sh_err_set(err, SH_E_INPUT,
                                  "%s: root attribute '%s' is missing or not a string", path,
                                  a->name);
    }
    for (size_t i = 0; i < sh_h5_n_u64_attrs; i++) {
        const sh_h5_attr *a = &sh_h5_u64_attrs[i];
        if (a->since_minor > minor)
            continue;
        if (read_number_attr(f, a->name, H5T_NATIVE_UINT64, (char *)info + a->offset))
            return sh_err_set(err, SH_E_INPUT,
                                  "%s: root attribute '%s' is missing or not a number", path,
                                  a->name);
    }
    return 0;
}

/* Reads a whole 1-D dataset of t's rows into a new array; columns newer
 * than the file's schema `minor` that it lacks read as NaN, 0 or "". */
static int read_table(void **out, size_t *out_n, hid_t f, const sh_h5_table *t, int minor,
                      const char *path, sh_err *err)
{
    *out = NULL;
    *out_n = 0;
    if (H5Lexists(f, t->path, H5P_DEFAULT) <= 0)
        return sh_err_set(err, SH_E_INPUT, "%s: table %s is missing", path, t->path);
    hid_t d = H5Dopen2(f, t->path, H5P_DEFAULT);
    hid_t ft = d < 0 ? -1 : H5Dget_type(d);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    int rc = 0;
    if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_COMPOUND || H5Sget_simple_extent_ndims(sp) != 1)
        rc = sh_err_set(err, SH_E_INPUT, "%s: %s is not a table", path, t->path);
    for (size_t i = 0; !rc && i < t->n_cols; i++)
        if (H5Tget_member_index(ft, t->cols[i].name) < 0 && t->cols[i].since_minor <= minor)
            rc = sh_err_set(err, SH_E_INPUT, "%s: table %s has no field '%s'", path,
                                t->path, t->cols[i].name);
    hsize_t n = 0;
    if (!rc)
        H5Sget_simple_extent_dims(sp, &n, NULL);
    void *rows = rc ? NULL : calloc(n ? n : 1, t->row_size);
    if (!rc && !rows)
        rc = sh_err_nomem(err);
    for (size_t i = 0; !rc && i < t->n_cols; i++) {
        const sh_h5_column *c = &t->cols[i];
        if (c->kind == 'd' && H5Tget_member_index(ft, c->name) < 0)
            for (hsize_t k = 0; k < n; k++)
                *(double *)((char *)rows + k * t->row_size + c->offset) = NAN;
    }
    if (!rc) {
        hid_t mt = sh_h5_compound_type_read(t, ft);
        if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
            rc = sh_err_set(err, SH_E_INPUT, "%s: cannot read table %s", path, t->path);
        H5Tclose(mt);
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (d >= 0)
        H5Dclose(d);
    if (rc) {
        free(rows);
        return rc;
    }
    *out = rows;
    *out_n = n;
    return 0;
}

/* Reads a numeric dataset of exactly `count` elements. */
static int read_array(hid_t g, const char *name, hid_t mem_type, void *out, size_t count)
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    hssize_t n = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    herr_t r = n == (hssize_t)count ? H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    return r < 0 ? -1 : 0;
}

/* Reads a 1-D fixed-string dataset into n new strings. */
static char **read_names(hid_t g, const char *name, size_t *out_n)
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t ft = d < 0 ? -1 : H5Dget_type(d);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    char **names = NULL;
    if (ft >= 0 && sp >= 0 && H5Tget_class(ft) == H5T_STRING && !H5Tis_variable_str(ft)) {
        size_t w = H5Tget_size(ft);
        hsize_t n = (hsize_t)H5Sget_simple_extent_npoints(sp);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, w + 1);
        H5Tset_cset(mt, H5Tget_cset(ft));
        char *buf = calloc(n ? n : 1, w + 1);
        names = calloc(n ? n : 1, sizeof *names);
        int ok = buf && names && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
        for (hsize_t i = 0; ok && i < n; i++)
            ok = (names[i] = strdup(buf + i * (w + 1))) != NULL;
        if (!ok && names) {
            for (hsize_t i = 0; i < n; i++)
                free(names[i]);
            free(names);
            names = NULL;
        }
        *out_n = names ? n : 0;
        free(buf);
        H5Tclose(mt);
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (d >= 0)
        H5Dclose(d);
    return names;
}

/* A point column a file before 1.10 lacked: "target_fmr", as its rows were. */
static void default_point(char *point)
{
    point[SH_VPOINT_NAME_MAX - 1] = '\0';
    if (!point[0])
        snprintf(point, SH_VPOINT_NAME_MAX, "%s", sh_vpoint_name(SH_VPOINT_FMR));
}

typedef struct matrix_walk {
    sh_vresults *v;
    size_t cap;
    int bad;
} matrix_walk;

static herr_t read_matrix(hid_t mg, const char *link, const H5L_info_t *info, void *ctx)
{
    (void)info;
    matrix_walk *w = ctx;
    hid_t g = H5Gopen2(mg, link, H5P_DEFAULT);
    if (g < 0)
        return w->bad = -1;
    char *partition = read_string_attr(g, "partition");
    size_t ng = 0, nt = 0;
    char **groups = read_names(g, "group", &ng);
    hid_t d = H5Dopen2(g, "target_fmr", H5P_DEFAULT);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    nt = sp < 0 ? 0 : (size_t)H5Sget_simple_extent_npoints(sp);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    sh_vmatrix m;
    int bad = !partition || !groups || d < 0 || sh_vmatrix_alloc(&m, partition, ng, nt);
    if (!bad) {
        for (size_t i = 0; i < ng; i++)
            m.group[i] = groups[i];
        free(groups);
        groups = NULL;
        bad = read_array(g, "target_fmr", H5T_NATIVE_DOUBLE, m.target_fmr, nt) ||
              read_array(g, "threshold", H5T_NATIVE_DOUBLE, m.threshold, nt) ||
              read_array(g, "n_impostor", H5T_NATIVE_UINT64, m.n_impostor, ng * ng) ||
              read_array(g, "n_false_match", H5T_NATIVE_UINT64, m.n_false_match, nt * ng * ng) ||
              read_array(g, "fmr", H5T_NATIVE_DOUBLE, m.fmr, nt * ng * ng);
        /* Files before 1.12 have no bounds: NaN, as sh_vmatrix_alloc left them. */
        if (!bad && H5Lexists(g, "fmr_boot_lo", H5P_DEFAULT) > 0)
            bad = read_array(g, "fmr_boot_lo", H5T_NATIVE_DOUBLE, m.fmr_boot_lo, nt * ng * ng) ||
                  read_array(g, "fmr_boot_hi", H5T_NATIVE_DOUBLE, m.fmr_boot_hi, nt * ng * ng);
        /* Files before 1.10 hold target FMRs only. */
        if (!bad && H5Lexists(g, "target_fnmr", H5P_DEFAULT) > 0)
            bad = read_array(g, "target_fnmr", H5T_NATIVE_DOUBLE, m.target_fnmr, nt);
        else
            for (size_t k = 0; k < nt; k++)
                m.target_fnmr[k] = NAN;
        size_t np = 0;
        char **points = bad || H5Lexists(g, "point", H5P_DEFAULT) <= 0
                            ? NULL : read_names(g, "point", &np);
        bad |= points && np != nt;
        for (size_t k = 0; k < np; k++) {
            if (!bad)
                snprintf(m.point[k], sizeof m.point[k], "%s", points[k]);
            free(points[k]);
        }
        free(points);
        for (size_t k = 0; !bad && k < nt; k++)
            default_point(m.point[k]);
        if (!bad && w->v->n_matrices == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 8;
            sh_vmatrix *grown = realloc(w->v->matrices, cap * sizeof *grown);
            bad = !grown;
            if (grown) {
                w->v->matrices = grown;
                w->cap = cap;
            }
        }
        if (bad)
            sh_vmatrix_clear(&m);
        else
            w->v->matrices[w->v->n_matrices++] = m;
    }
    for (size_t i = 0; groups && i < ng; i++)
        free(groups[i]);
    free(groups);
    free(partition);
    H5Gclose(g);
    return bad ? (w->bad = -1) : 0;
}

/* The position of a partition's first row in the groups table, so the
 * matrices come back in report order rather than link-name order. */
static size_t partition_rank(const sh_vresults *v, const char *partition)
{
    for (size_t i = 0; i < v->n_groups; i++)
        if (strcmp(v->groups[i].partition, partition) == 0)
            return i;
    return v->n_groups;
}

static void sort_matrices(sh_vresults *v)
{
    for (size_t i = 1; i < v->n_matrices; i++)
        for (size_t j = i; j > 0 && partition_rank(v, v->matrices[j - 1].partition) >
                                        partition_rank(v, v->matrices[j].partition);
             j--) {
            sh_vmatrix t = v->matrices[j];
            v->matrices[j] = v->matrices[j - 1];
            v->matrices[j - 1] = t;
        }
}

static int read_failures(sh_failures **out, hid_t f, const char *path, sh_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return sh_err_nomem(err);
    hid_t d = H5Dopen2(f, SH_H5_FAILURES, H5P_DEFAULT);
    hid_t ft = d < 0 ? -1 : H5Dget_type(d);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    int idx[2] = {ft < 0 ? -1 : H5Tget_member_index(ft, "image_id"),
                  ft < 0 ? -1 : H5Tget_member_index(ft, "subject_id")};
    int rc = 0;
    if (sp < 0 || idx[0] < 0 || idx[1] < 0 || H5Tget_member_index(ft, "manifest_line") < 0 ||
        H5Tget_member_index(ft, "stage") < 0 || H5Tget_member_index(ft, "outcome") < 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: table %s is missing or incomplete", path,
                            SH_H5_FAILURES);
    size_t wi = 0, ws = 0, n = 0;
    if (!rc) {
        hid_t m0 = H5Tget_member_type(ft, (unsigned)idx[0]), m1 = H5Tget_member_type(ft, (unsigned)idx[1]);
        wi = H5Tget_size(m0) + 1;
        ws = H5Tget_size(m1) + 1;
        H5Tclose(m0);
        H5Tclose(m1);
        n = (size_t)H5Sget_simple_extent_npoints(sp);
    }
    const size_t stage = SH_H5_FAILURE_TAIL, outcome = SH_H5_FAILURE_TAIL;
    size_t row = sh_h5_failure_row_size(wi, ws);
    char *buf = rc ? NULL : calloc(n ? n : 1, row);
    (*out)->rows = rc ? NULL : calloc(n ? n : 1, sizeof *(*out)->rows);
    (*out)->cap = (*out)->rows ? n : 0;
    if (!rc && (!buf || !(*out)->rows))
        rc = sh_err_nomem(err);
    if (!rc) {
        hid_t mt = sh_h5_failure_type(wi, ws, 1);
        if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
            rc = sh_err_set(err, SH_E_INPUT, "%s: cannot read table %s", path,
                                SH_H5_FAILURES);
        H5Tclose(mt);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        const char *r = buf + i * row;
        sh_failure *x = &(*out)->rows[(*out)->n++];
        x->image_id = strdup(r);
        x->subject_id = strdup(r + wi);
        memcpy(&x->manifest_line, r + wi + ws, 8);
        memcpy(x->stage, r + wi + ws + 8, stage);
        memcpy(x->outcome, r + wi + ws + 8 + stage, outcome);
        x->stage[stage - 1] = x->outcome[outcome - 1] = '\0';
        if (!x->image_id || !x->subject_id)
            rc = sh_err_nomem(err);
    }
    free(buf);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* The rows of the 1-D table at `table`, without reading them. */
static int count_rows(size_t *out, hid_t f, const char *table, const char *path, sh_err *err)
{
    hid_t d = H5Dopen2(f, table, H5P_DEFAULT);
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    hsize_t dims[1] = {0};
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
             H5Sget_simple_extent_dims(sp, dims, NULL) == 1;
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    *out = (size_t)dims[0];
    return ok ? 0 : sh_err_set(err, SH_E_INPUT, "%s: cannot read %s", path, table);
}

static int read_verification(sh_results *r, hid_t f, int minor, const char *path,
                             sh_err *err)
{
    sh_vresults *v = calloc(1, sizeof *v);
    if (!v)
        return sh_err_nomem(err);
    r->verification = v;
    hid_t g = H5Gopen2(f, "/verification", H5P_DEFAULT);
    uint64_t boot = 0;
    int rc = 0;
    if (g < 0 || read_number_attr(g, "confidence", H5T_NATIVE_DOUBLE, &v->confidence) ||
        read_number_attr(g, "bootstrap_replicates", H5T_NATIVE_UINT64, &boot))
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: /verification lacks its confidence or bootstrap_replicates", path);
    if (g >= 0)
        H5Gclose(g);
    v->bootstrap = (unsigned)boot;
    void *rows[SH_H5_SUMMARIES + 1] = {0};
    size_t n[SH_H5_SUMMARIES + 1] = {0};
    for (size_t t = SH_H5_THRESHOLDS; !rc && t <= SH_H5_SUMMARIES; t++)
        rc = read_table(&rows[t], &n[t], f, &sh_h5_tables[t], minor, path, err);
    v->thresholds = rows[SH_H5_THRESHOLDS];
    v->n_thresholds = n[SH_H5_THRESHOLDS];
    v->groups = rows[SH_H5_GROUPS];
    v->n_groups = n[SH_H5_GROUPS];
    v->eer = rows[SH_H5_EER];
    v->n_eer = n[SH_H5_EER];
    v->det = rows[SH_H5_DET];
    v->n_det = n[SH_H5_DET];
    v->summaries = rows[SH_H5_SUMMARIES];
    v->n_summaries = n[SH_H5_SUMMARIES];
    /* Before 1.10 every point was a target FMR. */
    for (size_t i = 0; i < v->n_thresholds; i++)
        default_point(v->thresholds[i].point);
    for (size_t i = 0; i < v->n_groups; i++)
        default_point(v->groups[i].point);
    for (size_t i = 0; i < v->n_summaries; i++)
        default_point(v->summaries[i].point);
    /* Files before 1.6 have no densities. */
    void *density = NULL;
    if (!rc && H5Lexists(f, sh_h5_tables[SH_H5_DENSITY].path, H5P_DEFAULT) > 0)
        rc = read_table(&density, &v->n_density, f, &sh_h5_tables[SH_H5_DENSITY], minor, path,
                        err);
    v->density = density;
    /* Files before 1.10 have no tests across groups. */
    void *tests = NULL, *pairs = NULL;
    if (!rc && H5Lexists(f, sh_h5_tables[SH_H5_TESTS].path, H5P_DEFAULT) > 0)
        rc = read_table(&tests, &v->n_tests, f, &sh_h5_tables[SH_H5_TESTS], minor, path, err);
    v->tests = tests;
    if (!rc && H5Lexists(f, sh_h5_tables[SH_H5_PAIRWISE].path, H5P_DEFAULT) > 0)
        rc = read_table(&pairs, &v->n_pairwise, f, &sh_h5_tables[SH_H5_PAIRWISE], minor, path,
                        err);
    v->pairwise = pairs;
    /* Files before 1.11 have no score statistics. */
    void *scores = NULL;
    if (!rc && H5Lexists(f, sh_h5_tables[SH_H5_SCORES].path, H5P_DEFAULT) > 0)
        rc = read_table(&scores, &v->n_scores, f, &sh_h5_tables[SH_H5_SCORES], minor, path,
                        err);
    v->scores = scores;
    /* The ROC export (1.12) is data for a third party: counted, not read. */
    if (!rc && H5Lexists(f, sh_h5_tables[SH_H5_ROC].path, H5P_DEFAULT) > 0)
        rc = count_rows(&v->n_roc, f, sh_h5_tables[SH_H5_ROC].path, path, err);
    v->has_roc = !rc && H5Lexists(f, sh_h5_tables[SH_H5_ROC].path, H5P_DEFAULT) > 0;
    /* Accuracy over folds (1.14): runs of a pair list with folds only. */
    void *folds = NULL, *fold_accuracy = NULL;
    if (!rc && H5Lexists(f, sh_h5_tables[SH_H5_FOLD_ACCURACY].path, H5P_DEFAULT) > 0) {
        rc = read_table(&folds, &v->n_folds, f, &sh_h5_tables[SH_H5_FOLDS], minor, path, err);
        if (!rc)
            rc = read_table(&fold_accuracy, &v->n_fold_accuracy, f,
                            &sh_h5_tables[SH_H5_FOLD_ACCURACY], minor, path, err);
    }
    v->folds = folds;
    v->fold_accuracy = fold_accuracy;
    for (size_t i = 0; i < v->n_folds; i++)
        v->folds[i].partition[SH_NAME_MAX - 1] = v->folds[i].group[SH_NAME_MAX - 1] = '\0';
    for (size_t i = 0; i < v->n_fold_accuracy; i++)
        v->fold_accuracy[i].partition[SH_NAME_MAX - 1] =
            v->fold_accuracy[i].group[SH_NAME_MAX - 1] = '\0';
    for (size_t i = 0; i < v->n_density; i++) {
        v->density[i].partition[SH_NAME_MAX - 1] = v->density[i].group[SH_NAME_MAX - 1] = '\0';
        v->density[i].kind[sizeof v->density[i].kind - 1] = '\0';
    }
    if (!rc) {
        matrix_walk w = {v, 0, 0};
        hid_t mg = H5Gopen2(f, SH_H5_MATRIX_GROUP, H5P_DEFAULT);
        if (mg < 0 || H5Literate(mg, H5_INDEX_NAME, H5_ITER_INC, NULL, read_matrix, &w) < 0 ||
            w.bad)
            rc = sh_err_set(err, SH_E_INPUT, "%s: cannot read %s", path,
                                SH_H5_MATRIX_GROUP);
        if (mg >= 0)
            H5Gclose(mg);
        sort_matrices(v);
    }
    return rc;
}

/* Reads the fixed tables first..last into rows[] and n[]; on failure the
 * tables read so far stay in rows[] for the caller to free. */
static int read_tables(void **rows, size_t *n, hid_t f, size_t first, size_t last,
                       int minor, const char *path, sh_err *err)
{
    int rc = 0;
    for (size_t t = first; !rc && t <= last; t++)
        rc = read_table(&rows[t - first], &n[t - first], f, &sh_h5_tables[t], minor, path, err);
    return rc;
}

static int read_classification(sh_results *r, hid_t f, int minor, const char *path,
                               sh_err *err)
{
    sh_cresults *c = calloc(1, sizeof *c);
    if (!c)
        return sh_err_nomem(err);
    r->classification = c;
    hid_t g = H5Gopen2(f, "/classification", H5P_DEFAULT);
    char *attribute = g < 0 ? NULL : read_string_attr(g, "attribute");
    int rc = 0;
    if (!attribute || read_number_attr(g, "confidence", H5T_NATIVE_DOUBLE, &c->confidence))
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: /classification lacks its attribute or confidence", path);
    else
        snprintf(c->attribute, sizeof c->attribute, "%s", attribute);
    free(attribute);
    /* Since 1.11; older files had no classification bootstrap. */
    uint64_t boot = 0;
    if (!rc && minor >= 11 &&
        read_number_attr(g, "bootstrap_replicates", H5T_NATIVE_UINT64, &boot))
        rc = sh_err_set(err, SH_E_INPUT, "%s: /classification lacks bootstrap_replicates", path);
    c->bootstrap = (unsigned)boot;
    if (g >= 0)
        H5Gclose(g);
    void *rows[3] = {0};
    size_t n[3] = {0};
    if (!rc)
        rc = read_tables(rows, n, f, SH_H5_CGROUPS, SH_H5_CCONFUSION, minor, path, err);
    c->groups = rows[0];
    c->n_groups = n[0];
    c->classes = rows[1];
    c->n_classes = n[1];
    c->confusion = rows[2];
    c->n_confusion = n[2];
    /* Older files (before 1.11) have no summaries or tests. */
    for (size_t t = SH_H5_CSUMMARIES; !rc && t <= SH_H5_CPAIRWISE; t++) {
        void *got = NULL;
        size_t count = 0;
        if (H5Lexists(f, sh_h5_tables[t].path, H5P_DEFAULT) > 0)
            rc = read_table(&got, &count, f, &sh_h5_tables[t], minor, path, err);
        if (t == SH_H5_CSUMMARIES) {
            c->summaries = got;
            c->n_summaries = count;
        } else {
            c->pairwise = got;
            c->n_pairwise = count;
        }
    }
    return rc;
}

static int read_identification(sh_results *r, hid_t f, int minor, const char *path,
                               sh_err *err)
{
    sh_iresults *x = calloc(1, sizeof *x);
    if (!x)
        return sh_err_nomem(err);
    r->identification = x;
    hid_t g = H5Gopen2(f, "/identification", H5P_DEFAULT);
    int rc = 0;
    if (g < 0 || read_number_attr(g, "confidence", H5T_NATIVE_DOUBLE, &x->confidence) ||
        read_number_attr(g, "n_gallery", H5T_NATIVE_UINT64, &x->n_gallery) ||
        read_number_attr(g, "candidates", H5T_NATIVE_UINT64, &x->candidates) ||
        read_number_attr(g, "n_holdout", H5T_NATIVE_UINT64, &x->n_holdout))
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: /identification lacks confidence, n_gallery, candidates or "
                            "n_holdout", path);
    if (g >= 0)
        H5Gclose(g);
    void *rows[3] = {0};
    size_t n[3] = {0};
    if (!rc)
        rc = read_tables(rows, n, f, SH_H5_ITHRESHOLDS, SH_H5_ICMC, minor, path, err);
    x->thresholds = rows[0];
    x->n_thresholds = n[0];
    x->groups = rows[1];
    x->n_groups = n[1];
    x->cmc = rows[2];
    x->n_cmc = n[2];
    /* The export's rows are not read back: the reports only name it. */
    if (!rc && H5Lexists(f, "/identification/searches", H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(f, "/identification/searches", H5P_DEFAULT);
        hid_t sp = d < 0 ? -1 : H5Dget_space(d);
        hssize_t rows_in = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
        if (rows_in < 0)
            rc = sh_err_set(err, SH_E_INPUT, "%s: /identification/searches is unreadable",
                            path);
        else
            x->n_exported = (uint64_t)rows_in;
        if (sp >= 0)
            H5Sclose(sp);
        if (d >= 0)
            H5Dclose(d);
    }
    return rc;
}

/* /engine/model_card, when the file has one (schema 1.7 on). */
static int read_model_card(sh_results *r, hid_t f, int minor, const char *path, sh_err *err)
{
    if (H5Lexists(f, "/engine", H5P_DEFAULT) <= 0 ||
        H5Lexists(f, SH_H5_MODEL_CARD, H5P_DEFAULT) <= 0)
        return 0;
    sh_model_card_info *mc = calloc(1, sizeof *mc);
    if (!mc)
        return sh_err_nomem(err);
    r->model_card = mc;
    hid_t g = H5Gopen2(f, SH_H5_MODEL_CARD, H5P_DEFAULT);
    int rc = g < 0 ? sh_err_set(err, SH_E_INPUT, "%s: %s is not a group", path,
                                SH_H5_MODEL_CARD)
                   : 0;
    for (size_t i = 0; !rc && i < sh_h5_n_model_card_attrs; i++) {
        const sh_h5_attr *a = &sh_h5_model_card_attrs[i];
        char **slot = (char **)((char *)mc + a->offset);
        /* attributes newer than the file's minor version read as "" */
        *slot = a->since_minor > minor ? strdup("") : read_string_attr(g, a->name);
        if (!*slot)
            rc = sh_err_set(err, SH_E_INPUT,
                            "%s: attribute '%s' of %s is missing or not a string", path,
                            a->name, SH_H5_MODEL_CARD);
    }
    if (g >= 0)
        H5Gclose(g);
    void *files = NULL;
    if (!rc)
        rc = read_table(&files, &mc->n_files, f, &sh_h5_tables[SH_H5_MODEL_CARD_FILES], minor,
                        path,
                        err);
    mc->files = files;
    for (size_t i = 0; !rc && i < mc->n_files; i++) {
        sh_model_card_file *x = &mc->files[i];
        x->path[sizeof x->path - 1] = x->sha256[sizeof x->sha256 - 1] = '\0';
        x->purpose[sizeof x->purpose - 1] = '\0';
    }
    return rc;
}

/* /engine/service and /engine/provenance, when the file has them (schema
 * 1.8 on). */
static int read_service(sh_results *r, hid_t f, int minor, const char *path, sh_err *err)
{
    if (H5Lexists(f, "/engine", H5P_DEFAULT) <= 0)
        return 0;
    int rc = 0;
    if (H5Lexists(f, SH_H5_SERVICE, H5P_DEFAULT) > 0) {
        sh_service_info *sv = calloc(1, sizeof *sv);
        if (!sv)
            return sh_err_nomem(err);
        r->service = sv;
        hid_t g = H5Gopen2(f, SH_H5_SERVICE, H5P_DEFAULT);
        if (g < 0)
            rc = sh_err_set(err, SH_E_INPUT, "%s: %s is not a group", path, SH_H5_SERVICE);
        for (size_t i = 0; !rc && i < sh_h5_n_service_attrs; i++) {
            const sh_h5_attr *a = &sh_h5_service_attrs[i];
            char **slot = (char **)((char *)sv + a->offset);
            *slot = a->since_minor > minor ? strdup("") : read_string_attr(g, a->name);
            if (!*slot)
                rc = sh_err_set(err, SH_E_INPUT,
                                "%s: attribute '%s' of %s is missing or not a string", path,
                                a->name, SH_H5_SERVICE);
        }
        if (g >= 0)
            H5Gclose(g);
    }
    const sh_h5_table *t = &sh_h5_tables[SH_H5_PROVENANCE];
    if (!rc && H5Lexists(f, t->path, H5P_DEFAULT) > 0) {
        void *rows = NULL;
        r->has_provenance = 1;
        rc = read_table(&rows, &r->n_provenance, f, t, minor, path, err);
        r->provenance = rows;
    }
    for (size_t i = 0; !rc && i < r->n_provenance; i++) {
        sh_provenance_pair *x = &r->provenance[i];
        x->key[sizeof x->key - 1] = x->value[sizeof x->value - 1] = '\0';
    }
    return rc;
}

static int read_contents(sh_results *r, hid_t f, const char *path, sh_err *err)
{
    char *schema = read_string_attr(f, "schema_version");
    int rc = 0;
    if (!schema)
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: not a shades results file (no schema_version attribute)", path);
    else if (atoi(schema) != SH_RESULTS_SCHEMA_MAJOR)
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: results schema %s; this shades reads schema %d.x", path, schema,
                            SH_RESULTS_SCHEMA_MAJOR);
    int minor = sh_results_schema_minor(schema);
    free(schema);
    if (!rc)
        rc = read_attrs(f, &r->info, minor, path, err);
    int has_v = !rc && H5Lexists(f, "/verification", H5P_DEFAULT) > 0;
    int has_c = !rc && H5Lexists(f, "/classification", H5P_DEFAULT) > 0;
    int has_i = !rc && H5Lexists(f, "/identification", H5P_DEFAULT) > 0;
    if (!rc && !has_v && !has_c && !has_i)
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: holds none of /verification, /identification and "
                            "/classification", path);
    if (!rc && has_v)
        rc = read_verification(r, f, minor, path, err);
    if (!rc && has_c)
        rc = read_classification(r, f, minor, path, err);
    if (!rc && has_i)
        rc = read_identification(r, f, minor, path, err);
    void *verdicts = NULL;
    if (!rc)
        rc = read_table(&verdicts, &r->n_verdicts, f, &sh_h5_tables[SH_H5_CRITERIA], minor,
                        path, err);
    r->verdicts = verdicts;
    for (size_t i = 0; i < r->n_verdicts; i++)
        if (!isnan(r->verdicts[i].target_fmr))
            default_point(r->verdicts[i].point);
    if (!rc)
        rc = read_failures(&r->failures, f, path, err);
    void *models = NULL;
    if (!rc && H5Lexists(f, "/engine", H5P_DEFAULT) > 0) {
        r->has_model_files = 1;
        rc = read_table(&models, &r->n_model_files, f, &sh_h5_tables[SH_H5_MODEL_FILES], minor,
                        path, err);
        r->model_files = models;
    }
    for (size_t i = 0; !rc && i < r->n_model_files; i++) {
        r->model_files[i].path[sizeof r->model_files[i].path - 1] = '\0';
        r->model_files[i].sha256[sizeof r->model_files[i].sha256 - 1] = '\0';
    }
    if (!rc)
        rc = read_model_card(r, f, minor, path, err);
    if (!rc)
        rc = read_service(r, f, minor, path, err);
    return rc;
}

int sh_h5_read(sh_results **out, const char *path, sh_err *err)
{
    *out = NULL;
    struct stat st;
    if (access(path, R_OK) != 0)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot read: %s", path, strerror(errno));
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return sh_err_set(err, SH_E_INPUT, "%s: cannot read: %s", path, strerror(EISDIR));
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (H5Fis_hdf5(path) <= 0)
        return sh_err_set(err, SH_E_INPUT, "%s: not an HDF5 file", path);
    hid_t f = sh_h5_open(path, H5F_ACC_RDONLY);
    if (f < 0)
        return sh_err_set(err, SH_E_INPUT, "%s: not an HDF5 file, or damaged", path);
    sh_h5_guard_enter(path, SH_H5_GUARD_ERROR);
    sh_results *r;
    int rc = sh_results_create(&r, err);
    if (!rc)
        rc = read_contents(r, f, path, err);
    H5Fclose(f);
    sh_h5_guard_leave();
    if (rc) {
        sh_results_destroy(r);
        return rc;
    }
    *out = r;
    return 0;
}
