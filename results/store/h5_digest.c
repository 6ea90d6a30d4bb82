#include "h5_digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <openssl/evp.h>

#include "h5_guard.h"

/* A growing list of malloc'd names. */
typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *l, const char *prefix, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    size_t a = strlen(prefix), b = strlen(name);
    char *s = malloc(a + b + 1);
    if (!s)
        return -1;
    memcpy(s, prefix, a);
    memcpy(s + a, name, b + 1);
    l->v[l->n++] = s;
    return 0;
}

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sh_h5_in_signature(const char *name)
{
    const char *sig = &SH_H5_SIGNATURE[1]; /* relative to the root: no leading '/' */
    size_t n = strlen(sig);
    return strncmp(name, sig, n) == 0 && (name[n] == '\0' || name[n] == '/');
}

/* Every hard link under the root but /signature and what it holds. */
static herr_t visit_link(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    if (info->type != H5L_TYPE_HARD)
        return 0;
    if (sh_h5_in_signature(name))
        return 0;
    return names_add(data, "/", name) ? -1 : 0;
}

/* Every attribute but the dimension-scale links, whose values are object
 * references (file addresses, which h5repack changes). */
static herr_t visit_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)loc;
    (void)info;
    if (strcmp(name, "DIMENSION_LIST") == 0 || strcmp(name, "REFERENCE_LIST") == 0)
        return 0;
    return names_add(data, "", name) ? -1 : 0;
}

/* The type as numpy writes it (dtype.str), "vstr" for variable-length
 * strings, and {name:type,...} for a compound of such members; -1 for
 * any other type. */
static int type_text(char *out, size_t cap, hid_t t, int top)
{
    H5T_class_t c = H5Tget_class(t);
    size_t size = H5Tget_size(t);
    if (c == H5T_STRING) {
        if (H5Tis_variable_str(t) > 0)
            return top ? (snprintf(out, cap, "vstr") >= (int)cap ? -1 : 0) : -1;
        return snprintf(out, cap, "|S%zu", size) >= (int)cap ? -1 : 0;
    }
    if (c == H5T_INTEGER || c == H5T_FLOAT) {
        char order = size == 1 ? '|' : H5Tget_order(t) == H5T_ORDER_BE ? '>' : '<';
        char kind = c == H5T_FLOAT ? 'f' : H5Tget_sign(t) == H5T_SGN_NONE ? 'u' : 'i';
        return snprintf(out, cap, "%c%c%zu", order, kind, size) >= (int)cap ? -1 : 0;
    }
    if (c != H5T_COMPOUND || !top)
        return -1;
    int n = H5Tget_nmembers(t);
    size_t used = 0;
    out[used++] = '{';
    for (int i = 0; i < n; i++) {
        char *name = H5Tget_member_name(t, (unsigned)i);
        hid_t m = H5Tget_member_type(t, (unsigned)i);
        char sub[64];
        int bad = !name || m < 0 || type_text(sub, sizeof sub, m, 0);
        int w = bad ? -1 : snprintf(out + used, cap - used, "%s%s:%s", i ? "," : "", name, sub);
        if (m >= 0)
            H5Tclose(m);
        H5free_memory(name);
        if (w < 0 || (size_t)w >= cap - used - 1)
            return -1;
        used += (size_t)w;
    }
    out[used++] = '}';
    out[used] = '\0';
    return 0;
}

/* Hashes one attribute (attr >= 0) or dataset: path, type, shape, values.
 * Returns 0, -1 for a type the digest does not define, -2 on failure. */
static int entry(unsigned char md[32], const char *path, hid_t attr, hid_t dset)
{
    hid_t ft = attr >= 0 ? H5Aget_type(attr) : H5Dget_type(dset);
    hid_t sp = attr >= 0 ? H5Aget_space(attr) : H5Dget_space(dset);
    char type[4096], shape[512] = "";
    int rc = ft < 0 || sp < 0 ? -2 : type_text(type, sizeof type, ft, 1);
    hsize_t dims[H5S_MAX_RANK];
    int rank = rc ? 0 : H5Sget_simple_extent_dims(sp, dims, NULL);
    hssize_t np = rc ? 0 : H5Sget_simple_extent_npoints(sp);
    if (!rc && (rank < 0 || np < 0))
        rc = -2;
    for (int i = 0, used = 0; !rc && i < rank; i++)
        used += snprintf(shape + used, sizeof shape - (size_t)used, "%s%llu", i ? "," : "",
                         (unsigned long long)dims[i]);
    EVP_MD_CTX *ctx = rc ? NULL : EVP_MD_CTX_new();
    if (!rc && !ctx)
        rc = -2;
    if (!rc) {
        EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
        EVP_DigestUpdate(ctx, path, strlen(path) + 1);
        EVP_DigestUpdate(ctx, type, strlen(type) + 1);
        EVP_DigestUpdate(ctx, shape, strlen(shape) + 1);
    }
    int vstr = !rc && strcmp(type, "vstr") == 0;
    hid_t mt = rc ? -1 : vstr ? H5Tcopy(H5T_C_S1) : H5Tcopy(ft);
    if (vstr) {
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft));
    }
    size_t each = vstr ? sizeof(char *) : rc ? 0 : H5Tget_size(ft);
    void *buf = rc ? NULL : calloc(np ? (size_t)np : 1, each);
    if (!rc && (!buf || mt < 0))
        rc = -2;
    if (!rc && (attr >= 0 ? H5Aread(attr, mt, buf)
                          : H5Dread(dset, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf)) < 0)
        rc = -2;
    if (!rc && vstr) {
        char **s = buf;
        for (hssize_t i = 0; i < np; i++)
            EVP_DigestUpdate(ctx, s[i] ? s[i] : "", (s[i] ? strlen(s[i]) : 0) + 1);
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
    } else if (!rc) {
        EVP_DigestUpdate(ctx, buf, (size_t)np * each);
    }
    if (!rc && !EVP_DigestFinal_ex(ctx, md, NULL))
        rc = -2;
    EVP_MD_CTX_free(ctx);
    free(buf);
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    return rc;
}

/* Appends "path<TAB>hex\n" to the text. */
static int append(char **text, size_t *len, size_t *cap, const char *path,
                  const unsigned char md[32])
{
    size_t need = *len + strlen(path) + 67;
    if (need + 1 > *cap) {
        size_t c = need * 2;
        char *t = realloc(*text, c);
        if (!t)
            return -1;
        *text = t;
        *cap = c;
    }
    int w = sprintf(*text + *len, "%s\t", path);
    for (int i = 0; i < 32; i++)
        w += sprintf(*text + *len + w, "%02x", md[i]);
    (*text)[*len + (size_t)w] = '\n';
    *len += (size_t)w + 1;
    (*text)[*len] = '\0';
    return 0;
}

/* The lines of one object: its attributes in name order, then its value. */
static int object_lines(char **text, size_t *len, size_t *cap, hid_t f, const char *path,
                        const char *file, sh_err *err)
{
    hid_t o = H5Oopen(f, path, H5P_DEFAULT);
    if (o < 0)
        return sh_err_set(err, SH_E_INPUT, "%s: %s: cannot open object", file, path);
    names attrs = {0};
    hsize_t idx = 0;
    int rc = H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, &idx, visit_attr, &attrs) < 0
                 ? sh_err_set(err, SH_E_INPUT, "%s: %s: cannot list attributes", file, path)
                 : 0;
    if (attrs.n) /* qsort's base may not be NULL, even for no elements */
        qsort(attrs.v, attrs.n, sizeof *attrs.v, by_bytes);
    char name[4096];
    unsigned char md[32];
    for (size_t i = 0; !rc && i <= attrs.n; i++) {
        int is_value = i == attrs.n;
        if (is_value && H5Iget_type(o) != H5I_DATASET)
            break;
        if (is_value)
            snprintf(name, sizeof name, "%s", path);
        else
            snprintf(name, sizeof name, "%s@%s", path, attrs.v[i]);
        hid_t a = is_value ? -1 : H5Aopen(o, attrs.v[i], H5P_DEFAULT);
        int e = !is_value && a < 0 ? -2 : entry(md, name, a, is_value ? o : -1);
        if (a >= 0)
            H5Aclose(a);
        if (e == -1)
            rc = sh_err_set(err, SH_E_INPUT, "%s: %s: a datatype the digest does not define",
                            file, name);
        else if (e)
            rc = sh_err_set(err, SH_E_INPUT, "%s: %s: cannot read", file, name);
        else if (append(text, len, cap, name, md))
            rc = sh_err_nomem(err);
    }
    names_free(&attrs);
    H5Oclose(o);
    return rc;
}

int sh_h5_digest(char **out_lines, char out_hex[SH_SHA256_HEX], const char *path,
                 sh_err *err)
{
    *out_lines = NULL;
    hid_t f = sh_h5_open(path, H5F_ACC_RDONLY);
    if (f < 0)
        return sh_err_set(err, SH_E_INPUT, "%s: not an HDF5 file", path);
    sh_h5_guard_enter(path, SH_H5_GUARD_ERROR);
    names objs = {0};
    int rc = names_add(&objs, "/", "") ? sh_err_nomem(err) : 0;
    if (!rc && H5Lvisit(f, H5_INDEX_NAME, H5_ITER_INC, visit_link, &objs) < 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: cannot list its objects", path);
    if (!rc)
        qsort(objs.v, objs.n, sizeof *objs.v, by_bytes);
    char *text = NULL;
    size_t len = 0, cap = 0;
    H5E_BEGIN_TRY
    {
        for (size_t i = 0; !rc && i < objs.n; i++)
            rc = object_lines(&text, &len, &cap, f, objs.v[i], path, err);
    }
    H5E_END_TRY;
    names_free(&objs);
    H5Fclose(f);
    sh_h5_guard_leave();
    if (!rc && !text && !(text = calloc(1, 1)))
        rc = sh_err_nomem(err);
    if (!rc)
        rc = sh_sha256_bytes(out_hex, text, len, err);
    if (rc)
        free(text);
    else
        *out_lines = text;
    return rc;
}
