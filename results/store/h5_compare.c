#include "h5_compare.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5_digest.h"
#include "h5_guard.h"
#include "utf8.h"

/* The dataset paths of a file, in visiting (name) order. */
typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static herr_t visit(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    paths *l = data;
    if (info->type != H5L_TYPE_HARD || sh_h5_in_signature(name))
        return 0;
    H5O_info_t oi;
    if (H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    size_t len = strlen(name);
    if (!(l->v[l->n] = malloc(len + 2)))
        return -1;
    l->v[l->n][0] = '/';
    memcpy(l->v[l->n++] + 1, name, len + 1);
    return 0;
}

static void paths_free(paths *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Says how two tables differ, as printable text; returns 1. */
__attribute__((format(printf, 3, 4))) static int differ(char *out, size_t size,
                                                        const char *fmt, ...)
{
    /* What differs quotes the files' own names and values: shown
     * printable, so neither can forge a line or drive the terminal. */
    char *raw = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&raw, fmt, ap);
    va_end(ap);
    sh_utf8_printable(out, size, n < 0 ? "(out of memory)" : raw);
    free(raw);
    return 1;
}

/* One value of type t at p, as text. */
static void show(char *out, size_t size, hid_t t, const unsigned char *p)
{
    H5T_class_t c = H5Tget_class(t);
    size_t n = H5Tget_size(t);
    if (c == H5T_FLOAT && n == 8) {
        double v;
        memcpy(&v, p, 8);
        snprintf(out, size, "%.17g", v);
    } else if (c == H5T_FLOAT && n == 4) {
        float v;
        memcpy(&v, p, 4);
        snprintf(out, size, "%.9g", (double)v);
    } else if (c == H5T_INTEGER && (n == 1 || n == 2 || n == 4 || n == 8)) {
        int is_signed = H5Tget_sign(t) != H5T_SGN_NONE;
        uint64_t u = 0;
        memcpy(&u, p, n); /* little-endian, as the writer's types */
        if (is_signed && n < 8 && (u >> (8 * n - 1)) & 1)
            u |= ~UINT64_C(0) << (8 * n);
        if (is_signed)
            snprintf(out, size, "%" PRId64, (int64_t)u);
        else
            snprintf(out, size, "%" PRIu64, u);
    } else if (c == H5T_STRING && H5Tis_variable_str(t) > 0) {
        const char *s;
        memcpy(&s, p, sizeof s);
        snprintf(out, size, "'%s'", s ? s : "");
    } else if (c == H5T_STRING) {
        snprintf(out, size, "'%.*s'", (int)strnlen((const char *)p, n), (const char *)p);
    } else {
        snprintf(out, size, "(%zu bytes)", n);
    }
}

/* Equal values of type t (strings by content, others by bytes). */
static int same(hid_t t, const unsigned char *a, const unsigned char *b)
{
    if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0) {
        const char *x, *y;
        memcpy(&x, a, sizeof x);
        memcpy(&y, b, sizeof y);
        return strcmp(x ? x : "", y ? y : "") == 0;
    }
    return memcmp(a, b, H5Tget_size(t)) == 0;
}

/* The datasets at path in both files: 0 same, 1 differ (out says how). */
/* Whether the file's type ta is the rerun's tb, or a table whose every
 * column the rerun's has, of the same type: a later schema adds columns
 * (docs/results-schema.md), which the file never recorded. The rerun's
 * rows are read as the file's type, HDF5 matching columns by name. */
static int within(hid_t ta, hid_t tb)
{
    if (H5Tequal(ta, tb) > 0)
        return 1;
    if (H5Tget_class(ta) != H5T_COMPOUND || H5Tget_class(tb) != H5T_COMPOUND)
        return 0;
    int n = H5Tget_nmembers(ta), ok = n > 0;
    for (int m = 0; ok && m < n; m++) {
        char *name = H5Tget_member_name(ta, (unsigned)m);
        int k = name ? H5Tget_member_index(tb, name) : -1;
        hid_t ma = H5Tget_member_type(ta, (unsigned)m);
        hid_t mb = k < 0 ? -1 : H5Tget_member_type(tb, (unsigned)k);
        ok = ma >= 0 && mb >= 0 && H5Tequal(ma, mb) > 0;
        if (mb >= 0)
            H5Tclose(mb);
        if (ma >= 0)
            H5Tclose(ma);
        H5free_memory(name);
    }
    return ok;
}

static int compare_one(char *out, size_t size, hid_t fa, hid_t fb, const char *path)
{
    hid_t da = H5Dopen2(fa, path, H5P_DEFAULT), db = H5Dopen2(fb, path, H5P_DEFAULT);
    hid_t ta = da < 0 ? -1 : H5Dget_type(da), tb = db < 0 ? -1 : H5Dget_type(db);
    hid_t sa = da < 0 ? -1 : H5Dget_space(da), sb = db < 0 ? -1 : H5Dget_space(db);
    hsize_t dims_a[H5S_MAX_RANK], dims_b[H5S_MAX_RANK];
    int ra = sa < 0 ? -1 : H5Sget_simple_extent_dims(sa, dims_a, NULL);
    int rb = sb < 0 ? -1 : H5Sget_simple_extent_dims(sb, dims_b, NULL);
    int rc = 0;
    if (db < 0)
        rc = differ(out, size, "%s: in the file, not in the rerun", path);
    else if (da < 0 || ta < 0 || tb < 0 || !within(ta, tb))
        rc = differ(out, size, "%s: its type differs", path);
    else if (ra != rb || memcmp(dims_a, dims_b, (size_t)(ra > 0 ? ra : 0) * sizeof *dims_a))
        rc = differ(out, size, "%s: its shape differs", path);
    hssize_t np = rc ? 0 : H5Sget_simple_extent_npoints(sa);
    size_t each = rc ? 0 : H5Tget_size(ta);
    unsigned char *a = rc ? NULL : calloc(np ? (size_t)np : 1, each ? each : 1);
    unsigned char *b = rc ? NULL : calloc(np ? (size_t)np : 1, each ? each : 1);
    if (!rc && (!a || !b || H5Dread(da, ta, H5S_ALL, H5S_ALL, H5P_DEFAULT, a) < 0 ||
                H5Dread(db, ta, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) < 0))
        rc = differ(out, size, "%s: cannot be read", path);
    int compound = !rc && H5Tget_class(ta) == H5T_COMPOUND;
    int members = compound ? H5Tget_nmembers(ta) : 1;
    for (hssize_t i = 0; !rc && i < np; i++)
        for (int m = 0; !rc && m < members; m++) {
            hid_t mt = compound ? H5Tget_member_type(ta, (unsigned)m) : H5Tcopy(ta);
            size_t off = compound ? H5Tget_member_offset(ta, (unsigned)m) : 0;
            const unsigned char *x = a + (size_t)i * each + off, *y = b + (size_t)i * each + off;
            if (!same(mt, x, y)) {
                char vx[256], vy[256], cell[128] = "";
                show(vx, sizeof vx, mt, x);
                show(vy, sizeof vy, mt, y);
                char *name = compound ? H5Tget_member_name(ta, (unsigned)m) : NULL;
                /* The cell's index, one number per dimension. */
                hsize_t rest = (hsize_t)i, idx[H5S_MAX_RANK];
                for (int d = ra - 1; d >= 0; d--) {
                    idx[d] = dims_a[d] ? rest % dims_a[d] : 0;
                    rest = dims_a[d] ? rest / dims_a[d] : 0;
                }
                for (int d = 0, used = 0; d < ra && used < (int)sizeof cell; d++)
                    used += snprintf(cell + used, sizeof cell - (size_t)used, "%s%llu",
                                     d ? "," : "", (unsigned long long)idx[d]);
                differ(out, size, "%s: %s %s%s%s: file %s, rerun %s", path,
                       ra > 1 ? "cell" : "row", cell, name ? " column " : "", name ? name : "",
                       vx, vy);
                H5free_memory(name);
                rc = 1;
            }
            H5Tclose(mt);
        }
    if (a && b && H5Tget_class(ta) == H5T_STRING &&
        H5Tis_variable_str(ta) > 0) {
        H5Dvlen_reclaim(ta, sa, H5P_DEFAULT, a);
        H5Dvlen_reclaim(ta, sa, H5P_DEFAULT, b);
    }
    free(a);
    free(b);
    if (sa >= 0)
        H5Sclose(sa);
    if (sb >= 0)
        H5Sclose(sb);
    if (ta >= 0)
        H5Tclose(ta);
    if (tb >= 0)
        H5Tclose(tb);
    if (da >= 0)
        H5Dclose(da);
    if (db >= 0)
        H5Dclose(db);
    return rc;
}

int sh_h5_compare(char *out, size_t size, const char *was, const char *now, sh_err *err)
{
    hid_t fa = sh_h5_open(was, H5F_ACC_RDONLY), fb = sh_h5_open(now, H5F_ACC_RDONLY);
    sh_h5_guard_enter(was, SH_H5_GUARD_ERROR);
    int rc = fa < 0   ? sh_err_set(err, SH_E_INPUT, "%s: not an HDF5 file", was)
             : fb < 0 ? sh_err_set(err, SH_E_IO, "%s: not an HDF5 file", now)
                      : 0;
    paths pa = {0}, pb = {0};
    if (!rc && (H5Lvisit(fa, H5_INDEX_NAME, H5_ITER_INC, visit, &pa) < 0 ||
                H5Lvisit(fb, H5_INDEX_NAME, H5_ITER_INC, visit, &pb) < 0))
        rc = sh_err_set(err, SH_E_INPUT, "%s: cannot list its tables", was);
    H5E_BEGIN_TRY
    {
        for (size_t i = 0; !rc && i < pa.n; i++)
            rc = compare_one(out, size, fa, fb, pa.v[i]);
    }
    H5E_END_TRY;
    /* A table only the rerun has. */
    for (size_t i = 0; !rc && i < pb.n; i++) {
        size_t j = 0;
        while (j < pa.n && strcmp(pa.v[j], pb.v[i]) != 0)
            j++;
        if (j == pa.n)
            rc = differ(out, size, "%s: in the rerun, not in the file", pb.v[i]);
    }
    paths_free(&pa);
    paths_free(&pb);
    if (fa >= 0)
        H5Fclose(fa);
    if (fb >= 0)
        H5Fclose(fb);
    sh_h5_guard_leave();
    return rc;
}
