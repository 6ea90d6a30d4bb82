#include "import.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_rows.h"
#include "paths.h"

const char shades_import_formats[] = "ppb, rfw, bfw, fairface, utkface";

#define MAX_ATTRS 8

/* The manifest being built: one row per distinct image, in first-seen
 * order, found again by image id through an open-addressing index. */
typedef struct manifest_out {
    size_t n_attrs;
    const char *attr_names[MAX_ATTRS];
    size_t n, cap;
    char **rows;           /* n x (3 + n_attrs) strings */
    size_t *first_line;    /* the input line that introduced each image */
    size_t index_cap;
    size_t *index;         /* row + 1, 0 empty */
} manifest_out;

/* One pair for pairs.csv. */
typedef struct pairs_out {
    size_t n, cap;
    char **cells;          /* n x 3: reference_id, probe_id, fold */
} pairs_out;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int index_grow(manifest_out *m)
{
    size_t cap = m->index_cap ? m->index_cap * 2 : 1024;
    size_t *index = calloc(cap, sizeof *index);
    if (!index)
        return -1;
    for (size_t r = 0; r < m->n; r++) {
        size_t h = hash_str(m->rows[r * (3 + m->n_attrs)]) & (cap - 1);
        while (index[h])
            h = (h + 1) & (cap - 1);
        index[h] = r + 1;
    }
    free(m->index);
    m->index = index;
    m->index_cap = cap;
    return 0;
}

/* The row of image id, or SIZE_MAX; *slot receives where it would go. */
static size_t find_image(const manifest_out *m, const char *id, size_t *slot)
{
    size_t h = hash_str(id) & (m->index_cap - 1);
    while (m->index[h]) {
        size_t r = m->index[h] - 1;
        if (!strcmp(m->rows[r * (3 + m->n_attrs)], id))
            return r;
        h = (h + 1) & (m->index_cap - 1);
    }
    *slot = h;
    return SIZE_MAX;
}

/* Adds an image, or checks that a repeat agrees with the first mention. */
static int add_image(manifest_out *m, const char *const *fields, size_t line, shades_err *err)
{
    size_t w = 3 + m->n_attrs, slot = 0;
    if ((m->n + 1) * 2 > m->index_cap && index_grow(m))
        return shades_err_nomem(err);
    size_t r = find_image(m, fields[0], &slot);
    if (r != SIZE_MAX) {
        for (size_t k = 1; k < w; k++)
            if (strcmp(m->rows[r * w + k], fields[k]))
                return shades_err_set(err, SHADES_E_INPUT,
                                      "image '%s': %s '%s' here but '%s' on line %zu", fields[0],
                                      k == 1 ? "subject" : k == 2 ? "path" : m->attr_names[k - 3],
                                      fields[k], m->rows[r * w + k], m->first_line[r]);
        return 0;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        char **rows = realloc(m->rows, cap * w * sizeof *rows);
        if (rows)
            m->rows = rows;
        size_t *lines = realloc(m->first_line, cap * sizeof *lines);
        if (lines)
            m->first_line = lines;
        if (!rows || !lines)
            return shades_err_nomem(err);
        m->cap = cap;
    }
    for (size_t k = 0; k < w; k++)
        if (!(m->rows[m->n * w + k] = strdup(fields[k]))) {
            for (size_t j = 0; j < k; j++)
                free(m->rows[m->n * w + j]);
            return shades_err_nomem(err);
        }
    m->first_line[m->n] = line;
    m->index[slot] = ++m->n;
    return 0;
}

static int add_pair(pairs_out *p, const char *ref, const char *probe, long fold, shades_err *err)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        char **cells = realloc(p->cells, cap * 3 * sizeof *cells);
        if (!cells)
            return shades_err_nomem(err);
        p->cells = cells;
        p->cap = cap;
    }
    char f[24];
    snprintf(f, sizeof f, "%ld", fold);
    char **c = p->cells + p->n * 3;
    c[0] = strdup(ref);
    c[1] = strdup(probe);
    c[2] = strdup(f);
    p->n++;
    if (!c[0] || !c[1] || !c[2])
        return shades_err_nomem(err);
    return 0;
}

static void manifest_free(manifest_out *m)
{
    for (size_t i = 0; i < m->n * (3 + m->n_attrs); i++)
        free(m->rows[i]);
    free(m->rows);
    free(m->first_line);
    free(m->index);
}

static void pairs_free(pairs_out *p)
{
    for (size_t i = 0; i < p->n * 3; i++)
        free(p->cells[i]);
    free(p->cells);
}

/* One CSV field, quoted only when it must be (RFC 4180). */
static void put_field(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Writes rows of w fields under a header to dir/name via a temporary file;
 * *out_tmp names it for the caller to rename once everything is written. */
static int write_table(char *out_tmp, size_t cap, const char *dir, const char *name,
                       const char *const *head, size_t w, char *const *cells, size_t n,
                       shades_err *err)
{
    char path[PATH_MAX];
    int rc = shades_path_join(path, sizeof path, dir, name, err);
    if (rc)
        return rc;
    if ((size_t)snprintf(out_tmp, cap, "%s.tmp.%ld", path, (long)getpid()) >= cap)
        return shades_err_set(err, SHADES_E_INPUT, "%s: path too long", path);
    FILE *f = fopen(out_tmp, "w");
    if (!f)
        return shades_err_set(err, SHADES_E_IO, "%s: %s", out_tmp, strerror(errno));
    for (size_t k = 0; k < w; k++)
        put_field(f, head[k], k == 0);
    fputc('\n', f);
    for (size_t r = 0; r < n; r++) {
        for (size_t k = 0; k < w; k++)
            put_field(f, cells[r * w + k], k == 0);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        remove(out_tmp);
        return shades_err_set(err, SHADES_E_IO, "%s: write error", out_tmp);
    }
    return 0;
}

/* Writes manifest.csv and, when there are pairs, pairs.csv; both or none. */
static int write_outputs(const char *dir, const manifest_out *m, const pairs_out *p,
                         shades_err *err)
{
    int rc = shades_path_mkdirs(dir, err);
    if (rc)
        return rc;
    const char *head[3 + MAX_ATTRS] = {"image_id", "subject_id", "path"};
    for (size_t k = 0; k < m->n_attrs; k++)
        head[3 + k] = m->attr_names[k];
    static const char *const pair_head[] = {"reference_id", "probe_id", "fold"};
    char tmp_m[PATH_MAX + 32] = "", tmp_p[PATH_MAX + 32] = "";
    rc = write_table(tmp_m, sizeof tmp_m, dir, "manifest.csv", head, 3 + m->n_attrs, m->rows,
                     m->n, err);
    if (!rc && p && p->n)
        rc = write_table(tmp_p, sizeof tmp_p, dir, "pairs.csv", pair_head, 3, p->cells, p->n,
                         err);
    const char *tmps[2] = {tmp_m, tmp_p};
    for (int i = 0; i < 2; i++) {
        if (!tmps[i][0])
            continue;
        char final[PATH_MAX + 32];
        snprintf(final, sizeof final, "%s", tmps[i]);
        *strstr(final, ".tmp.") = '\0';
        if (rc)
            remove(tmps[i]);
        else if (rename(tmps[i], final) != 0)
            rc = shades_err_set(err, SHADES_E_IO, "%s: %s", final, strerror(errno));
    }
    return rc;
}

/* ---- CSV layouts: PPB, FairFace, BFW ---- */

struct csv_import;

/* One CSV layout: the columns its rows read, in order, the manifest
 * attributes it writes, and the function that turns a row into images. */
typedef struct csv_layout {
    const char *format;
    const char *const *cols;   /* NULL-terminated */
    const char *attrs[MAX_ATTRS];
    size_t n_attrs;
    int (*row)(struct csv_import *ci, char **f, size_t line, shades_err *err);
} csv_layout;

/* State of one CSV import. */
typedef struct csv_import {
    const shades_import_options *o;
    const csv_layout *layout;
    char prefix[PATH_MAX];     /* image path prefix, with its '/', or "" */
    manifest_out m;
    pairs_out p;
    size_t n_cols;
    int col[16];
} csv_import;

/* Finds every named column in the header; NULL ends the list. */
static int need_columns(csv_import *ci, char **f, size_t n, const char *const *names,
                        shades_err *err)
{
    for (size_t k = 0; names[k]; k++)
        if ((ci->col[k] = shades_csv_column(f, n, names[k])) < 0)
            return shades_err_set(err, SHADES_E_INPUT, "header: no column '%s' (the %s layout)",
                                  names[k], ci->o->format);
    ci->n_cols = n;
    return 0;
}

/* The columns each layout needs, in the order its row function reads them. */
static const char *const ppb_cols[] = {"image_id", "filename", "gender",
                                       "fitzpatrick skin type category", "bi.fitz", "country",
                                       NULL};
static const char *const fairface_cols[] = {"file", "age", "gender", "race", "service_test",
                                            NULL};
static const char *const bfw_cols[] = {"fold", "p1", "p2", "label", "id1", "id2", "att1", "att2",
                                       "a1", "a2", "g1", "g2", NULL};

static int csv_row(void *ctx, char **f, size_t n, size_t line, shades_err *err)
{
    csv_import *ci = ctx;
    if (!ci->n_cols)
        return need_columns(ci, f, n, ci->layout->cols, err);
    if (n != ci->n_cols)
        return shades_err_set(err, SHADES_E_INPUT, "row has %zu fields, the header has %zu", n,
                              ci->n_cols);
    return ci->layout->row(ci, f, line, err);
}

/* A value mapped through pairs of (from, to), case-insensitively; NULL
 * when it is none of them. */
static const char *map_value(const char *v, const char *const *map)
{
    for (size_t k = 0; map[k]; k += 2)
        if (!strcasecmp(v, map[k]))
            return map[k + 1];
    return NULL;
}

static const char *const sex_words[] = {"female", "F", "male", "M", "f", "F", "m", "M", NULL};
static const char *const roman[] = {"1", "I", "2", "II", "3", "III", "4", "IV",
                                    "5", "V", "6", "VI", NULL};
static const char *const lighter_darker[] = {"lighter", "lighter", "darker", "darker",
                                             "light", "lighter", "dark", "darker", NULL};

static int bad_value(shades_err *err, const char *field, const char *value, const char *want)
{
    return shades_err_set(err, SHADES_E_INPUT, "field '%s': '%s' is not %s", field, value, want);
}

static void image_path(char *out, size_t cap, const csv_import *ci, const char *file)
{
    snprintf(out, cap, "%s%s", ci->prefix, file);
}

/* PPB: one image per person; Fitzpatrick type as 1-6 and its binary
 * lighter/darker; gender as Female/Male. */
static int ppb_row(csv_import *ci, char **f, size_t line, shades_err *err)
{
    const char *id = f[ci->col[0]], *file = f[ci->col[1]];
    const char *sex = map_value(f[ci->col[2]], sex_words);
    const char *type = map_value(f[ci->col[3]], roman);
    const char *skin = map_value(f[ci->col[4]], lighter_darker);
    if (!id[0] || !file[0])
        return bad_value(err, id[0] ? "filename" : "image_id", "", "a name");
    if (!sex)
        return bad_value(err, "gender", f[ci->col[2]], "Female or Male");
    if (!type)
        return bad_value(err, "fitzpatrick skin type category", f[ci->col[3]], "1 to 6");
    if (!skin)
        return bad_value(err, "bi.fitz", f[ci->col[4]], "lighter or darker");
    char path[PATH_MAX];
    image_path(path, sizeof path, ci, file);
    const char *row[] = {id, id, path, sex, type, skin, f[ci->col[5]]};
    return add_image(&ci->m, row, line, err);
}

/* FairFace: one image per person; age already binned ("20-29"). */
static int fairface_row(csv_import *ci, char **f, size_t line, shades_err *err)
{
    const char *file = f[ci->col[0]];
    const char *sex = map_value(f[ci->col[2]], sex_words);
    if (!file[0])
        return bad_value(err, "file", "", "a file name");
    if (!sex)
        return bad_value(err, "gender", f[ci->col[2]], "Female or Male");
    if (!f[ci->col[1]][0] || !f[ci->col[3]][0])
        return bad_value(err, f[ci->col[1]][0] ? "race" : "age", "", "a label");
    char path[PATH_MAX];
    image_path(path, sizeof path, ci, file);
    const char *row[] = {file, file, path, f[ci->col[1]], sex, f[ci->col[3]], f[ci->col[4]]};
    return add_image(&ci->m, row, line, err);
}

/* BFW: one row per pair, both images' subjects and attributes on it; the
 * label must agree with the subject ids. */
static int bfw_row(csv_import *ci, char **f, size_t line, shades_err *err)
{
    char *end;
    long fold = strtol(f[ci->col[0]], &end, 10);
    if (!f[ci->col[0]][0] || *end || fold < 0)
        return bad_value(err, "fold", f[ci->col[0]], "a fold number");
    const char *label = f[ci->col[3]];
    if (strcmp(label, "0") && strcmp(label, "1"))
        return bad_value(err, "label", label, "0 or 1");
    int same = !strcmp(f[ci->col[4]], f[ci->col[5]]);
    if (same != (label[0] == '1'))
        return shades_err_set(err, SHADES_E_INPUT,
                              "field 'label': %s, but id1 '%s' and id2 '%s' are %s", label,
                              f[ci->col[4]], f[ci->col[5]], same ? "the same" : "different");
    for (int side = 0; side < 2; side++) {
        const char *p = f[ci->col[1 + side]];
        const char *sex = map_value(f[ci->col[10 + side]], sex_words);
        if (!p[0] || !f[ci->col[4 + side]][0])
            return bad_value(err, side ? "p2" : "p1", p, "an image with a subject id");
        if (!sex)
            return bad_value(err, side ? "g2" : "g1", f[ci->col[10 + side]], "F or M");
        char path[PATH_MAX];
        image_path(path, sizeof path, ci, p);
        const char *row[] = {p, f[ci->col[4 + side]], path, f[ci->col[6 + side]],
                             f[ci->col[8 + side]], sex};
        int rc = add_image(&ci->m, row, line, err);
        if (rc)
            return rc;
    }
    return add_pair(&ci->p, f[ci->col[1]], f[ci->col[2]], fold, err);
}

static const csv_layout csv_layouts[] = {
    {"ppb", ppb_cols, {"sex", "skin_type", "skin", "country"}, 4, ppb_row},
    {"fairface", fairface_cols, {"age", "sex", "race", "service_test"}, 4, fairface_row},
    {"bfw", bfw_cols, {"subgroup", "ethnicity", "sex"}, 3, bfw_row},
};

static const csv_layout *find_layout(const char *format)
{
    for (size_t k = 0; k < sizeof csv_layouts / sizeof *csv_layouts; k++)
        if (!strcmp(csv_layouts[k].format, format))
            return &csv_layouts[k];
    return NULL;
}

static int import_csv(const shades_import_options *o, const csv_layout *layout, shades_err *err)
{
    csv_import ci = {.o = o, .layout = layout};
    const char *images = o->images ? o->images : "";
    snprintf(ci.prefix, sizeof ci.prefix, "%s%s", images,
             images[0] && images[strlen(images) - 1] != '/' ? "/" : "");
    ci.m.n_attrs = layout->n_attrs;
    memcpy(ci.m.attr_names, layout->attrs, sizeof layout->attrs);
    int rc = shades_csv_read(o->input, "input", csv_row, &ci, err);
    if (!rc && !ci.n_cols)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s:1: empty file, expected a header row",
                            o->input);
    if (!rc && !ci.m.n)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s: no rows after the header", o->input);
    if (!rc)
        rc = write_outputs(o->out_dir, &ci.m, &ci.p, err);
    manifest_free(&ci.m);
    pairs_free(&ci.p);
    return rc;
}

/* ---- RFW pair lists ---- */

/* Splits a line at tabs (or runs of spaces) into at most cap fields. */
static size_t split_fields(char **out, size_t cap, char *line)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, "\t \r\n", &save); tok && n < cap;
         tok = strtok_r(NULL, "\t \r\n", &save))
        out[n++] = tok;
    return n;
}

static int parse_index(long *out, const char *s)
{
    char *end;
    *out = strtol(s, &end, 10);
    return *s && !*end && *out >= 0 && *out <= 99999;
}

/* RFW: `id n m` (mated) or `id1 n id2 m` (non-mated); the file holds ten
 * folds of equal size, each its mated lines then its non-mated ones. Image
 * `id` number n is <race>/<id>/<id>_<n as 4 digits>.jpg. */
static int import_rfw(const shades_import_options *o, shades_err *err)
{
    FILE *f = fopen(o->input, "r");
    if (!f)
        return shades_err_set(err, SHADES_E_INPUT, "%s: cannot open input: %s", o->input,
                              strerror(errno));
    char race[64];
    if (o->race) {
        snprintf(race, sizeof race, "%s", o->race);
    } else {
        const char *base = strrchr(o->input, '/') ? strrchr(o->input, '/') + 1 : o->input;
        snprintf(race, sizeof race, "%.*s", (int)strcspn(base, "_."), base);
    }
    const char *images = o->images ? o->images : race;
    manifest_out m = {.n_attrs = 1, .attr_names = {"race"}};
    pairs_out p = {0};
    char *buf = NULL;
    size_t cap = 0, line = 0, data_lines = 0;
    int rc = 0;
    /* First pass: count pair lines, to size the folds. */
    while (getline(&buf, &cap, f) > 0) {
        char *fields[5];
        data_lines += split_fields(fields, 5, buf) > 0;
    }
    rewind(f);
    size_t fold_size = data_lines / 10 ? data_lines / 10 : 1, k = 0;
    while (!rc && getline(&buf, &cap, f) > 0) {
        line++;
        char *fields[5];
        size_t n = split_fields(fields, 5, buf);
        if (n == 0)
            continue;
        long a, b;
        const char *id1 = fields[0], *id2 = n == 4 ? fields[2] : fields[0];
        if ((n != 3 && n != 4) || !parse_index(&a, fields[1]) ||
            !parse_index(&b, fields[n - 1])) {
            rc = shades_err_set(err, SHADES_E_INPUT,
                                "%s:%zu: expected 'id<TAB>n<TAB>m' or 'id1<TAB>n<TAB>id2<TAB>m'",
                                o->input, line);
            break;
        }
        if (n == 4 && !strcmp(id1, id2)) {
            rc = shades_err_set(err, SHADES_E_INPUT,
                                "%s:%zu: field 3: a non-mated line names '%s' twice", o->input,
                                line, id1);
            break;
        }
        char img[2][192], path[2][PATH_MAX];
        const char *ids[2] = {id1, id2};
        long idx[2] = {a, b};
        for (int s = 0; s < 2 && !rc; s++) {
            snprintf(img[s], sizeof img[s], "%s_%04ld", ids[s], idx[s]);
            snprintf(path[s], sizeof path[s], "%s%s%s/%s.jpg", images, images[0] ? "/" : "",
                     ids[s], img[s]);
            const char *row[] = {img[s], ids[s], path[s], race};
            shades_err why = {0};
            if (add_image(&m, row, line, &why))
                rc = shades_err_set(err, why.code, "%s:%zu: %s", o->input, line, why.msg);
        }
        if (!rc) {
            long fold = (long)(k++ / fold_size);
            rc = add_pair(&p, img[0], img[1], fold > 9 ? 9 : fold, err);
        }
    }
    free(buf);
    fclose(f);
    if (!rc && !p.n)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s: no pairs", o->input);
    if (!rc)
        rc = write_outputs(o->out_dir, &m, &p, err);
    manifest_free(&m);
    pairs_free(&p);
    return rc;
}

/* ---- UTKFace file names ---- */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* age_gender_race_datetime.jpg: gender 0 male, 1 female; race 0 White,
 * 1 Black, 2 Asian, 3 Indian, 4 Others. 0 when the name does not parse. */
static int utk_parse(const char *name, long *age, const char **sex, const char **race)
{
    static const char *const races[] = {"White", "Black", "Asian", "Indian", "Others"};
    char *end;
    const char *p = name;
    *age = strtol(p, &end, 10);
    if (end == p || *end != '_' || *age < 0 || *age > 130)
        return 0;
    p = end + 1;
    long g = strtol(p, &end, 10);
    if (end == p || *end != '_' || (g != 0 && g != 1))
        return 0;
    p = end + 1;
    long r = strtol(p, &end, 10);
    if (end == p || *end != '_' || r < 0 || r > 4)
        return 0;
    const char *dot = strrchr(name, '.');
    if (!dot || (strcasecmp(dot, ".jpg") && strcasecmp(dot, ".jpeg") && strcasecmp(dot, ".png")))
        return 0;
    *sex = g ? "F" : "M";
    *race = races[r];
    return 1;
}

static int import_utkface(const shades_import_options *o, shades_err *err)
{
    DIR *d = opendir(o->input);
    if (!d)
        return shades_err_set(err, SHADES_E_INPUT, "%s: cannot open folder: %s", o->input,
                              strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = shades_err_nomem(err);
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(e->d_name)))
            rc = shades_err_nomem(err);
        else
            n++;
    }
    closedir(d);
    if (!rc)
        qsort(names, n, sizeof *names, cmp_name);
    manifest_out m = {.n_attrs = 3, .attr_names = {"age", "sex", "race"}};
    const char *images = o->images ? o->images : o->input;
    size_t skipped = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        long age;
        const char *sex, *race;
        if (!utk_parse(names[i], &age, &sex, &race)) {
            if (o->log)
                fprintf(o->log, "shades: import utkface: skipped '%s': not "
                                "age_gender_race_datetime.jpg\n", names[i]);
            skipped++;
            continue;
        }
        char path[PATH_MAX], age_s[16];
        snprintf(path, sizeof path, "%s%s%s", images, images[0] ? "/" : "", names[i]);
        snprintf(age_s, sizeof age_s, "%ld", age);
        const char *row[] = {names[i], names[i], path, age_s, sex, race};
        rc = add_image(&m, row, i + 1, err);
    }
    if (!rc && o->log && skipped)
        fprintf(o->log, "shades: import utkface: %zu of %zu file names skipped\n", skipped, n);
    if (!rc && !m.n)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s: no file named age_gender_race_datetime.jpg",
                            o->input);
    if (!rc)
        rc = write_outputs(o->out_dir, &m, NULL, err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    manifest_free(&m);
    return rc;
}

int shades_import(const shades_import_options *o, shades_err *err)
{
    const csv_layout *layout = find_layout(o->format);
    if (layout)
        return import_csv(o, layout, err);
    if (!strcmp(o->format, "rfw"))
        return import_rfw(o, err);
    if (!strcmp(o->format, "utkface"))
        return import_utkface(o, err);
    return shades_err_set(err, SHADES_E_INPUT, "import: unknown format '%s' (one of %s)",
                          o->format, shades_import_formats);
}
