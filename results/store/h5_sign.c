#include "h5_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5_digest.h"
#include "h5_guard.h"
#include "paths.h"
#include "utf8.h"

/* A variable-length UTF-8 string attribute, as the writer's. */
static int put_string(hid_t loc, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hid_t space = H5Screate(H5S_SCALAR);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t w = a < 0 ? -1 : H5Awrite(a, type, &value);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    return a < 0 || w < 0 ? -1 : 0;
}

/* A scalar variable-length string dataset. */
static int put_text(hid_t loc, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hid_t space = H5Screate(H5S_SCALAR);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hid_t d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t w = d < 0 ? -1 : H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
    if (d >= 0)
        H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
    return d < 0 || w < 0 ? -1 : 0;
}

/* Reads a scalar string attribute or dataset (attr: its name on loc; or
 * the dataset name when attr is NULL) into a malloc'd copy; NULL when
 * missing or not a string. */
static char *get_text(hid_t loc, const char *attr, const char *dataset)
{
    hid_t o = attr ? H5Aopen(loc, attr, H5P_DEFAULT) : H5Dopen2(loc, dataset, H5P_DEFAULT);
    if (o < 0)
        return NULL;
    hid_t ft = attr ? H5Aget_type(o) : H5Dget_type(o);
    hid_t sp = attr ? H5Aget_space(o) : H5Dget_space(o);
    char *v = NULL, *copy = NULL;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0 &&
        H5Sget_simple_extent_npoints(sp) == 1) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft));
        if ((attr ? H5Aread(o, mt, &v) : H5Dread(o, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v)) >= 0 &&
            v)
            copy = strdup(v);
        if (v)
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, &v);
        H5Tclose(mt);
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (attr)
        H5Aclose(o);
    else
        H5Dclose(o);
    return copy;
}

/* Opens the file, or fails naming it. */
static hid_t open_file(const char *path, unsigned mode, sh_err *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sh_err_set(err, SH_E_INPUT, "%s: cannot read: %s", path, strerror(EISDIR));
        return -1;
    }
    hid_t f = sh_h5_open(path, mode);
    if (f < 0)
        sh_err_set(err, SH_E_INPUT, "%s: not an HDF5 file", path);
    return f;
}

/* The fingerprint of the key a signed file names, or "" when unsigned. */
static int signed_by(char out[SH_KEY_FPR], const char *path, sh_err *err)
{
    hid_t f = open_file(path, H5F_ACC_RDONLY, err);
    if (f < 0)
        return err->code;
    out[0] = '\0';
    H5E_BEGIN_TRY
    {
        if (H5Lexists(f, SH_H5_SIGNATURE, H5P_DEFAULT) > 0) {
            hid_t g = H5Gopen2(f, SH_H5_SIGNATURE, H5P_DEFAULT);
            char *fpr = g < 0 ? NULL : get_text(g, "key_fingerprint", NULL);
            snprintf(out, SH_KEY_FPR, "%s", fpr ? fpr : "SHA256:?");
            free(fpr);
            if (g >= 0)
                H5Gclose(g);
        }
    }
    H5E_END_TRY;
    H5Fclose(f);
    return 0;
}

int sh_h5_sign(const char *path, const sh_key *key, sh_err *err)
{
    char by[SH_KEY_FPR];
    int rc = signed_by(by, path, err);
    if (!rc && by[0])
        return sh_err_set(err, SH_E_INPUT,
                          "%s: already signed by key %s; a results file carries one signature",
                          path, by);
    char *lines = NULL, digest[SH_SHA256_HEX], sig[SH_KEY_SIG_HEX], fpr[SH_KEY_FPR];
    char msg[sizeof SH_ATTEST_PREFIX + SH_SHA256_HEX];
    if (!rc)
        rc = sh_h5_digest(&lines, digest, path, err);
    if (!rc) {
        snprintf(msg, sizeof msg, "%s%s", SH_ATTEST_PREFIX, digest);
        rc = sh_key_sign(sig, key, msg, strlen(msg), err);
    }
    char *pem = rc ? NULL : sh_key_public_pem(key);
    if (!rc && !pem)
        rc = sh_err_nomem(err);
    hid_t f = rc ? -1 : open_file(path, H5F_ACC_RDWR, err);
    if (!rc && f < 0)
        rc = err->code;
    if (!rc) {
        sh_key_fingerprint(fpr, key);
        hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
        H5Pset_obj_track_times(gcpl, 0);
        hid_t g = H5Gcreate2(f, SH_H5_SIGNATURE, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        H5Pclose(gcpl);
        int bad = g < 0;
        bad = bad || put_string(g, "scheme", "ed25519 over shades canonical digest v1");
        bad = bad || put_string(g, "digest", digest);
        bad = bad || put_string(g, "signature", sig);
        bad = bad || put_string(g, "key_fingerprint", fpr);
        bad = bad || put_string(g, "public_key", pem);
        bad = bad || put_text(g, "objects", lines);
        if (g >= 0)
            H5Gclose(g);
        bad |= H5Fclose(f) < 0;
        if (bad)
            rc = sh_err_set(err, SH_E_IO, "%s: cannot write the signature", path);
    }
    free(pem);
    free(lines);
    return rc;
}

/* Copies src to a new private file dst. */
static int copy_file(const char *dst, const char *src, sh_err *err)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open: %s", src, strerror(errno));
    int out = sh_path_create_private(dst, err);
    if (out < 0) {
        close(in);
        return out;
    }
    char buf[1 << 16];
    ssize_t n;
    int bad = 0;
    while (!bad && (n = read(in, buf, sizeof buf)) > 0)
        bad = write(out, buf, (size_t)n) != n;
    bad |= n < 0;
    bad |= close(out) != 0;
    close(in);
    if (bad) {
        unlink(dst);
        return sh_err_set(err, SH_E_IO, "%s: cannot copy %s", dst, src);
    }
    return 0;
}

int sh_h5_sign_file(const char *path, const sh_key *key, sh_err *err)
{
    char by[SH_KEY_FPR], tmp[4096];
    int rc = signed_by(by, path, err);
    if (!rc && by[0])
        return sh_err_set(err, SH_E_INPUT,
                          "%s: already signed by key %s; a results file carries one signature",
                          path, by);
    /* The digest of the file itself first, so a refusal names it. */
    char *lines = NULL, digest[SH_SHA256_HEX];
    if (!rc)
        rc = sh_h5_digest(&lines, digest, path, err);
    free(lines);
    if (!rc && (size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        rc = sh_err_set(err, SH_E_INPUT, "%s: path too long", path);
    if (!rc)
        rc = copy_file(tmp, path, err);
    if (!rc && (rc = sh_h5_sign(tmp, key, err)))
        unlink(tmp);
    if (!rc && rename(tmp, path) != 0) {
        rc = sh_err_set(err, SH_E_IO, "%s: cannot move into place: %s", path, strerror(errno));
        unlink(tmp);
    }
    return rc;
}

/* The first line where the recorded and the present digests differ: the
 * path of the object that changed, appeared or went. */
static void first_difference(char *out, size_t size, const char *was, const char *now)
{
    while (*was || *now) {
        const char *we = strchr(was, '\n'), *ne = strchr(now, '\n');
        size_t wl = we ? (size_t)(we - was) : strlen(was);
        size_t nl = ne ? (size_t)(ne - now) : strlen(now);
        if (wl != nl || memcmp(was, now, wl) != 0) {
            size_t wp = strcspn(was, "\t\n"), np = strcspn(now, "\t\n");
            /* Same path: its value changed. Else the path first in byte
             * order is the one only one side has. */
            int c = memcmp(was, now, wp < np ? wp : np);
            int take_now = !*was || (*now && (c > 0 || (c == 0 && np < wp)));
            const char *s = take_now ? now : was;
            size_t l = take_now ? np : wp;
            /* A path is the file's own text: shown printable, so a name
             * holding a terminal's escapes cannot overwrite the verdict. */
            char *path = strndup(s, l);
            sh_utf8_printable(out, size, path ? path : "?");
            free(path);
            return;
        }
        was += wl + (we != NULL);
        now += nl + (ne != NULL);
    }
    snprintf(out, size, "%s", SH_H5_SIGNATURE);
}

int sh_h5_verify(sh_sig_status *out, const char *path, const sh_key *expect, sh_err *err)
{
    memset(out, 0, sizeof *out);
    hid_t f = open_file(path, H5F_ACC_RDONLY, err);
    if (f < 0)
        return err->code;
    /* A file damaged so that reading it crashes HDF5 is not as it was signed. */
    sh_h5_guard_enter(path, SH_H5_GUARD_VERDICT);
    char *digest = NULL, *sig = NULL, *fpr = NULL, *pem = NULL, *lines = NULL;
    int present = 0, shades = 0, unread = 0;
    H5E_BEGIN_TRY
    {
        htri_t a = H5Aexists(f, "schema_version"), l = H5Lexists(f, SH_H5_SIGNATURE, H5P_DEFAULT);
        shades = a > 0;
        present = l > 0;
        unread = a < 0 || l < 0;
        hid_t g = present ? H5Gopen2(f, SH_H5_SIGNATURE, H5P_DEFAULT) : -1;
        if (g >= 0) {
            digest = get_text(g, "digest", NULL);
            sig = get_text(g, "signature", NULL);
            fpr = get_text(g, "key_fingerprint", NULL);
            pem = get_text(g, "public_key", NULL);
            lines = get_text(g, NULL, "objects");
            H5Gclose(g);
        }
    }
    H5E_END_TRY;
    H5Fclose(f);
    /* Another program's HDF5 file is an error, as report and rerun say; a
     * signed file keeps its verdict, however damaged. */
    if (!shades && !present && !unread) {
        sh_h5_guard_leave();
        return sh_err_set(err, SH_E_INPUT,
                          "%s: not a shades results file (no schema_version attribute)", path);
    }
    out->state = present || unread ? SH_SIG_ALTERED : SH_SIG_UNSIGNED;
    snprintf(out->object, sizeof out->object, "%s",
             unread ? "damaged past reading (its root group does not read)" : SH_H5_SIGNATURE);
    snprintf(out->fingerprint, sizeof out->fingerprint, "%s", fpr ? fpr : "");
    char *now = NULL, now_hex[SH_SHA256_HEX], was_hex[SH_SHA256_HEX];
    int rc = 0;
    if (present && digest && sig && fpr && pem && lines) {
        rc = sh_h5_digest(&now, now_hex, path, err);
        /* A signed file whose objects no longer read is altered, not an
         * error of the command's. */
        if (rc == SH_E_INPUT) {
            snprintf(out->object, sizeof out->object, "damaged past reading (%.900s)", err->msg);
            rc = 0;
        } else if (!rc && strcmp(now, lines) != 0)
            first_difference(out->object, sizeof out->object, lines, now);
        else if (!rc && !sh_sha256_bytes(was_hex, lines, strlen(lines), err) &&
                 strcmp(was_hex, digest) == 0 && strcmp(now_hex, digest) == 0) {
            sh_key *k = NULL;
            sh_err ignore = {0};
            char msg[sizeof SH_ATTEST_PREFIX + SH_SHA256_HEX], key_fpr[SH_KEY_FPR] = "";
            snprintf(msg, sizeof msg, "%s%s", SH_ATTEST_PREFIX, digest);
            if (!sh_key_from_pem(&k, pem, path, &ignore))
                sh_key_fingerprint(key_fpr, k);
            if (k && strcmp(key_fpr, fpr) == 0 && sh_key_verify(k, msg, strlen(msg), sig))
                out->state = SH_SIG_VALID;
            sh_key_destroy(k);
        }
    }
    if (!rc && out->state == SH_SIG_VALID && expect) {
        sh_key_fingerprint(out->expected, expect);
        if (strcmp(out->expected, out->fingerprint) != 0)
            out->state = SH_SIG_OTHER_KEY;
    }
    free(now);
    free(digest);
    free(sig);
    free(fpr);
    free(pem);
    free(lines);
    sh_h5_guard_leave();
    return rc;
}

void sh_sig_describe(char *out, size_t size, const sh_sig_status *s)
{
    switch (s->state) {
    case SH_SIG_VALID:
        snprintf(out, size, "signed by key %s, valid", s->fingerprint);
        break;
    case SH_SIG_OTHER_KEY:
        snprintf(out, size, "signed by key %s, not by the expected key %s", s->fingerprint,
                 s->expected);
        break;
    case SH_SIG_ALTERED:
        snprintf(out, size, "ALTERED: %s", s->object);
        break;
    default:
        snprintf(out, size, "unsigned");
    }
}
