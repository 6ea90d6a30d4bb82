/* docs/results-schema.md against a real results file, both ways: every
 * attribute, table field and array the file holds is documented, and
 * everything documented is in the file.
 * The files together must hold every documented object.
 * Usage: test_schema DOC.md RESULTS.h5... */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hdf5.h>

static const char *doc_path;
static char **h5_paths;
static int n_h5;

/* A set of "KIND PATH NAME" lines; KIND is attributes, table or arrays. */
typedef struct set {
    size_t n;
    char *item[2048];
} set;

static void set_add(set *s, const char *kind, const char *path, const char *name)
{
    char buf[512];
    int len = snprintf(buf, sizeof buf, "%s %s %s", kind, path, name);
    assert_true(len > 0 && (size_t)len < sizeof buf); /* never compare a cut name */
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->item[i], buf) == 0)
            return;
    assert_true(s->n < 2048);
    s->item[s->n++] = strdup(buf);
}

static int set_has(const set *s, const char *item)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->item[i], item) == 0)
            return 1;
    return 0;
}

/* The documented path of an object: partition names become <partition>. */
static void doc_name(char *out, size_t size, const char *path)
{
    static const char prefix[] = "/verification/fmr_matrix/";
    if (strncmp(path, prefix, sizeof prefix - 1) == 0) {
        const char *rest = path + sizeof prefix - 1;
        const char *slash = strchr(rest, '/');
        snprintf(out, size, "%s<partition>%s", prefix, slash ? slash : "");
    } else {
        snprintf(out, size, "%s", path);
    }
}

/* Reads the doc: headings "### `PATH` KIND" and the table rows under
 * them, "| `NAME` | ...". An empty table declares an object with none. */
static void read_doc(set *out, set *headings)
{
    FILE *f = fopen(doc_path, "r");
    assert_non_null(f);
    char line[1024], path[256] = "", kind[32] = "";
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "### `", 5) == 0) {
            char *end = strchr(line + 5, '`');
            assert_non_null(end);
            snprintf(path, sizeof path, "%.*s", (int)(end - line - 5), line + 5);
            assert_int_equal(sscanf(end + 1, " %31s", kind), 1);
            set_add(headings, kind, path, "");
        } else if (strncmp(line, "## ", 3) == 0) {
            path[0] = '\0';
        } else if (path[0] && strncmp(line, "| `", 3) == 0) {
            char *end = strchr(line + 3, '`');
            assert_non_null(end);
            *end = '\0';
            set_add(out, kind, path, line + 3);
        }
    }
    fclose(f);
}

typedef struct walk {
    set *found, *objects;
} walk;

/* Attributes HDF5 adds for dimension scales; documented in prose. */
static int scale_plumbing(const char *name)
{
    return !strcmp(name, "DIMENSION_LIST") || !strcmp(name, "REFERENCE_LIST") ||
           !strcmp(name, "CLASS") || !strcmp(name, "NAME");
}

static herr_t on_attr(hid_t loc, const char *name, const H5A_info_t *info, void *ctx)
{
    (void)info;
    const char *path = ((const char **)ctx)[0];
    set *found = ((set **)ctx)[1];
    (void)loc;
    if (!scale_plumbing(name))
        set_add(found, "attributes", path, name);
    return 0;
}

static herr_t on_object(hid_t root, const char *name, const H5O_info_t *info, void *ctx)
{
    walk *w = ctx;
    char full[512], path[512];
    snprintf(full, sizeof full, "/%s", strcmp(name, ".") ? name : "");
    doc_name(path, sizeof path, full);
    hid_t obj = H5Oopen(root, name, H5P_DEFAULT);
    assert_true(obj >= 0);
    if (info->type == H5O_TYPE_GROUP) {
        set_add(w->objects, "attributes", path, "");
        const void *ctx2[2] = {path, w->found};
        H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, NULL, on_attr, ctx2);
    } else if (info->type == H5O_TYPE_DATASET) {
        hid_t t = H5Dget_type(obj);
        if (H5Tget_class(t) == H5T_COMPOUND) {
            set_add(w->objects, "table", path, "");
            for (int i = 0; i < H5Tget_nmembers(t); i++) {
                char *m = H5Tget_member_name(t, (unsigned)i);
                set_add(w->found, "table", path, m);
                H5free_memory(m);
            }
        } else {
            /* An array: documented as a member of its parent group. */
            char parent[512];
            snprintf(parent, sizeof parent, "%s", path);
            char *slash = strrchr(parent, '/');
            *slash = '\0';
            set_add(w->objects, "arrays", parent, "");
            set_add(w->found, "arrays", parent, slash + 1);
            /* Its own attributes may only be dimension-scale plumbing. */
            const void *ctx2[2] = {path, w->found};
            H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, NULL, on_attr, ctx2);
        }
        H5Tclose(t);
    }
    H5Oclose(obj);
    return 0;
}

static void document_and_file_agree(void **state)
{
    (void)state;
    set doc = {0}, headings = {0}, found = {0}, objects = {0};
    read_doc(&doc, &headings);
    assert_true(doc.n > 100);
    walk w = {&found, &objects};
    for (int i = 0; i < n_h5; i++) {
        hid_t f = H5Fopen(h5_paths[i], H5F_ACC_RDONLY, H5P_DEFAULT);
        assert_true(f >= 0);
        assert_true(H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, on_object, &w, H5O_INFO_BASIC) >= 0);
        H5Fclose(f);
    }
    int bad = 0;
    for (size_t i = 0; i < found.n; i++)
        if (!set_has(&doc, found.item[i])) {
            fprintf(stderr, "in the file, not in the doc: %s\n", found.item[i]);
            bad = 1;
        }
    for (size_t i = 0; i < doc.n; i++)
        if (!set_has(&found, doc.item[i])) {
            fprintf(stderr, "in the doc, not in the file: %s\n", doc.item[i]);
            bad = 1;
        }
    for (size_t i = 0; i < objects.n; i++)
        if (!set_has(&headings, objects.item[i])) {
            fprintf(stderr, "object without a section in the doc: %s\n", objects.item[i]);
            bad = 1;
        }
    for (size_t i = 0; i < headings.n; i++)
        if (!set_has(&objects, headings.item[i])) {
            fprintf(stderr, "section for an object the file lacks: %s\n", headings.item[i]);
            bad = 1;
        }
    assert_false(bad);
    set *all[] = {&doc, &headings, &found, &objects};
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; i < all[s]->n; i++)
            free(all[s]->item[i]);
}

/* The doc's title names the schema version the files record. */
static void title_names_the_files_version(void **state)
{
    (void)state;
    FILE *f = fopen(doc_path, "r");
    assert_non_null(f);
    char title[256] = "";
    assert_non_null(fgets(title, sizeof title, f));
    fclose(f);
    for (int i = 0; i < n_h5; i++) {
        hid_t h = H5Fopen(h5_paths[i], H5F_ACC_RDONLY, H5P_DEFAULT);
        assert_true(h >= 0);
        hid_t a = H5Aopen(h, "schema_version", H5P_DEFAULT);
        assert_true(a >= 0);
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        H5Tset_cset(t, H5T_CSET_UTF8);
        char *version = NULL;
        assert_true(H5Aread(a, t, &version) >= 0);
        char want[256];
        snprintf(want, sizeof want, "# The results file, schema %s\n", version);
        if (strcmp(title, want))
            fail_msg("%s's title is '%.*s'; %s records schema %s", doc_path,
                     (int)strcspn(title, "\n"), title, h5_paths[i], version);
        H5free_memory(version);
        H5Tclose(t);
        H5Aclose(a);
        H5Fclose(h);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_schema DOC.md RESULTS.h5...\n");
        return 2;
    }
    doc_path = argv[1];
    h5_paths = argv + 2;
    n_h5 = argc - 2;
    const struct CMUnitTest tests[] = {cmocka_unit_test(document_and_file_agree),
                                       cmocka_unit_test(title_names_the_files_version)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
