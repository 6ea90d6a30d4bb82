#include "h5_write.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "build_info.h"
#include "h5_export.h"
#include "h5_schema.h"
#include "h5_sign.h"
#include "paths.h"
#include "version.h"

/* A string attribute: variable-length UTF-8, which h5py reads as str
 * (fixed-length strings come back as bytes). */
static int attr_string(hid_t loc, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hid_t space = H5Screate(H5S_SCALAR);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    const char *text = value ? value : "";
    hid_t a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t w = a < 0 ? -1 : H5Awrite(a, type, &text);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    return a < 0 || w < 0 ? -1 : 0;
}

static int attr_number(hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                       const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t w = a < 0 ? -1 : H5Awrite(a, mem_type, value);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    return a < 0 || w < 0 ? -1 : 0;
}

/* Rows per chunk of a large table; smaller tables stay contiguous. */
#define CHUNK_ROWS 4096

static hsize_t elements(int rank, const hsize_t *dims)
{
    hsize_t total = 1;
    for (int i = 0; i < rank; i++)
        total *= dims[i];
    return total;
}

/* An empty dataset is made extendible and chunked: h5repack, asked to
 * compress a file (-f GZIP=9), chunks every dataset by its own shape, and a
 * chunk of 0 rows is refused, so one empty fixed-size table failed the whole
 * repack. */
hid_t sh_h5_dataset_space(int rank, const hsize_t *dims)
{
    hsize_t max[3] = {H5S_UNLIMITED, H5S_UNLIMITED, H5S_UNLIMITED};
    return H5Screate_simple(rank, dims, elements(rank, dims) ? NULL : max);
}

/* Dataset creation properties: object times off, so two runs with the same
 * inputs give the same data; chunked and compressed above CHUNK_ROWS rows;
 * an empty one chunked (sh_h5_dataset_space). */
hid_t sh_h5_dataset_props(int rank, const hsize_t *dims)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hsize_t total = elements(rank, dims);
    if (!total) {
        hsize_t chunk[3];
        for (int i = 0; i < rank; i++)
            chunk[i] = dims[i] ? dims[i] : 1;
        H5Pset_chunk(dcpl, rank, chunk);
    } else if (total > CHUNK_ROWS && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        hsize_t chunk[3];
        hsize_t inner = 1;
        for (int i = 1; i < rank; i++)
            inner *= chunk[i] = dims[i];
        chunk[0] = inner >= CHUNK_ROWS ? 1 : CHUNK_ROWS / inner;
        if (chunk[0] > dims[0])
            chunk[0] = dims[0];
        H5Pset_chunk(dcpl, rank, chunk);
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 6);
    }
    return dcpl;
}

static hid_t create_group(hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

/* Writes an array dataset of the given shape; returns its id (to attach
 * dimension scales) or a negative value. */
static hid_t write_array(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, int rank,
                         const hsize_t *dims, const void *data)
{
    hid_t space = sh_h5_dataset_space(rank, dims);
    hid_t dcpl = sh_h5_dataset_props(rank, dims);
    hid_t d = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0 && H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        H5Dclose(d);
        d = -1;
    }
    H5Pclose(dcpl);
    H5Sclose(space);
    return d;
}

static int write_table(hid_t f, const sh_h5_table *t, const void *rows, size_t n)
{
    hid_t mem = sh_h5_compound_type(t, 1);
    hid_t file = sh_h5_compound_type(t, 0);
    hsize_t dims[1] = {n};
    hid_t d = write_array(f, t->path, file, mem, 1, dims, rows);
    if (d >= 0)
        H5Dclose(d);
    H5Tclose(file);
    H5Tclose(mem);
    return d < 0 ? -1 : 0;
}

/* A fixed-length UTF-8 string type of `size` bytes. */
static hid_t string_type(size_t size)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, size ? size : 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* names as a 1-D string dataset, made a dimension scale called `label`. */
static hid_t write_names(hid_t loc, const char *name, const char *label, char *const *names,
                         size_t n)
{
    size_t width = 1;
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) + 1 > width)
            width = strlen(names[i]) + 1;
    char *buf = calloc(n ? n : 1, width);
    if (!buf)
        return -1;
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * width, names[i], strlen(names[i]));
    hid_t type = string_type(width);
    hsize_t dims[1] = {n};
    hid_t d = write_array(loc, name, type, type, 1, dims, buf);
    H5Tclose(type);
    free(buf);
    if (d >= 0 && H5DSset_scale(d, label) < 0) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

/* One partition's matrix group: fmr, its bootstrap bounds fmr_boot_lo and
 * fmr_boot_hi (1.12) and n_false_match [point][i][j],
 * n_impostor [i][j], with point, target_fmr, target_fnmr, threshold and
 * group as scales. */
static int write_matrix(hid_t parent, const sh_vmatrix *m)
{
    char link[256];
    sh_h5_partition_link(link, sizeof link, m->partition);
    hid_t g = create_group(parent, link);
    if (g < 0)
        return -1;
    int bad = attr_string(g, "partition", m->partition);
    hsize_t nt = m->n_targets, ng = m->n_groups;
    hsize_t cube[3] = {nt, ng, ng}, square[2] = {ng, ng}, line[1] = {nt};
    hid_t fmr = write_array(g, "fmr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, cube, m->fmr);
    hid_t fm = write_array(g, "n_false_match", H5T_STD_U64LE, H5T_NATIVE_UINT64, 3, cube,
                           m->n_false_match);
    hid_t blo = write_array(g, "fmr_boot_lo", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, cube,
                            m->fmr_boot_lo);
    hid_t bhi = write_array(g, "fmr_boot_hi", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, cube,
                            m->fmr_boot_hi);
    hid_t ni = write_array(g, "n_impostor", H5T_STD_U64LE, H5T_NATIVE_UINT64, 2, square,
                           m->n_impostor);
    hid_t tf = write_array(g, "target_fmr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, line,
                           m->target_fmr);
    hid_t tn = write_array(g, "target_fnmr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, line,
                           m->target_fnmr);
    hid_t th = write_array(g, "threshold", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, line,
                           m->threshold);
    hid_t gr = write_names(g, "group", "group", m->group, m->n_groups);
    char **points = calloc(nt ? nt : 1, sizeof *points);
    for (size_t k = 0; points && k < nt; k++)
        points[k] = m->point[k];
    hid_t pt = points ? write_names(g, "point", "point", points, nt) : -1;
    free(points);
    bad |= fmr < 0 || fm < 0 || blo < 0 || bhi < 0 || ni < 0 || tf < 0 || tn < 0 || th < 0 ||
           gr < 0 || pt < 0;
    if (!bad) {
        bad |= H5DSset_scale(tf, "target_fmr") < 0 || H5DSset_scale(tn, "target_fnmr") < 0 ||
               H5DSset_scale(th, "threshold") < 0;
        hid_t all_cubes[] = {fmr, fm, blo, bhi};
        for (int k = 0; k < 4; k++) {
            hid_t cubes = all_cubes[k];
            bad |= H5DSattach_scale(cubes, pt, 0) < 0 || H5DSattach_scale(cubes, tf, 0) < 0 ||
                   H5DSattach_scale(cubes, tn, 0) < 0 || H5DSattach_scale(cubes, th, 0) < 0;
            bad |= H5DSattach_scale(cubes, gr, 1) < 0 || H5DSattach_scale(cubes, gr, 2) < 0;
        }
        bad |= H5DSattach_scale(ni, gr, 0) < 0 || H5DSattach_scale(ni, gr, 1) < 0;
    }
    hid_t ids[] = {fmr, fm, blo, bhi, ni, tf, tn, th, gr, pt};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i] >= 0)
            H5Dclose(ids[i]);
    H5Gclose(g);
    return bad ? -1 : 0;
}

_Static_assert(sizeof(((sh_failure *)0)->stage) == SH_H5_FAILURE_TAIL &&
                   sizeof(((sh_failure *)0)->outcome) == SH_H5_FAILURE_TAIL,
               "failure records and their file layout disagree");

/* The failure table, its id columns as wide as the longest id. */
static int write_failures(hid_t f, const sh_failures *fl)
{
    size_t n = fl ? fl->n : 0, wi = 1, ws = 1;
    for (size_t i = 0; i < n; i++) {
        size_t a = strlen(fl->rows[i].image_id) + 1, b = strlen(fl->rows[i].subject_id) + 1;
        wi = a > wi ? a : wi;
        ws = b > ws ? b : ws;
    }
    const size_t stage = SH_H5_FAILURE_TAIL;
    size_t row = sh_h5_failure_row_size(wi, ws);
    char *buf = calloc(n ? n : 1, row);
    if (!buf)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char *r = buf + i * row;
        const sh_failure *x = &fl->rows[i];
        memcpy(r, x->image_id, strlen(x->image_id));
        memcpy(r + wi, x->subject_id, strlen(x->subject_id));
        memcpy(r + wi + ws, &x->manifest_line, 8);
        memcpy(r + wi + ws + 8, x->stage, stage);
        memcpy(r + wi + ws + 8 + stage, x->outcome, stage);
    }
    hid_t mem = sh_h5_failure_type(wi, ws, 1), file = sh_h5_failure_type(wi, ws, 0);
    hsize_t dims[1] = {n};
    hid_t d = write_array(f, SH_H5_FAILURES, file, mem, 1, dims, buf);
    if (d >= 0)
        H5Dclose(d);
    H5Tclose(mem);
    H5Tclose(file);
    free(buf);
    return d < 0 ? -1 : 0;
}

static int write_attrs(hid_t f, const sh_run_info *in, size_t n_verdicts,
                       const sh_verdict *verdicts)
{
    sh_run_info info = *in;
    char when[32], build[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sh_build_info(build, sizeof build);
    info.creator = "shades";
    info.creator_version = SH_VERSION;
    info.schema_version = SH_RESULTS_SCHEMA;
    info.created = when;
    info.build = build;
    info.criteria_passed = !n_verdicts                                   ? "none"
                           : sh_criteria_passed(verdicts, n_verdicts) ? "pass"
                                                                          : "fail";
    int bad = 0;
    for (size_t i = 0; i < sh_h5_n_string_attrs; i++) {
        const char *v = *(char *const *)((const char *)&info + sh_h5_string_attrs[i].offset);
        bad |= attr_string(f, sh_h5_string_attrs[i].name, v ? v : "");
    }
    for (size_t i = 0; i < sh_h5_n_u64_attrs; i++)
        bad |= attr_number(f, sh_h5_u64_attrs[i].name, H5T_STD_U64LE, H5T_NATIVE_UINT64,
                           (const char *)&info + sh_h5_u64_attrs[i].offset);
    return bad;
}

static int write_verification(hid_t f, const sh_vresults *v)
{
    hid_t g = create_group(f, "verification");
    if (g < 0)
        return -1;
    uint64_t boot = v->bootstrap;
    int bad = attr_number(g, "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v->confidence);
    bad |= attr_number(g, "bootstrap_replicates", H5T_STD_U64LE, H5T_NATIVE_UINT64, &boot);
    hid_t mg = bad ? -1 : create_group(g, "fmr_matrix");
    H5Gclose(g);
    if (mg < 0)
        return -1;
    for (size_t i = 0; !bad && i < v->n_matrices; i++)
        bad |= write_matrix(mg, &v->matrices[i]);
    H5Gclose(mg);
    const void *rows[] = {v->thresholds, v->groups, v->eer, v->det, v->summaries};
    size_t n[] = {v->n_thresholds, v->n_groups, v->n_eer, v->n_det, v->n_summaries};
    for (size_t t = SH_H5_THRESHOLDS; !bad && t <= SH_H5_SUMMARIES; t++)
        bad |= write_table(f, &sh_h5_tables[t], rows[t - SH_H5_THRESHOLDS],
                           n[t - SH_H5_THRESHOLDS]);
    if (!bad)
        bad |= write_table(f, &sh_h5_tables[SH_H5_DENSITY], v->density, v->n_density);
    if (!bad)
        bad |= write_table(f, &sh_h5_tables[SH_H5_TESTS], v->tests, v->n_tests);
    if (!bad)
        bad |= write_table(f, &sh_h5_tables[SH_H5_PAIRWISE], v->pairwise, v->n_pairwise);
    if (!bad)
        bad |= write_table(f, &sh_h5_tables[SH_H5_SCORES], v->scores, v->n_scores);
    if (!bad && v->has_roc)
        bad |= write_table(f, &sh_h5_tables[SH_H5_ROC], v->roc, v->n_roc);
    if (!bad && v->fold_accuracy)
        bad |= write_table(f, &sh_h5_tables[SH_H5_FOLDS], v->folds, v->n_folds) ||
               write_table(f, &sh_h5_tables[SH_H5_FOLD_ACCURACY], v->fold_accuracy,
                           v->n_fold_accuracy);
    return bad ? -1 : 0;
}

static int write_classification(hid_t f, const sh_cresults *c)
{
    hid_t g = create_group(f, "classification");
    if (g < 0)
        return -1;
    int bad = attr_string(g, "attribute", c->attribute);
    bad |= attr_number(g, "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &c->confidence);
    uint64_t boot = c->bootstrap;
    bad |= attr_number(g, "bootstrap_replicates", H5T_STD_U64LE, H5T_NATIVE_UINT64, &boot);
    H5Gclose(g);
    const void *rows[] = {c->groups, c->classes, c->confusion};
    size_t n[] = {c->n_groups, c->n_classes, c->n_confusion};
    for (size_t t = SH_H5_CGROUPS; !bad && t <= SH_H5_CCONFUSION; t++)
        bad |= write_table(f, &sh_h5_tables[t], rows[t - SH_H5_CGROUPS],
                           n[t - SH_H5_CGROUPS]);
    if (!bad)
        bad |= write_table(f, &sh_h5_tables[SH_H5_CSUMMARIES], c->summaries, c->n_summaries);
    if (!bad)
        bad |= write_table(f, &sh_h5_tables[SH_H5_CPAIRWISE], c->pairwise, c->n_pairwise);
    return bad ? -1 : 0;
}

static int write_identification(hid_t f, const sh_iresults *r)
{
    hid_t g = create_group(f, "identification");
    if (g < 0)
        return -1;
    int bad = attr_number(g, "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &r->confidence);
    bad |= attr_number(g, "n_gallery", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->n_gallery);
    bad |= attr_number(g, "candidates", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->candidates);
    bad |= attr_number(g, "n_holdout", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->n_holdout);
    H5Gclose(g);
    const void *rows[] = {r->thresholds, r->groups, r->cmc};
    size_t n[] = {r->n_thresholds, r->n_groups, r->n_cmc};
    for (size_t t = SH_H5_ITHRESHOLDS; !bad && t <= SH_H5_ICMC; t++)
        bad |= write_table(f, &sh_h5_tables[t], rows[t - SH_H5_ITHRESHOLDS],
                           n[t - SH_H5_ITHRESHOLDS]);
    if (!bad && r->export)
        bad = sh_h5_write_iexport(f, r->export);
    return bad ? -1 : 0;
}

/* /engine, made when the run wrote no model files; the caller closes it. */
static hid_t engine_group(hid_t f)
{
    return H5Lexists(f, "/engine", H5P_DEFAULT) > 0 ? H5Gopen2(f, "/engine", H5P_DEFAULT)
                                                    : create_group(f, "engine");
}

/* /engine/model_card: the card's fields as attributes, its files as a
 * table. */
static int write_model_card(hid_t f, const sh_model_card_info *mc)
{
    hid_t e = engine_group(f);
    hid_t g = e < 0 ? -1 : create_group(e, "model_card");
    int bad = g < 0;
    for (size_t i = 0; !bad && i < sh_h5_n_model_card_attrs; i++) {
        const char *v =
            *(char *const *)((const char *)mc + sh_h5_model_card_attrs[i].offset);
        bad |= attr_string(g, sh_h5_model_card_attrs[i].name, v ? v : "");
    }
    if (g >= 0)
        H5Gclose(g);
    if (e >= 0)
        H5Gclose(e);
    if (!bad)
        bad = write_table(f, &sh_h5_tables[SH_H5_MODEL_CARD_FILES], mc->files, mc->n_files);
    return bad ? -1 : 0;
}

/* /engine/service: the description's path and SHA-256 as attributes. */
static int write_service(hid_t f, const sh_service_info *sv)
{
    hid_t e = engine_group(f);
    hid_t g = e < 0 ? -1 : create_group(e, "service");
    int bad = g < 0;
    for (size_t i = 0; !bad && i < sh_h5_n_service_attrs; i++) {
        const char *v = *(char *const *)((const char *)sv + sh_h5_service_attrs[i].offset);
        bad |= attr_string(g, sh_h5_service_attrs[i].name, v ? v : "");
    }
    if (g >= 0)
        H5Gclose(g);
    if (e >= 0)
        H5Gclose(e);
    return bad ? -1 : 0;
}

/* /engine/provenance: the engine's lines, a row each, in its order. */
static int write_provenance(hid_t f, const sh_results *r)
{
    hid_t e = engine_group(f);
    if (e < 0)
        return -1;
    H5Gclose(e);
    return write_table(f, &sh_h5_tables[SH_H5_PROVENANCE], r->provenance, r->n_provenance);
}

static int write_contents(hid_t f, const sh_results *r)
{
    int bad = write_attrs(f, &r->info, r->n_verdicts, r->verdicts);
    if (!bad && r->verification)
        bad = write_verification(f, r->verification);
    if (!bad && r->classification)
        bad = write_classification(f, r->classification);
    if (!bad && r->identification)
        bad = write_identification(f, r->identification);
    if (!bad)
        bad = write_table(f, &sh_h5_tables[SH_H5_CRITERIA], r->verdicts, r->n_verdicts);
    if (!bad)
        bad = write_failures(f, r->failures);
    if (!bad && r->has_model_files) {
        hid_t g = create_group(f, "engine");
        bad = g < 0 ? -1 : H5Gclose(g) < 0;
        if (!bad)
            bad = write_table(f, &sh_h5_tables[SH_H5_MODEL_FILES], r->model_files,
                              r->n_model_files);
    }
    if (!bad && r->model_card)
        bad = write_model_card(f, r->model_card);
    if (!bad && r->service)
        bad = write_service(f, r->service);
    if (!bad && r->has_provenance)
        bad = write_provenance(f, r);
    return bad ? -1 : 0;
}

int sh_h5_write(const char *path, const sh_results *r, sh_err *err)
{
    return sh_h5_write_signed(path, r, NULL, err);
}

int sh_h5_write_signed(const char *path, const sh_results *r, const sh_key *key, sh_err *err)
{
    char dir[PATH_MAX], tmp[PATH_MAX];
    int rc = sh_path_dirname(dir, sizeof dir, path, err);
    if (!rc)
        rc = sh_path_mkdirs(dir, err);
    if (rc)
        return rc;
    sh_path_remove_stale_temps(path);
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        return sh_err_set(err, SH_E_INPUT, "%s: path too long", path);
    /* HDF5 prints its own error stack by default; messages here are ours. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    /* Created owner-only first: HDF5 would create it as the umask says. */
    int fd = sh_path_create_private(tmp, err);
    if (fd < 0) /* named as the user named it, not by its temporary */
        return sh_err_set(err, SH_E_IO, "%s: cannot create: %s", path, strerror(errno));
    close(fd);
    /* The 1.8 format stores attributes over 64 KiB (a long config or card)
     * densely; the earliest format cannot hold them. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (f < 0) {
        unlink(tmp);
        return sh_err_set(err, SH_E_IO, "%s: cannot create results file", tmp);
    }
    int bad = write_contents(f, r);
    if (H5Fclose(f) < 0)
        bad = -1;
    if (bad) {
        unlink(tmp);
        return sh_err_set(err, SH_E_IO, "%s: cannot write results", path);
    }
    /* Signed before the rename: the file is complete and signed, or absent. */
    if (key && (rc = sh_h5_sign(tmp, key, err))) {
        unlink(tmp);
        return rc;
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return sh_err_set(err, SH_E_IO, "%s: cannot move results into place: %s", path,
                              strerror(e));
    }
    return 0;
}
