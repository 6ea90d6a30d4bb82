#include "replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classification_measures.h"
#include "csv_fast.h"
#include "csv_rows.h"
#include "fast_float.h"
#include "names.h"
#include "pair_map.h"
#include "replay_rows.h"
#include "str_index.h"
#include "utf8.h"

int sh_replay_header(sh_replay_columns *c, char **fields, size_t n,
                     const char *const names[3], const char *section,
                     const char *const keys[3], int optional_last, sh_err *err)
{
    for (int k = 0; k < 3; k++) {
        c->col[k] = sh_csv_column(fields, n, names[k]);
        if (c->col[k] < 0 && !(optional_last && k == 2))
            return sh_err_set(err, SH_E_INPUT, "header: no column '%s' (engine.%s.%s)%s",
                                  names[k], section, keys[k],
                                  sh_csv_separator_hint(fields, n));
    }
    c->n = n;
    return 0;
}

int sh_replay_width(const sh_replay_columns *c, size_t n, sh_err *err)
{
    if (n != c->n)
        return sh_err_set(err, SH_E_INPUT, "row has %zu fields, the header has %zu", n,
                              c->n);
    return 0;
}

/* The item of id text[0..len), through the cache when it holds it. An
 * empty cache has len 0, so an empty id never matches it: it read as the
 * cache's item 0, the manifest's first image, until 2026-12-05. */
static long find_id(const sh_str_index *ids, sh_replay_cache *cache, const char *text,
                    size_t len)
{
    if (cache && cache->len && cache->len == len) {
        size_t j = 0;
        while (j < len && cache->text[j] == text[j])
            j++;
        if (j == len)
            return (long)cache->item;
    }
    long i = sh_str_index_find(ids, text, len);
    if (cache && i >= 0 && len && len <= sizeof cache->text) {
        memcpy(cache->text, text, len);
        cache->len = len;
        cache->item = (uint32_t)i;
    }
    return i;
}

int sh_replay_row(uint32_t *out_ref, uint32_t *out_probe, double *out_score, char **f,
                  const size_t *lens, sh_replay_cache *cache, const sh_replay_columns *cols,
                  const sh_cfg_scores *cfg, const sh_manifest *m, const sh_str_index *ids,
                  sh_err *err)
{
    int c0 = cols->col[0], c1 = cols->col[1];
    const char *ref_id = f[c0], *probe_id = f[c1];
    const char *text = f[cols->col[2]];
    long ref = find_id(ids, cache, ref_id, lens ? lens[c0] : strlen(ref_id));
    long probe = ref < 0 ? -1 : find_id(ids, NULL, probe_id, lens ? lens[c1] : strlen(probe_id));
    if (ref < 0 || probe < 0) {
        /* The id as the file has it, made printable (it may not be UTF-8). */
        char id[256];
        sh_utf8_printable(id, sizeof id, ref < 0 ? ref_id : probe_id);
        return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is not an image_id of %s",
                          ref < 0 ? cfg->reference : cfg->probe, id, m->path);
    }
    double score = -INFINITY;
    if (text[0] && !(sh_parse_double(text, &score) && isfinite(score)))
        return sh_err_set(err, SH_E_INPUT,
                              "field '%s': '%s' is not a finite number (leave it empty for "
                              "a failed comparison)",
                              cfg->score, text);
    *out_ref = (uint32_t)ref;
    *out_probe = (uint32_t)probe;
    *out_score = score;
    return 0;
}

/* ---- scores ---- */

typedef struct scores_reader {
    sh_replay_columns cols;
    const sh_cfg_scores *cfg;
    const sh_manifest *m;
    const sh_pairs *pairs;
    const sh_str_index *ids;   /* the manifest's image ids */
    sh_replay_cache cache;
    sh_pair_map *want;     /* (a, b) of each pair -> its index, genuine first */
    sh_pair_map *seen;     /* (reference, probe) of each row -> line */
    size_t *line_of;           /* per pair: the row that scored it, 0 if none */
    double *genuine, *impostor;
} scores_reader;

static int score_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    scores_reader *r = ctx;
    const sh_cfg_scores *cfg = r->cfg;
    if (!r->cols.n) {
        static const char *const keys[3] = {"reference", "probe", "score"};
        const char *names[3] = {cfg->reference, cfg->probe, cfg->score};
        return sh_replay_header(&r->cols, f, n, names, "scores", keys, 0, err);
    }
    int rc = sh_replay_width(&r->cols, n, err);
    if (rc)
        return rc;
    const char *ref_id = f[r->cols.col[0]], *probe_id = f[r->cols.col[1]];
    uint32_t ref, probe;
    double score;
    rc = sh_replay_row(&ref, &probe, &score, f, NULL, &r->cache, &r->cols, cfg, r->m, r->ids,
                       err);
    if (rc)
        return rc;
    uint64_t first = 0;
    int put = sh_pair_map_put(&first, r->seen, ref, probe, line);
    if (put < 0)
        return sh_err_nomem(err);
    if (put == 0)
        return sh_err_set(err, SH_E_INPUT,
                              "reference '%s' and probe '%s' are scored twice (first on line %llu)",
                              ref_id, probe_id, (unsigned long long)first);
    uint64_t k;
    if (!sh_pair_map_get(&k, r->want, ref, probe) && !sh_pair_map_get(&k, r->want, probe, ref))
        return 0; /* a pair this run does not use */
    if (r->line_of[k])
        return sh_err_set(err, SH_E_INPUT,
                              "reference '%s' and probe '%s' score the pair that line %zu "
                              "already scored",
                              ref_id, probe_id, r->line_of[k]);
    r->line_of[k] = line;
    size_t ng = r->pairs->n_genuine;
    if (k < ng)
        r->genuine[k] = score;
    else
        r->impostor[k - ng] = score;
    return 0;
}

/* Reports the first pair of the run without a score. */
static int missing_score(const scores_reader *r, sh_err *err)
{
    const sh_pairs *p = r->pairs;
    size_t total = p->n_genuine + p->n_impostor;
    for (size_t k = 0; k < total; k++) {
        if (r->line_of[k])
            continue;
        int g = k < p->n_genuine;
        size_t i = g ? k : k - p->n_genuine;
        sh_pair pair = g ? p->genuine[i] : p->impostor[i];
        const size_t *lines = g ? p->genuine_line : p->impostor_line;
        char where[64] = "";
        if (lines)
            snprintf(where, sizeof where, " (pair list line %zu)", lines[i]);
        size_t missing = 0;
        for (size_t j = k; j < total; j++)
            missing += !r->line_of[j];
        return sh_err_set(err, SH_E_INPUT,
                              "%s: no score for reference '%s' and probe '%s'%s; %zu pair%s of "
                              "the run %s no score",
                              r->cfg->file, r->m->image_id[pair.a], r->m->image_id[pair.b], where,
                              missing, missing == 1 ? "" : "s", missing == 1 ? "has" : "have");
    }
    return 0;
}

int sh_replay_scores(double *out_genuine, double *out_impostor, const sh_cfg_scores *cfg,
                         const sh_manifest *m, const sh_pairs *pairs, sh_err *err)
{
    size_t total = pairs->n_genuine + pairs->n_impostor;
    scores_reader r = {.cfg = cfg, .m = m, .pairs = pairs, .genuine = out_genuine,
                       .impostor = out_impostor};
    sh_str_index *ids = sh_str_index_create((const char *const *)m->image_id, m->n_items);
    r.ids = ids;
    r.want = sh_pair_map_create(total);
    r.seen = sh_pair_map_create(total);
    r.line_of = calloc(total ? total : 1, sizeof *r.line_of);
    int rc = ids && r.want && r.seen && r.line_of ? 0 : sh_err_nomem(err);
    for (size_t k = 0; !rc && k < total; k++) {
        sh_pair p = k < pairs->n_genuine ? pairs->genuine[k]
                                             : pairs->impostor[k - pairs->n_genuine];
        if (sh_pair_map_put(NULL, r.want, p.a, p.b, k) < 0)
            rc = sh_err_nomem(err);
    }
    if (!rc)
        rc = sh_csv_read_fast(cfg->file, "scores file", score_row, &r, err);
    if (!rc && !r.cols.n)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row",
                            cfg->file);
    if (!rc)
        rc = missing_score(&r, err);
    sh_str_index_destroy(ids);
    sh_pair_map_destroy(r.want);
    sh_pair_map_destroy(r.seen);
    free(r.line_of);
    return rc;
}

/* ---- predictions ---- */

typedef struct predictions_reader {
    sh_replay_columns cols;
    const sh_cfg_predictions *cfg;
    const sh_manifest *m;
    const char *const *class_names;
    size_t n_classes;
    int32_t *predicted;
    size_t *line_of;           /* per item: the row that predicted it, 0 if none */
} predictions_reader;

/* The confidence column's name: the config's, else the default one, which
 * a file need not have. */
static const char *confidence_column(const sh_cfg_predictions *cfg)
{
    return cfg->confidence ? cfg->confidence : "confidence";
}

static int prediction_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    predictions_reader *r = ctx;
    const sh_cfg_predictions *cfg = r->cfg;
    if (!r->cols.n) {
        static const char *const keys[3] = {"image", "predicted", "confidence"};
        /* A confidence column the config names must be there; the default
         * one is read where the file has it. */
        const char *names[3] = {cfg->image, cfg->predicted, confidence_column(cfg)};
        return sh_replay_header(&r->cols, f, n, names, "predictions", keys, !cfg->confidence,
                                err);
    }
    int rc = sh_replay_width(&r->cols, n, err);
    if (rc)
        return rc;
    const char *id = f[r->cols.col[0]], *label = f[r->cols.col[1]];
    long i = sh_manifest_find(r->m, id);
    if (i < 0)
        return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is not an image_id of %s",
                              cfg->image, id, r->m->path);
    if (r->line_of[i])
        return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is predicted twice "
                              "(first on line %zu)", cfg->image, id, r->line_of[i]);
    int32_t cls = SH_NO_PREDICTION;
    if (label[0]) {
        for (size_t c = 0; c < r->n_classes && cls < 0; c++)
            if (!strcmp(label, r->class_names[c]))
                cls = (int32_t)c;
        if (cls < 0) {
            char list[256];
            sh_names_join(list, sizeof list, r->class_names, r->n_classes);
            return sh_err_set(err, SH_E_INPUT,
                                  "field '%s': '%s' is not one of the classes %s (leave it "
                                  "empty for no prediction)",
                                  cfg->predicted, label, list);
        }
    }
    if (r->cols.col[2] >= 0 && f[r->cols.col[2]][0]) {
        char *end;
        double conf = strtod(f[r->cols.col[2]], &end);
        if (*end || !(conf >= 0 && conf <= 1))
            return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is not a number in [0, 1]",
                                  confidence_column(cfg), f[r->cols.col[2]]);
    }
    r->predicted[i] = cls;
    r->line_of[i] = line;
    return 0;
}

int sh_replay_predictions(int32_t *out_predicted, const sh_cfg_predictions *cfg,
                              const sh_manifest *m, const char *const *class_names,
                              size_t n_classes, sh_err *err)
{
    predictions_reader r = {.cfg = cfg, .m = m, .class_names = class_names,
                            .n_classes = n_classes, .predicted = out_predicted};
    r.line_of = calloc(m->n_items, sizeof *r.line_of);
    if (!r.line_of)
        return sh_err_nomem(err);
    int rc = sh_csv_read_fast(cfg->file, "predictions file", prediction_row, &r, err);
    if (!rc && !r.cols.n)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row",
                            cfg->file);
    size_t missing = 0, first = 0;
    for (size_t i = 0; !rc && i < m->n_items; i++)
        if (!r.line_of[i] && !missing++)
            first = i;
    if (!rc && missing)
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s: no prediction for image '%s' (%s line %zu); %zu image%s of the "
                            "manifest %s no row (an empty predicted field records a failure)",
                            cfg->file, m->image_id[first], m->path, m->line[first], missing,
                            missing == 1 ? "" : "s", missing == 1 ? "has" : "have");
    free(r.line_of);
    return rc;
}
