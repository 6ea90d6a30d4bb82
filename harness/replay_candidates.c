#include "replay_candidates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_fast.h"
#include "csv_rows.h"
#include "fast_float.h"

/* ---- the gallery file ---- */

typedef struct gallery_reader {
    const sh_manifest *m;
    const char *path;
    int col;                   /* image_id's column; -1 before the header */
    uint32_t *items;
    size_t n;
    size_t *line_of_subject;   /* the row enrolling each subject, 0 if none */
} gallery_reader;

static int gallery_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    gallery_reader *r = ctx;
    if (r->col < 0) {
        r->col = sh_csv_column(f, n, "image_id");
        return r->col < 0 ? sh_err_set(err, SH_E_INPUT, "header: no column 'image_id'") : 0;
    }
    if ((size_t)r->col >= n)
        return sh_err_set(err, SH_E_INPUT, "row has %zu fields, no image_id", n);
    long i = sh_manifest_find(r->m, f[r->col]);
    if (i < 0)
        return sh_err_set(err, SH_E_INPUT, "field 'image_id': '%s' is not an image_id of %s",
                          f[r->col], r->m->path);
    uint32_t subj = r->m->subject[i];
    if (r->line_of_subject[subj])
        return sh_err_set(err, SH_E_INPUT,
                          "field 'image_id': '%s' enrols subject '%s' again (first on line "
                          "%zu); the gallery holds one image a subject",
                          f[r->col], r->m->subject_id[i], r->line_of_subject[subj]);
    r->line_of_subject[subj] = line;
    r->items[r->n++] = (uint32_t)i;
    return 0;
}

int sh_replay_gallery(sh_search_plan **out, sh_search_plan **drawn,
                          const sh_cfg_candidates *cfg, const sh_manifest *m, sh_err *err)
{
    *out = NULL;
    if (!cfg->gallery) {
        *out = *drawn;
        *drawn = NULL;
        return 0;
    }
    gallery_reader r = {.m = m, .path = cfg->gallery, .col = -1};
    r.items = malloc((m->n_subjects + 1) * sizeof *r.items);
    r.line_of_subject = calloc(m->n_subjects + 1, sizeof *r.line_of_subject);
    int rc = !r.items || !r.line_of_subject ? sh_err_nomem(err)
             : sh_csv_read_fast(cfg->gallery, "gallery file", gallery_row, &r, err);
    if (!rc && r.col < 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row",
                        cfg->gallery);
    if (!rc && r.n == 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: the gallery enrols no image", cfg->gallery);
    if (!rc)
        rc = sh_identification_plan_gallery(out, m, r.items, r.n, err);
    free(r.items);
    free(r.line_of_subject);
    return rc;
}

/* ---- the candidate lists ---- */

enum { COL_SEARCH, COL_RANK, COL_RET, COL_ASSIGNED, COL_TEMPLATE, COL_SCORE, N_COLS };

static const char *const col_names[N_COLS] = {"searchId", "candidateRank", "searchRetCode",
                                              "isAssigned", "templateId", "score"};

typedef struct lists_reader {
    const sh_cfg_candidates *cfg;
    const sh_manifest *m;
    const sh_search_plan *p;
    size_t length;
    int col[N_COLS];
    size_t width;              /* the header's words; 0 before it */
    uint32_t *search_of;       /* per item: its search (mated first), UINT32_MAX: enrolled */
    uint32_t *slot_of;         /* per item: its gallery slot, or UINT32_MAX */
    uint32_t *rank_line;       /* per search and rank: the row giving it, 0 if none */
    sh_candidates *mc, *nc;
} lists_reader;

/* A whole number in [0, limit) from text, or -1. */
static long whole(const char *text, long limit)
{
    char *end;
    if (!text[0] || text[0] == '-' || text[0] == '+')
        return -1;
    long v = strtol(text, &end, 10);
    return *end || v >= limit ? -1 : v;
}

static int list_header(lists_reader *r, char **f, size_t n, sh_err *err)
{
    for (int k = 0; k < N_COLS; k++) {
        r->col[k] = sh_csv_column(f, n, col_names[k]);
        if (r->col[k] < 0)
            return sh_err_set(err, SH_E_INPUT,
                              "header: no column '%s' (NIST's 1:N layout: \"%s\")",
                              col_names[k], SH_NIST_1N_HEADER);
    }
    r->width = n;
    return 0;
}

static int list_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    lists_reader *r = ctx;
    if (!r->width)
        return list_header(r, f, n, err);
    if (n != r->width)
        return sh_err_set(err, SH_E_INPUT,
                          "row has %zu space-separated fields, the header has %zu", n,
                          r->width);
    const char *id = f[r->col[COL_SEARCH]];
    long item = sh_manifest_find(r->m, id);
    if (item < 0)
        return sh_err_set(err, SH_E_INPUT, "field 'searchId': '%s' is not an image_id of %s",
                          id, r->m->path);
    uint32_t q = r->search_of[item];
    if (q == UINT32_MAX)
        return sh_err_set(err, SH_E_INPUT,
                          "field 'searchId': '%s' is enrolled in the gallery, so it does not "
                          "search it", id);
    long rank = whole(f[r->col[COL_RANK]], (long)r->length);
    if (rank < 0)
        return sh_err_set(err, SH_E_INPUT,
                          "field 'candidateRank': '%s' is not a whole number below "
                          "identification.candidates (%zu)",
                          f[r->col[COL_RANK]], r->length);
    uint32_t *seen = &r->rank_line[(size_t)q * r->length + (size_t)rank];
    if (*seen)
        return sh_err_set(err, SH_E_INPUT,
                          "field 'candidateRank': search '%s' gives rank %ld twice (first on "
                          "line %u)", id, rank, *seen);
    *seen = (uint32_t)line;
    char *end;
    long ret = strtol(f[r->col[COL_RET]], &end, 10);
    if (!f[r->col[COL_RET]][0] || *end)
        return sh_err_set(err, SH_E_INPUT, "field 'searchRetCode': '%s' is not a whole number",
                          f[r->col[COL_RET]]);
    const char *assigned = f[r->col[COL_ASSIGNED]];
    if (strcmp(assigned, "0") && strcmp(assigned, "1"))
        return sh_err_set(err, SH_E_INPUT, "field 'isAssigned': '%s' is neither 0 nor 1",
                          assigned);
    if (assigned[0] == '0')
        return 0;
    if (ret != 0)
        return sh_err_set(err, SH_E_INPUT,
                          "field 'isAssigned': search '%s' failed (searchRetCode %ld) but "
                          "lists a candidate", id, ret);
    const char *tid = f[r->col[COL_TEMPLATE]];
    long t = sh_manifest_find(r->m, tid);
    uint32_t slot = t < 0 ? UINT32_MAX : r->slot_of[t];
    if (slot == UINT32_MAX)
        return sh_err_set(err, SH_E_INPUT,
                          "field 'templateId': '%s' is not an image_id enrolled in the "
                          "gallery", tid);
    const char *text = f[r->col[COL_SCORE]];
    double score;
    if (!text[0] || !sh_parse_double(text, &score) || !isfinite(score))
        return sh_err_set(err, SH_E_INPUT, "field 'score': '%s' is not a finite number",
                          text);
    sh_candidates *c = q < r->p->n_mated ? r->mc : r->nc;
    size_t at = (q < r->p->n_mated ? q : q - r->p->n_mated) * r->length + (size_t)rank;
    c->score[at] = score;
    c->slot[at] = slot;
    return 0;
}

/* After the read: every search listed, its assigned ranks a prefix with
 * scores not rising, no template twice. */
static int check_lists(const lists_reader *r, sh_err *err)
{
    const sh_search_plan *p = r->p;
    size_t L = r->length, n = p->n_mated + p->n_nonmated, missing = 0, first = 0;
    for (size_t q = 0; q < n; q++) {
        const uint32_t *lines = &r->rank_line[q * L];
        int any = 0;
        for (size_t k = 0; k < L; k++)
            any |= lines[k] != 0;
        if (!any && !missing++)
            first = q;
        const sh_candidates *c = q < p->n_mated ? r->mc : r->nc;
        size_t base = (q < p->n_mated ? q : q - p->n_mated) * L;
        uint32_t item = q < p->n_mated ? p->mated[q] : p->nonmated[q - p->n_mated];
        for (size_t k = 1; k < L; k++) {
            uint32_t slot = c->slot[base + k];
            if (slot == UINT32_MAX)
                continue;
            const char *why = c->slot[base + k - 1] == UINT32_MAX
                                  ? "is assigned after an unassigned rank"
                              : c->score[base + k] > c->score[base + k - 1]
                                  ? "scores higher than the rank before it"
                                  : NULL;
            for (size_t j = 0; !why && j < k; j++)
                if (c->slot[base + j] == slot)
                    why = "lists a template already listed at a better rank";
            if (why)
                return sh_err_set(err, SH_E_INPUT,
                                  "%s:%u: field 'candidateRank': rank %zu of search '%s' %s",
                                  r->cfg->file, lines[k], k, r->m->image_id[item], why);
        }
    }
    if (missing) {
        uint32_t item = first < p->n_mated ? p->mated[first] : p->nonmated[first - p->n_mated];
        return sh_err_set(err, SH_E_INPUT,
                          "%s: no candidate list for search '%s' (%s line %zu); %zu search%s "
                          "of the run %s none (every image outside the gallery searches it)",
                          r->cfg->file, r->m->image_id[item], r->m->path, r->m->line[item],
                          missing, missing == 1 ? "" : "es", missing == 1 ? "has" : "have");
    }
    return 0;
}

int sh_replay_candidates(sh_candidates **out_mated, sh_candidates **out_nonmated,
                             const sh_cfg_candidates *cfg, const sh_manifest *m,
                             const sh_search_plan *p, size_t length, sh_err *err)
{
    *out_mated = *out_nonmated = NULL;
    size_t n = p->n_mated + p->n_nonmated;
    lists_reader r = {.cfg = cfg, .m = m, .p = p, .length = length};
    r.search_of = malloc((m->n_items + 1) * sizeof *r.search_of);
    r.slot_of = malloc((m->n_items + 1) * sizeof *r.slot_of);
    r.rank_line = calloc(n * length + 1, sizeof *r.rank_line);
    r.mc = sh_candidates_create(p->n_mated, length);
    r.nc = sh_candidates_create(p->n_nonmated, length);
    int rc = 0;
    if (!r.search_of || !r.slot_of || !r.rank_line || !r.mc || !r.nc)
        rc = sh_err_nomem(err);
    for (size_t i = 0; !rc && i < m->n_items; i++)
        r.search_of[i] = r.slot_of[i] = UINT32_MAX;
    for (size_t g = 0; !rc && g < p->n_gallery; g++)
        r.slot_of[p->gallery[g]] = (uint32_t)g;
    for (size_t q = 0; !rc && q < p->n_mated; q++)
        r.search_of[p->mated[q]] = (uint32_t)q;
    for (size_t q = 0; !rc && q < p->n_nonmated; q++)
        r.search_of[p->nonmated[q]] = (uint32_t)(p->n_mated + q);
    if (!rc)
        rc = sh_words_read_fast(cfg->file, "candidates file", list_row, &r, err);
    if (!rc && !r.width)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected the header \"%s\"",
                        cfg->file, SH_NIST_1N_HEADER);
    if (!rc)
        rc = check_lists(&r, err);
    free(r.search_of);
    free(r.slot_of);
    free(r.rank_line);
    if (rc) {
        sh_candidates_destroy(r.mc);
        sh_candidates_destroy(r.nc);
        return rc;
    }
    *out_mated = r.mc;
    *out_nonmated = r.nc;
    return 0;
}
