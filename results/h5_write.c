#include "h5_write.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>

#include "paths.h"
#include "version.h"

static int attr_string(hid_t loc, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hid_t space = H5Screate(H5S_SCALAR);
    H5Tset_size(type, strlen(value ? value : "") + 1);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t w = a < 0 ? -1 : H5Awrite(a, type, value ? value : "");
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    return a < 0 || w < 0 ? -1 : 0;
}

static int attr_u64(hid_t loc, const char *name, uint64_t value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t w = a < 0 ? -1 : H5Awrite(a, H5T_NATIVE_UINT64, &value);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    return a < 0 || w < 0 ? -1 : 0;
}

/* One field of a compound table: name, offset, and kind. */
typedef struct column {
    const char *name;
    size_t offset;
    char kind; /* 'd' double, 'u' uint64, 'i' int32, 's' fixed string */
    size_t size;
} column;

#define COL(type, kind, member) {#member, offsetof(type, member), kind, sizeof(((type *)0)->member)}

static hid_t compound_type(const column *cols, size_t n, size_t row_size, int native)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, row_size);
    for (size_t i = 0; i < n; i++) {
        hid_t ft;
        if (cols[i].kind == 's') {
            ft = H5Tcopy(H5T_C_S1);
            H5Tset_size(ft, cols[i].size);
            H5Tset_strpad(ft, H5T_STR_NULLTERM);
            H5Tset_cset(ft, H5T_CSET_UTF8);
        } else {
            ft = cols[i].kind == 'd'   ? (native ? H5T_NATIVE_DOUBLE : H5T_IEEE_F64LE)
                 : cols[i].kind == 'u' ? (native ? H5T_NATIVE_UINT64 : H5T_STD_U64LE)
                                       : (native ? H5T_NATIVE_INT32 : H5T_STD_I32LE);
        }
        H5Tinsert(t, cols[i].name, cols[i].offset, ft);
        if (cols[i].kind == 's')
            H5Tclose(ft);
    }
    if (!native)
        H5Tpack(t);
    return t;
}

/* Writes n rows as a compound dataset with object times off, so two runs
 * with the same inputs give the same data. */
static int write_table(hid_t loc, const char *name, const column *cols, size_t ncols,
                       size_t row_size, const void *rows, size_t n)
{
    hid_t mem = compound_type(cols, ncols, row_size, 1);
    hid_t file = compound_type(cols, ncols, row_size, 0);
    hsize_t dims[1] = {n};
    hid_t space = H5Screate_simple(1, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hid_t d = H5Dcreate2(loc, name, file, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t w = d < 0 ? -1 : H5Dwrite(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows);
    if (d >= 0)
        H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(file);
    H5Tclose(mem);
    return d < 0 || w < 0 ? -1 : 0;
}

static const column threshold_cols[] = {
    COL(shades_vthreshold, 'd', target_fmr),    COL(shades_vthreshold, 'i', estimable),
    COL(shades_vthreshold, 'd', threshold),     COL(shades_vthreshold, 'u', n_impostor),
    COL(shades_vthreshold, 'u', n_false_match), COL(shades_vthreshold, 'd', fmr),
    COL(shades_vthreshold, 'u', n_genuine),     COL(shades_vthreshold, 'u', n_false_nonmatch),
    COL(shades_vthreshold, 'd', fnmr),
};

static const column group_cols[] = {
    COL(shades_vgroup, 's', partition),
    COL(shades_vgroup, 's', group),
    COL(shades_vgroup, 'd', target_fmr),
    COL(shades_vgroup, 'd', threshold),
    COL(shades_vgroup, 'u', n_subjects),
    COL(shades_vgroup, 'u', n_images),
    COL(shades_vgroup, 'u', n_fte),
    COL(shades_vgroup, 'd', fte),
    COL(shades_vgroup, 'd', fte_wilson_lo),
    COL(shades_vgroup, 'd', fte_wilson_hi),
    COL(shades_vgroup, 'd', fte_cp_lo),
    COL(shades_vgroup, 'd', fte_cp_hi),
    COL(shades_vgroup, 'u', n_genuine),
    COL(shades_vgroup, 'u', n_genuine_failed),
    COL(shades_vgroup, 'u', n_false_nonmatch),
    COL(shades_vgroup, 'd', fnmr),
    COL(shades_vgroup, 'd', fnmr_wilson_lo),
    COL(shades_vgroup, 'd', fnmr_wilson_hi),
    COL(shades_vgroup, 'd', fnmr_cp_lo),
    COL(shades_vgroup, 'd', fnmr_cp_hi),
    COL(shades_vgroup, 'd', fnmr_boot_lo),
    COL(shades_vgroup, 'd', fnmr_boot_hi),
    COL(shades_vgroup, 'd', fnmr_without_failures),
    COL(shades_vgroup, 'u', n_impostor),
    COL(shades_vgroup, 'u', n_false_match),
    COL(shades_vgroup, 'd', fmr),
    COL(shades_vgroup, 'd', fmr_wilson_lo),
    COL(shades_vgroup, 'd', fmr_wilson_hi),
    COL(shades_vgroup, 'd', fmr_cp_lo),
    COL(shades_vgroup, 'd', fmr_cp_hi),
    COL(shades_vgroup, 'd', fmr_boot_lo),
    COL(shades_vgroup, 'd', fmr_boot_hi),
    COL(shades_vgroup, 'i', group_estimable),
    COL(shades_vgroup, 'd', group_threshold),
    COL(shades_vgroup, 'd', group_fnmr),
};

static const column eer_cols[] = {
    COL(shades_veer, 's', partition),
    COL(shades_veer, 's', group),
    COL(shades_veer, 'u', n_genuine),
    COL(shades_veer, 'u', n_impostor),
    COL(shades_veer, 'd', eer),
    COL(shades_veer, 'd', eer_threshold),
};

static const column det_cols[] = {
    COL(shades_vdet, 's', partition),
    COL(shades_vdet, 's', group),
    COL(shades_vdet, 'd', threshold),
    COL(shades_vdet, 'd', fmr),
    COL(shades_vdet, 'd', fnmr),
};

static const column summary_cols[] = {
    COL(shades_vsummary, 's', partition),
    COL(shades_vsummary, 'd', target_fmr),
    COL(shades_vsummary, 'd', threshold),
    COL(shades_vsummary, 'd', alpha),
    COL(shades_vsummary, 'i', fnmr_groups),
    COL(shades_vsummary, 'i', fnmr_zero_groups),
    COL(shades_vsummary, 'i', fmr_groups),
    COL(shades_vsummary, 'i', fmr_zero_groups),
    COL(shades_vsummary, 'd', fnmr_max_min),
    COL(shades_vsummary, 'd', fnmr_max_min_lo),
    COL(shades_vsummary, 'd', fnmr_max_min_hi),
    COL(shades_vsummary, 'd', fnmr_max_geomean),
    COL(shades_vsummary, 'd', fnmr_max_geomean_lo),
    COL(shades_vsummary, 'd', fnmr_max_geomean_hi),
    COL(shades_vsummary, 'd', fnmr_gini),
    COL(shades_vsummary, 'd', fnmr_gini_lo),
    COL(shades_vsummary, 'd', fnmr_gini_hi),
    COL(shades_vsummary, 'd', fnmr_gap),
    COL(shades_vsummary, 'd', fnmr_gap_lo),
    COL(shades_vsummary, 'd', fnmr_gap_hi),
    COL(shades_vsummary, 'd', fmr_max_min),
    COL(shades_vsummary, 'd', fmr_max_min_lo),
    COL(shades_vsummary, 'd', fmr_max_min_hi),
    COL(shades_vsummary, 'd', fmr_max_geomean),
    COL(shades_vsummary, 'd', fmr_max_geomean_lo),
    COL(shades_vsummary, 'd', fmr_max_geomean_hi),
    COL(shades_vsummary, 'd', fmr_gini),
    COL(shades_vsummary, 'd', fmr_gini_lo),
    COL(shades_vsummary, 'd', fmr_gini_hi),
    COL(shades_vsummary, 'd', fmr_gap),
    COL(shades_vsummary, 'd', fmr_gap_lo),
    COL(shades_vsummary, 'd', fmr_gap_hi),
    COL(shades_vsummary, 'd', garbe),
    COL(shades_vsummary, 'd', garbe_lo),
    COL(shades_vsummary, 'd', garbe_hi),
    COL(shades_vsummary, 'd', fdr),
    COL(shades_vsummary, 'd', fdr_lo),
    COL(shades_vsummary, 'd', fdr_hi),
    COL(shades_vsummary, 'd', inequity),
    COL(shades_vsummary, 'd', inequity_lo),
    COL(shades_vsummary, 'd', inequity_hi),
    COL(shades_vsummary, 's', fnmr_gap_high),
    COL(shades_vsummary, 's', fnmr_gap_low),
    COL(shades_vsummary, 'd', fnmr_gap_p),
    COL(shades_vsummary, 's', fmr_gap_high),
    COL(shades_vsummary, 's', fmr_gap_low),
    COL(shades_vsummary, 'd', fmr_gap_p),
};

static const column verdict_cols[] = {
    COL(shades_verdict, 's', name),
    COL(shades_verdict, 's', measure),
    COL(shades_verdict, 's', partition),
    COL(shades_verdict, 's', group),
    COL(shades_verdict, 'd', target_fmr),
    COL(shades_verdict, 's', bound),
    COL(shades_verdict, 's', interval),
    COL(shades_verdict, 's', op),
    COL(shades_verdict, 'd', limit),
    COL(shades_verdict, 'd', value),
    COL(shades_verdict, 'i', pass),
    COL(shades_verdict, 's', reason),
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static int write_contents(hid_t f, const shades_run_info *info, const shades_vresults *v,
                          const shades_verdict *verdicts, size_t n_verdicts)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char abi[32];
    snprintf(abi, sizeof abi, "%u.%u", info->abi_major, info->abi_minor);
    int bad = 0;
    bad |= attr_string(f, "creator", "shades");
    bad |= attr_string(f, "creator_version", SHADES_VERSION);
    bad |= attr_string(f, "schema_version", SHADES_RESULTS_SCHEMA);
    bad |= attr_string(f, "created", when);
    bad |= attr_string(f, "run_name", info->run_name);
    bad |= attr_string(f, "config_path", info->config_path);
    bad |= attr_string(f, "config", info->config_text);
    bad |= attr_string(f, "adapter_name", info->adapter_name);
    bad |= attr_string(f, "adapter_version", info->adapter_version);
    bad |= attr_string(f, "adapter_vendor", info->adapter_vendor);
    bad |= attr_string(f, "adapter_library", info->adapter_library);
    bad |= attr_string(f, "adapter_abi", abi);
    bad |= attr_string(f, "manifest_path", info->manifest_path);
    bad |= attr_u64(f, "n_images", info->n_images);
    bad |= attr_u64(f, "n_subjects", info->n_subjects);
    bad |= attr_u64(f, "seed", info->seed);
    bad |= attr_u64(f, "threads", info->threads);
    if (bad)
        return -1;
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(f, "verification", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0)
        return -1;
    char conf[32];
    snprintf(conf, sizeof conf, "%g", v->confidence);
    bad |= attr_string(g, "confidence", conf);
    bad |= attr_u64(g, "bootstrap_replicates", v->bootstrap);
    bad |= write_table(g, "thresholds", threshold_cols, NCOLS(threshold_cols),
                       sizeof(shades_vthreshold), v->thresholds, v->n_thresholds);
    bad |= write_table(g, "groups", group_cols, NCOLS(group_cols), sizeof(shades_vgroup),
                       v->groups, v->n_groups);
    bad |= write_table(g, "eer", eer_cols, NCOLS(eer_cols), sizeof(shades_veer), v->eer, v->n_eer);
    bad |= write_table(g, "det", det_cols, NCOLS(det_cols), sizeof(shades_vdet), v->det, v->n_det);
    bad |= write_table(g, "summaries", summary_cols, NCOLS(summary_cols), sizeof(shades_vsummary),
                       v->summaries, v->n_summaries);
    H5Gclose(g);
    bad |= write_table(f, "criteria", verdict_cols, NCOLS(verdict_cols), sizeof(shades_verdict),
                       verdicts, n_verdicts);
    if (n_verdicts)
        bad |= attr_string(f, "criteria_passed",
                           shades_criteria_passed(verdicts, n_verdicts) ? "pass" : "fail");
    return bad ? -1 : 0;
}

int shades_h5_write(const char *path, const shades_run_info *info, const shades_vresults *v,
                    const shades_verdict *verdicts, size_t n_verdicts, shades_err *err)
{
    char dir[PATH_MAX], tmp[PATH_MAX];
    int rc = shades_path_dirname(dir, sizeof dir, path, err);
    if (!rc)
        rc = shades_path_mkdirs(dir, err);
    if (rc)
        return rc;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        return shades_err_set(err, SHADES_E_INPUT, "%s: path too long", path);
    /* HDF5 prints its own error stack by default; messages here are ours. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (f < 0)
        return shades_err_set(err, SHADES_E_IO, "%s: cannot create results file", tmp);
    int bad = write_contents(f, info, v, verdicts, n_verdicts);
    if (H5Fclose(f) < 0)
        bad = -1;
    if (bad) {
        unlink(tmp);
        return shades_err_set(err, SHADES_E_IO, "%s: cannot write results", path);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return shades_err_set(err, SHADES_E_IO, "%s: cannot move results into place: %s", path,
                              strerror(e));
    }
    return 0;
}
