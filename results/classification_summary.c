/* The subject bootstrap and the differential summaries of classification:
 * bootstrap bounds for every group's error rate, and per partition one
 * summary row (each summary with a bootstrap interval, the gap's Fisher p,
 * the omnibus test) and the pairwise tests. A replicate draws subjects with
 * replacement (bootstrap.h), so all of a subject's images move together. */
#include "classification_results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "differential.h"
#include "proportion_test.h"
#include "rate_tests.h"
#include "verification_tables.h"

const sh_csummary_field sh_csummary_fields[SH_CSUMMARY_FIELDS] = {
    {"error_max_min", offsetof(sh_csummary, error_max_min)},
    {"error_max_geomean", offsetof(sh_csummary, error_max_geomean)},
    {"error_gini", offsetof(sh_csummary, error_gini)},
    {"error_gap", offsetof(sh_csummary, error_gap)},
};

/* The summaries of rs in sh_csummary_fields' order. */
static void summary_values(double out[SH_CSUMMARY_FIELDS], const sh_rate_summary *rs)
{
    out[0] = rs->max_min;
    out[1] = rs->max_geomean;
    out[2] = rs->gini;
    out[3] = rs->gap;
}

static double *field(sh_csummary *s, size_t f)
{
    return (double *)((char *)s + sh_csummary_fields[f].offset);
}

/* One partition as the bootstrap sees it, with each group's subjects:
 * entries start[g] to start[g + 1] hold a subject, its images in the group
 * and its errors there. */
typedef struct cpart {
    const char *name;
    size_t n_groups;
    const char *const *group_names;
    const int32_t *item_group;      /* NULL: every item in group 0 ("all") */
    const uint8_t *too_small;       /* NULL: none */
    const uint64_t *n_subjects;     /* per group; NULL for "all" */
    size_t first_row;               /* its first row in r->groups */
    size_t summary;                 /* its row in r->summaries, or SIZE_MAX */
    size_t *start;
    uint32_t *subject, *n, *e;
} cpart;

static void cpart_free(cpart *p)
{
    free(p->start);
    free(p->subject);
    free(p->n);
    free(p->e);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Fills p's per-subject entries: items keyed by group, subject and error,
 * sorted, then counted run by run. Returns 0, or -1 when out of memory. */
static int cpart_build(cpart *p, const uint32_t *subject, const int32_t *truth,
                       const int32_t *predicted, size_t n_items)
{
    uint64_t *key = malloc((n_items ? n_items : 1) * sizeof *key);
    p->start = calloc(p->n_groups + 1, sizeof *p->start);
    p->subject = malloc((n_items ? n_items : 1) * sizeof *p->subject);
    p->n = malloc((n_items ? n_items : 1) * sizeof *p->n);
    p->e = malloc((n_items ? n_items : 1) * sizeof *p->e);
    if (!key || !p->start || !p->subject || !p->n || !p->e) {
        free(key);
        return -1;
    }
    for (size_t i = 0; i < n_items; i++) {
        uint64_t g = p->item_group ? (uint64_t)p->item_group[i] : 0;
        key[i] = g << 33 | (uint64_t)subject[i] << 1 | (predicted[i] != truth[i]);
    }
    qsort(key, n_items, sizeof *key, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < n_items; i++) {
        size_t g = (size_t)(key[i] >> 33);
        uint32_t s = (uint32_t)(key[i] >> 1);
        if (!m || p->subject[m - 1] != s || (size_t)(key[i - 1] >> 33) != g) {
            p->subject[m] = s;
            p->n[m] = p->e[m] = 0;
            p->start[g + 1] = ++m;
        }
        p->n[m - 1]++;
        p->e[m - 1] += (uint32_t)(key[i] & 1);
    }
    /* Groups without items start where the one before them ends. */
    for (size_t g = 1; g <= p->n_groups; g++)
        if (p->start[g] < p->start[g - 1])
            p->start[g] = p->start[g - 1];
    free(key);
    return 0;
}

/* Shared by the replicate workers. */
typedef struct cjob {
    const cpart *parts;
    size_t n_parts, n_subjects, max_groups, n_summaries;
    unsigned R;
    uint64_t seed;
    double *rep_rate;      /* [group row][replicate] */
    double *rep_sum;       /* [summary][field][replicate] */
    sh_progress *progress;
} cjob;

static int replicate_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    const cjob *j = ctx;
    uint32_t *w = malloc((j->n_subjects ? j->n_subjects : 1) * sizeof *w);
    double *k = malloc(2 * j->max_groups * sizeof *k), *n = k ? k + j->max_groups : NULL;
    int rc = w && k ? 0 : sh_err_nomem(err);
    for (size_t b = begin; !rc && b < end; b++) {
        if (sh_boot_weights(w, j->n_subjects, j->seed, b)) {
            rc = sh_err_nomem(err);
            break;
        }
        for (size_t pi = 0; pi < j->n_parts; pi++) {
            const cpart *p = &j->parts[pi];
            int missing = 0;
            for (size_t g = 0; g < p->n_groups; g++) {
                double wk = 0, wn = 0;
                for (size_t x = p->start[g]; x < p->start[g + 1]; x++) {
                    wk += (double)w[p->subject[x]] * p->e[x];
                    wn += (double)w[p->subject[x]] * p->n[x];
                }
                j->rep_rate[(p->first_row + g) * j->R + b] = wn > 0 ? wk / wn : NAN;
                int small = p->too_small && p->too_small[g];
                k[g] = wk;
                n[g] = small ? 0 : wn;
                missing |= !small && p->start[g + 1] > p->start[g] && wn == 0;
            }
            if (p->summary == SIZE_MAX)
                continue;
            /* A replicate that drew none of a group's subjects summarises
             * fewer groups: a different statistic, so it gives none. */
            sh_rate_summary rs;
            sh_rate_summarise(&rs, k, n, p->n_groups);
            double v[SH_CSUMMARY_FIELDS];
            summary_values(v, &rs);
            for (size_t f = 0; missing && f < SH_CSUMMARY_FIELDS; f++)
                v[f] = NAN;
            for (size_t f = 0; f < SH_CSUMMARY_FIELDS; f++)
                j->rep_sum[(p->summary * SH_CSUMMARY_FIELDS + f) * j->R + b] = v[f];
        }
        sh_progress_add(j->progress, 1);
    }
    free(w);
    free(k);
    return rc;
}

/* The observed summary row of partition p, its omnibus test and its pair
 * rows (rep: the replicates' rates, or NULL). */
static int observe(sh_cresults *r, const cpart *p, const double *rep, unsigned R)
{
    sh_csummary *s = &r->summaries[p->summary];
    memset(s, 0, sizeof *s);
    snprintf(s->partition, sizeof s->partition, "%s", p->name);
    size_t ng = p->n_groups;
    double *k = malloc(2 * ng * sizeof *k), *n = k ? k + ng : NULL;
    size_t *row = malloc(ng * sizeof *row);
    uint8_t *judged = malloc(ng);
    size_t m = ng * (ng - 1) / 2;
    double *pf = malloc((m ? m : 1) * 4 * sizeof *pf);
    /* The family tested: groups with items and not too small, packed. */
    double *fe = malloc(2 * ng * sizeof *fe), *ft = fe ? fe + ng : NULL;
    if (!k || !row || !judged || !pf || !fe) {
        free(k);
        free(row);
        free(judged);
        free(pf);
        free(fe);
        return -1;
    }
    size_t nf = 0;
    for (size_t g = 0; g < ng; g++) {
        const sh_crow *cr = &r->groups[p->first_row + g];
        k[g] = (double)cr->errors;
        n[g] = cr->too_small ? 0 : (double)cr->n;
        if (!n[g])
            continue;
        row[nf] = p->first_row + g;
        fe[nf] = k[g];
        ft[nf] = n[g];
        judged[nf++] = cr->errors > 0 && cr->errors < cr->n &&
                       p->n_subjects && p->n_subjects[g] >= SH_TEST_BOOT_SUBJECTS;
    }
    sh_rate_summary rs;
    sh_rate_summarise(&rs, k, n, ng);
    double v[SH_CSUMMARY_FIELDS];
    summary_values(v, &rs);
    for (size_t f = 0; f < SH_CSUMMARY_FIELDS; f++) {
        field(s, f)[0] = v[f];
        field(s, f)[1] = field(s, f)[2] = NAN;
    }
    s->n_groups = (int32_t)rs.n_groups;
    s->zero_groups = (int32_t)rs.n_zero;
    s->error_gap_p = NAN;
    if (rs.n_groups >= 2) {
        snprintf(s->error_gap_high, sizeof s->error_gap_high, "%s", p->group_names[rs.gap_hi]);
        snprintf(s->error_gap_low, sizeof s->error_gap_low, "%s", p->group_names[rs.gap_lo]);
        s->error_gap_p = sh_fisher_exact((uint64_t)k[rs.gap_hi], (uint64_t)n[rs.gap_hi],
                                         (uint64_t)k[rs.gap_lo], (uint64_t)n[rs.gap_lo]);
    }
    sh_rate_family fam = {nf, row, fe, ft, judged, rep, R};
    s->df = nf ? (int32_t)nf - 1 : 0;
    int bad = sh_rate_omnibus(&s->chi2, &s->p_chi2, &s->p_boot, &fam) ||
              sh_rate_pairwise(pf, pf + m, pf + 2 * m, pf + 3 * m, &fam);
    for (size_t a = 0, q = 0; !bad && a < nf; a++)
        for (size_t b = a + 1; b < nf; b++, q++) {
            sh_cpair_test *t = &r->pairwise[r->n_pairwise++];
            const sh_crow *ra = &r->groups[row[a]], *rb = &r->groups[row[b]];
            memset(t, 0, sizeof *t);
            snprintf(t->partition, sizeof t->partition, "%s", p->name);
            snprintf(t->group_a, sizeof t->group_a, "%s", ra->group);
            snprintf(t->group_b, sizeof t->group_b, "%s", rb->group);
            t->errors_a = ra->errors;
            t->n_a = ra->n;
            t->errors_b = rb->errors;
            t->n_b = rb->n;
            t->p_fisher = pf[q];
            t->p_fisher_holm = pf[m + q];
            t->p_boot = pf[2 * m + q];
            t->p_boot_holm = pf[3 * m + q];
        }
    free(k);
    free(row);
    free(judged);
    free(pf);
    free(fe);
    return bad ? -1 : 0;
}

int sh_classification_summarise(sh_cresults *r, const sh_groups *g, const int32_t *truth,
                                const int32_t *predicted, size_t n_items,
                                const sh_cmeasure_options *o, sh_err *err)
{
    static const char *const all_names[] = {"All"};
    size_t n_parts = 1 + g->n_partitions, max_groups = 1, n_pairs = 0;
    cpart *parts = calloc(n_parts, sizeof *parts);
    r->summaries = calloc(g->n_partitions + 1, sizeof *r->summaries);
    for (size_t p = 0; p < g->n_partitions; p++) {
        size_t ng = g->partitions[p].n_groups;
        n_pairs += ng * (ng - 1) / 2;
        max_groups = ng > max_groups ? ng : max_groups;
    }
    r->pairwise = calloc(n_pairs ? n_pairs : 1, sizeof *r->pairwise);
    if (!parts || !r->summaries || !r->pairwise) {
        free(parts);
        return sh_err_nomem(err);
    }
    parts[0] = (cpart){.name = "all", .n_groups = 1, .group_names = all_names,
                       .summary = SIZE_MAX};
    size_t row = 1;
    for (size_t p = 0; p < g->n_partitions; p++) {
        const sh_partition *part = &g->partitions[p];
        parts[p + 1] = (cpart){part->name, part->n_groups,
                               (const char *const *)part->group_names, part->item_group,
                               part->too_small, part->n_subjects, row, p, NULL, NULL, NULL,
                               NULL};
        row += part->n_groups;
    }
    r->n_summaries = g->n_partitions;
    unsigned R = o->subject ? o->bootstrap : 0;
    r->bootstrap = R;
    cjob job = {parts, n_parts, o->n_subjects, max_groups, r->n_summaries, R, o->seed,
                NULL, NULL, o->progress};
    int rc = 0;
    if (R) {
        job.rep_rate = malloc(r->n_groups * R * sizeof *job.rep_rate);
        job.rep_sum = malloc((r->n_summaries ? r->n_summaries : 1) * SH_CSUMMARY_FIELDS * R *
                             sizeof *job.rep_sum);
        int bad = !job.rep_rate || !job.rep_sum;
        for (size_t p = 0; !bad && p < n_parts; p++)
            bad = cpart_build(&parts[p], o->subject, truth, predicted, n_items);
        rc = bad ? sh_err_nomem(err) : 0;
        if (!rc) {
            sh_progress_stage(job.progress, "bootstrap", R);
            size_t R8 = R * sizeof(double);
            sh_ranks_array made[2] = {
                {job.rep_rate, sizeof(double), r->n_groups, R8},
                {job.rep_sum, sizeof(double), r->n_summaries * SH_CSUMMARY_FIELDS, R8}};
            /* Under MPI each rank draws its share of the replicates (ranks.h). */
            rc = sh_ranks_for_blocks(o->ranks, o->executor, 0, R, 16, replicate_block, &job, made,
                                     2, err);
            if (!rc) {
                sh_progress_add(job.progress, sh_ranks_items_elsewhere(o->ranks, R, 16));
                sh_progress_end(job.progress);
            }
        }
    }
    /* The tests pair groups' rates replicate by replicate: before the
     * bounds below sort each row's replicates. */
    for (size_t p = 1; !rc && p < n_parts; p++)
        if (observe(r, &parts[p], job.rep_rate, R))
            rc = sh_err_nomem(err);
    for (size_t p = 0; !rc && R && p < n_parts; p++)
        for (size_t g = 0; g < parts[p].n_groups; g++) {
            size_t i = parts[p].first_row + g;
            sh_crow *cr = &r->groups[i];
            uint64_t ns = !p                   ? o->n_subjects
                          : parts[p].n_subjects ? parts[p].n_subjects[g]
                                                : UINT64_MAX;
            sh_boot_rate_bounds(&cr->error_boot_lo, &cr->error_boot_hi, job.rep_rate + i * R,
                                R, cr->errors, cr->n, ns, o->confidence);
        }
    for (size_t s = 0; !rc && R && s < r->n_summaries; s++) {
        for (size_t f = 0; f < SH_CSUMMARY_FIELDS; f++) {
            double *v = field(&r->summaries[s], f);
            if (!isnan(v[0]))
                sh_boot_percentile(&v[1], &v[2],
                                   job.rep_sum + (s * SH_CSUMMARY_FIELDS + f) * R, R,
                                   o->confidence);
        }
    }
    for (size_t p = 0; p < n_parts; p++)
        cpart_free(&parts[p]);
    free(parts);
    free(job.rep_rate);
    free(job.rep_sum);
    return rc;
}
