/* The subject bootstrap of each group's own threshold (BFW) and of its
 * FNMR and FMR there: a replicate recomputes the threshold from weighted
 * counts (a genuine pair weighs w_s, an impostor pair w_a * w_b, as in
 * verification_boot.h). Impostor pairs are held only from a score `edge`
 * up; a replicate whose answer needs pairs below it says so. */
#ifndef SH_RESULTS_VERIFICATION_OWN_H
#define SH_RESULTS_VERIFICATION_OWN_H

#include <stddef.h>
#include <stdint.h>

#include "verification_tables.h"

/* Per-group scores of one partition. Built single-threaded, then read by
 * any number of threads at once. */
typedef struct sh_vown sh_vown;

/* What a replicate found. */
typedef enum sh_vown_status {
    SH_VOWN_OK,          /* the threshold and both rates are exact */
    SH_VOWN_NONE,        /* no threshold: the weighted counts cannot support the target */
    SH_VOWN_BELOW_KEPT   /* the answer needs impostor pairs below the edge */
} sh_vown_status;

/* A table for n_groups groups holding same-group impostor pairs scored at
 * or above edge (-inf: every pair). NULL when out of memory. */
sh_vown *sh_vown_create(size_t n_groups, double edge);

/* Frees a table; NULL is allowed. */
void sh_vown_destroy(sh_vown *o);

/* Records a genuine pair of subject s in group g (-inf: failed). Returns
 * 0, or -1 when out of memory. */
int sh_vown_add_genuine(sh_vown *o, size_t g, uint32_t s, double score);

/* Records a same-group impostor pair of subjects a and b; scores below the
 * edge are ignored. Returns 0, or -1 when out of memory. */
int sh_vown_add_impostor(sh_vown *o, size_t g, uint32_t a, uint32_t b, double score);

/* Ends recording (sorts). */
void sh_vown_finish(sh_vown *o);

/* Group g's own threshold at point p (a target FMR or FNMR) for weights
 * w, with n_gen and n_imp the replicate's weighted genuine and impostor
 * pairs of the group (sh_vboot_replicate's), and the FNMR and FMR there.
 * Weights of all ones give the observed threshold and rates. */
sh_vown_status sh_vown_threshold(const sh_vown *o, size_t g, sh_vpoint p, const uint32_t *w,
                                 double n_gen, double n_imp, double *out_t,
                                 double *out_fnmr, double *out_fmr);

/* Group g's EER for weights w (n_gen and n_imp as for sh_vown_threshold):
 * the least max(FMR(t), FNMR(t)) over every t, as sh_eer defines it. Exact
 * when the least over the thresholds at or above the edge is no more than
 * the held pairs' FMR (every threshold below gives at least that FMR);
 * SH_VOWN_BELOW_KEPT otherwise, SH_VOWN_NONE when a side weighs nothing. */
sh_vown_status sh_vown_eer(const sh_vown *o, size_t g, const uint32_t *w, double n_gen,
                           double n_imp, double *out_eer);

#endif
