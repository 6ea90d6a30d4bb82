#include "roc_export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double rate(uint64_t k, uint64_t n)
{
    return n ? (double)k / (double)n : NAN;
}

/* The rows so far (r's) and the group being walked. */
typedef struct walk {
    sh_vresults *r;
    size_t cap;                 /* rows r->roc has room for */
    size_t first;               /* the group's first row */
    const sh_roc_group *g;
    uint64_t n_imp;
} walk;

/* Appends the row at threshold t: fnm genuine scores below it, fm impostor
 * scores at or above it. A threshold the group's last row has already is
 * skipped (its counts are the same). Returns 0, or -1 when out of memory. */
static int put(walk *w, double t, uint64_t fnm, uint64_t fm, int exact)
{
    sh_vresults *r = w->r;
    if (t == 0)
        t = 0.0; /* -0 and +0 are one score (sh_score_key), whichever came first */
    if (r->n_roc > w->first && r->roc[r->n_roc - 1].threshold == t)
        return 0;
    if (r->n_roc == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 1024;
        sh_vroc *grown = realloc(r->roc, cap * sizeof *grown);
        if (!grown)
            return -1;
        r->roc = grown;
        w->cap = cap;
    }
    sh_vroc *x = &r->roc[r->n_roc++];
    memset(x, 0, sizeof *x);
    snprintf(x->partition, sizeof x->partition, "%s", w->g->partition);
    snprintf(x->group, sizeof x->group, "%s", w->g->group);
    x->threshold = t;
    x->n_genuine = w->g->n_gen;
    x->n_false_nonmatch = fnm;
    x->n_impostor = w->n_imp;
    x->n_false_match = fm;
    x->fnmr = rate(fnm, w->g->n_gen);
    x->fmr = rate(fm, w->n_imp);
    x->exact_since_previous = exact;
    return 0;
}

/* One group's rows from its genuine scores and impostor distribution h,
 * whose values h keeps in the bins of win (all of them with every): bin by
 * bin upwards, each distinct score of a bin whose values are all known
 * (kept, or no impostor in it), else the bin's two edges. Then the next
 * double above the highest score, where it is known. */
static int group_rows(walk *w, const sh_score_hist *h, const sh_score_window *win, int every)
{
    const double *gen = w->g->gen, *kept = h->window;
    size_t ng = w->g->n_gen, nk = h->n_window, i = 0, j = 0;
    uint64_t below = 0; /* impostors in the bins below the current one */
    uint32_t gb = ng ? sh_score_bin(gen[0]) : UINT32_MAX, hb = sh_hist_next_bin(h, UINT32_MAX);
    int known = 0, bad = 0;
    double top = -INFINITY;
    w->first = w->r->n_roc;
    w->n_imp = h->n;
    while (!bad && (gb != UINT32_MAX || hb != UINT32_MAX)) {
        uint32_t b = gb < hb ? gb : hb;
        uint64_t in = sh_hist_in_bin(h, b), imp_lt = 0;
        known = every || !in || sh_window_has(win, b);
        while (known && !bad) {
            int has_g = i < ng && sh_score_bin(gen[i]) == b;
            int has_i = j < nk && sh_score_bin(kept[j]) == b;
            if (!has_g && !has_i)
                break;
            top = has_g && (!has_i || gen[i] <= kept[j]) ? gen[i] : kept[j];
            bad = put(w, top, i, h->n - below - imp_lt, 1);
            while (i < ng && gen[i] == top)
                i++;
            for (; j < nk && kept[j] == top; j++)
                imp_lt++;
        }
        if (!known && (b == sh_score_bin(-INFINITY) || b == sh_score_bin(INFINITY))) {
            /* The bin of an infinity holds no other score. */
            top = b == sh_score_bin(INFINITY) ? INFINITY : -INFINITY;
            bad = put(w, top, i, h->n - below, 1);
            while (i < ng && gen[i] == top)
                i++;
            known = 1;
        } else if (!known) {
            /* Edge counts are exact; the bin's scores lie between them. */
            bad = put(w, sh_score_bin_edge(b), i, h->n - below, 1);
            while (i < ng && sh_score_bin(gen[i]) == b)
                i++;
            bad |= put(w, sh_score_bin_top(b), i, h->n - below - in, 0);
        }
        below += in;
        gb = i < ng ? sh_score_bin(gen[i]) : UINT32_MAX;
        hb = sh_hist_next_bin(h, b);
    }
    /* Above every score: nothing matches falsely, every genuine pair fails. */
    if (!bad && known && (ng || h->n) && !(isinf(top) && top > 0))
        bad = put(w, nextafter(top, INFINITY), ng, 0, 1);
    return bad;
}

/* Whether a and b count the same scores in every bin. */
static int same_counts(const sh_score_hist *a, const sh_score_hist *b)
{
    if (a->n != b->n)
        return 0;
    for (uint32_t x = sh_hist_next_bin(a, UINT32_MAX); x != UINT32_MAX;
         x = sh_hist_next_bin(a, x))
        if (sh_hist_in_bin(a, x) != sh_hist_in_bin(b, x))
            return 0;
    return 1;
}

/* Replays src keeping every value (every: all bins), into *out; each
 * exported group's cell sorted and checked against imp's counts. */
static int keep_every_value(sh_impostors **out, sh_score_window *every,
                            const sh_impostors *imp, const sh_roc_group *groups, size_t n,
                            const sh_score_source *src, sh_progress *progress, sh_err *err)
{
    sh_score_window keep = {0};
    if (sh_window_add_range(every, 0, SH_HIST_BINS - 1) ||
        sh_window_add_range(&keep, 0, SH_HIST_BINS - 1)) {
        sh_window_clear(&keep);
        return sh_err_nomem(err);
    }
    sh_progress_stage(progress, "impostor pass for the ROC", src->n);
    int rc = sh_impostors_count(out, imp->groups, src, &keep, UINT32_MAX, 0, progress, err);
    if (rc)
        return rc;
    sh_progress_end(progress);
    if ((*out)->overflow)
        return sh_err_set(err, SH_E_INTERNAL,
                              "ROC export: the impostor values outgrew the pass that keeps them");
    for (size_t k = 0; k < n; k++) {
        sh_score_hist *all = sh_impostors_cell(*out, groups[k].part, groups[k].index,
                                                   groups[k].index);
        const sh_score_hist *was = sh_impostors_cell(imp, groups[k].part, groups[k].index,
                                                         groups[k].index);
        if (sh_hist_seal(all, every) || !same_counts(all, was))
            return sh_err_set(err, SH_E_ENGINE,
                                  "impostor scores changed between two passes over the same "
                                  "pairs: the engine's scores are not deterministic");
    }
    return 0;
}

int sh_roc_export(sh_vresults *r, const sh_roc_group *groups, size_t n,
                      const sh_impostors *imp, const sh_score_source *src, uint64_t cap,
                      sh_progress *progress, sh_err *err)
{
    size_t np = imp->groups->n_partitions;
    uint64_t n_imp = imp->stream[0].n;
    sh_impostors *all = NULL;
    sh_score_window every = {0};
    int rc = 0;
    r->has_roc = 1;
    if (n_imp && n_imp <= cap / (np ? np : 1))
        rc = keep_every_value(&all, &every, imp, groups, n, src, progress, err);
    walk w = {r, r->n_roc, 0, NULL, 0};
    for (size_t k = 0; !rc && k < n; k++) {
        const sh_impostors *s = all ? all : imp;
        w.g = &groups[k];
        if (group_rows(&w, sh_impostors_cell(s, groups[k].part, groups[k].index, groups[k].index),
                       all ? &every : &imp->window, all != NULL))
            rc = sh_err_nomem(err);
    }
    sh_impostors_destroy(all);
    sh_window_clear(&every);
    return rc;
}
