#include "h5_export.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "h5_schema.h"

/* Rows a block: a block's buffer is at most this many rows. */
#define EXPORT_BLOCK 65536

/* Fills rows [first, first + n) of a table into buf (row_size bytes each). */
typedef void (*fill_fn)(const sh_iexport *x, const void *ctx, char *buf, size_t first,
                        size_t n);

/* Writes table t of n rows, made EXPORT_BLOCK at a time by fill. */
static int write_blocked(hid_t f, const sh_h5_table *t, size_t n, fill_fn fill,
                         const sh_iexport *x, const void *ctx)
{
    hid_t mem = sh_h5_compound_type(t, 1), file = sh_h5_compound_type(t, 0);
    hsize_t dims[1] = {n};
    hid_t space = sh_h5_dataset_space(1, dims);
    hid_t dcpl = sh_h5_dataset_props(1, dims);
    hid_t d = H5Dcreate2(f, t->path, file, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    size_t block = n < EXPORT_BLOCK ? n : EXPORT_BLOCK;
    char *buf = calloc(block ? block : 1, t->row_size);
    int bad = d < 0 || !buf;
    for (size_t first = 0; !bad && first < n; first += block) {
        size_t k = n - first < block ? n - first : block;
        memset(buf, 0, k * t->row_size);
        fill(x, ctx, buf, first, k);
        hsize_t start[1] = {first}, count[1] = {k};
        hid_t mspace = H5Screate_simple(1, count, NULL);
        bad = H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
              H5Dwrite(d, mem, mspace, space, H5P_DEFAULT, buf) < 0;
        H5Sclose(mspace);
    }
    free(buf);
    if (d >= 0)
        H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(file);
    H5Tclose(mem);
    return bad ? -1 : 0;
}

/* The widest of the ids of items[0..n) (image or subject), NUL included. */
static size_t id_width(const sh_iexport *x, const uint32_t *items, size_t n, int subject)
{
    size_t w = 1;
    for (size_t i = 0; i < n; i++) {
        const char *id = subject ? x->m->subject_id[items[i]] : x->m->image_id[items[i]];
        if (strlen(id) + 1 > w)
            w = strlen(id) + 1;
    }
    return w;
}

/* Where a table of ids keeps them: the image id's width, then the subject's. */
typedef struct id_layout {
    size_t at, image_w, subject_w;
} id_layout;

static void put_ids(char *row, const id_layout *l, const sh_iexport *x, uint32_t item)
{
    const char *image = x->m->image_id[item], *subject = x->m->subject_id[item];
    memcpy(row + l->at, image, strlen(image));
    memcpy(row + l->at + l->image_w, subject, strlen(subject));
}

static void fill_gallery(const sh_iexport *x, const void *ctx, char *buf, size_t first,
                         size_t n)
{
    const id_layout *l = ctx;
    size_t size = l->at + l->image_w + l->subject_w;
    for (size_t k = 0; k < n; k++) {
        uint64_t slot = first + k;
        memcpy(buf + k * size, &slot, sizeof slot);
        put_ids(buf + k * size, l, x, x->gallery[first + k]);
    }
}

static void fill_searches(const sh_iexport *x, const void *ctx, char *buf, size_t first,
                          size_t n)
{
    const id_layout *l = ctx;
    size_t size = l->at + l->image_w + l->subject_w;
    for (size_t k = 0; k < n; k++) {
        char *row = buf + k * size;
        uint64_t q = first + k;
        int32_t mated = x->mate[q] != UINT32_MAX;
        int32_t mate = mated ? (int32_t)x->mate[q] : -1;
        memcpy(row, &q, sizeof q);
        memcpy(row + 8, &mated, sizeof mated);
        memcpy(row + 12, &mate, sizeof mate);
        put_ids(row, l, x, x->item[q]);
    }
}

/* One listed candidate; a row of /identification/candidates. */
typedef struct cand_row {
    uint64_t search, rank, slot;
    double score;
} cand_row;

/* ctx: where each block of candidates starts, one per EXPORT_BLOCK rows:
 * the (search x L + rank) slot of its first listed candidate. */
static void fill_candidates(const sh_iexport *x, const void *ctx, char *buf, size_t first,
                            size_t n)
{
    const size_t *start = ctx;
    size_t at = start[first / EXPORT_BLOCK];
    cand_row *rows = (cand_row *)buf;
    for (size_t k = 0; k < n; at++) {
        if (x->slot[at] == UINT32_MAX)
            continue;
        rows[k++] = (cand_row){at / x->length, at % x->length + 1, x->slot[at], x->score[at]};
    }
}

static const sh_h5_column cand_cols[] = {
    {"search", offsetof(cand_row, search), 'u', 8, 0},
    {"rank", offsetof(cand_row, rank), 'u', 8, 0},
    {"slot", offsetof(cand_row, slot), 'u', 8, 0},
    {"score", offsetof(cand_row, score), 'd', 8, 0},
};

int sh_h5_write_iexport(hid_t f, const sh_iexport *x)
{
    id_layout g = {8, id_width(x, x->gallery, x->n_gallery, 0),
                   id_width(x, x->gallery, x->n_gallery, 1)};
    sh_h5_column gcols[] = {
        {"slot", 0, 'u', 8, 0},
        {"image_id", g.at, 's', g.image_w, 0},
        {"subject_id", g.at + g.image_w, 's', g.subject_w, 0},
    };
    sh_h5_table gt = {"/identification/gallery", gcols, 3, g.at + g.image_w + g.subject_w};
    id_layout s = {16, id_width(x, x->item, x->n_searches, 0),
                   id_width(x, x->item, x->n_searches, 1)};
    sh_h5_column scols[] = {
        {"search", 0, 'u', 8, 0},
        {"mated", 8, 'i', 4, 0},
        {"mate_slot", 12, 'i', 4, 0},
        {"image_id", s.at, 's', s.image_w, 0},
        {"subject_id", s.at + s.image_w, 's', s.subject_w, 0},
    };
    sh_h5_table st = {"/identification/searches", scols, 5, s.at + s.image_w + s.subject_w};
    sh_h5_table ct = {"/identification/candidates", cand_cols, 4, sizeof(cand_row)};
    size_t slots = x->n_searches * x->length, listed = 0;
    size_t *start = calloc(slots / EXPORT_BLOCK + 2, sizeof *start);
    if (!start)
        return -1;
    for (size_t at = 0; at < slots; at++)
        if (x->slot[at] != UINT32_MAX) {
            if (listed % EXPORT_BLOCK == 0)
                start[listed / EXPORT_BLOCK] = at;
            listed++;
        }
    int bad = write_blocked(f, &gt, x->n_gallery, fill_gallery, x, &g) ||
              write_blocked(f, &st, x->n_searches, fill_searches, x, &s) ||
              write_blocked(f, &ct, listed, fill_candidates, x, start);
    free(start);
    return bad ? -1 : 0;
}
