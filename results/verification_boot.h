/* The subject bootstrap for 1:1 verification rates at fixed thresholds.
 * A replicate draws subjects with replacement (weights w, see bootstrap.h);
 * a genuine pair counts w_s times and an impostor pair of subjects a and b
 * counts w_a * w_b times, so all of a subject's pairs move together. */
#ifndef SH_RESULTS_VERIFICATION_BOOT_H
#define SH_RESULTS_VERIFICATION_BOOT_H

#include <stddef.h>
#include <stdint.h>

/* Per-subject tables of one partition. Built single-threaded, then
 * sh_vboot_replicate may run from any number of threads at once. */
typedef struct sh_vboot sh_vboot;

/* A table for n_groups groups over n_subjects subjects at n_thresholds
 * thresholds (NaN ones are skipped). `complete` says the impostor pairs are
 * every same-group pair of different subjects, so their weighted count has
 * a closed form and need not be stored pair by pair. NULL when out of
 * memory. */
sh_vboot *sh_vboot_create(size_t n_subjects, size_t n_groups, const double *thresholds,
                                  size_t n_thresholds, int complete);

/* Frees a table; NULL is allowed. */
void sh_vboot_destroy(sh_vboot *b);

/* Records one image of subject s in group g. */
void sh_vboot_add_image(sh_vboot *b, size_t g, uint32_t s);

/* Records a genuine pair of subject s in group g with its score (-inf for
 * a failed template). */
void sh_vboot_add_genuine(sh_vboot *b, size_t g, uint32_t s, double score);

/* Records that subjects a and sb of group g were compared once, for a
 * table that is not complete. Returns 0, or -1 when out of memory. */
int sh_vboot_add_impostor(sh_vboot *b, size_t g, uint32_t a, uint32_t sb);

/* Records a same-group impostor pair of subjects a and sb with its score;
 * only scores at or above the lowest threshold matter, so the caller may
 * pass just those. Returns 0, or -1 when out of memory. */
int sh_vboot_add_match(sh_vboot *b, size_t g, uint32_t a, uint32_t sb, double score);

/* Records that subjects a and sb were compared once across groups gi and
 * gj (gi != gj), for a table that is not complete (the FMR matrix's
 * off-diagonal cells). Returns 0, or -1 when out of memory. */
int sh_vboot_add_cross_impostor(sh_vboot *b, size_t gi, size_t gj, uint32_t a, uint32_t sb);

/* Records an impostor pair of subjects a and sb across groups gi != gj
 * with its score, as sh_vboot_add_match does for one group. Returns 0, or
 * -1 when out of memory. */
int sh_vboot_add_cross_match(sh_vboot *b, size_t gi, size_t gj, uint32_t a, uint32_t sb,
                             double score);

/* Ends recording. Returns 0, or -1 when out of memory. */
int sh_vboot_finish(sh_vboot *b);

/* Weighted counts for one replicate's subject weights w: for group g and
 * threshold k, errors in out_fnmr_k[g * n_thresholds + k] of out_fnmr_n[g]
 * genuine pairs, and likewise for FMR. Weights of all ones give the
 * observed counts. */
void sh_vboot_replicate(const sh_vboot *b, const uint32_t *w, double *out_fnmr_k,
                            double *out_fnmr_n, double *out_fmr_k, double *out_fmr_n);

/* The off-diagonal cells of the cross-group FMR matrix for weights w: for
 * groups i < j and threshold k, weighted false matches in
 * out_k[(i * n_groups + j) * n_thresholds + k] of out_n[i * n_groups + j]
 * impostor pairs (both n_groups^2 long); the other entries are scratch
 * (the diagonal is sh_vboot_replicate's per-group FMR). */
void sh_vboot_replicate_cross(const sh_vboot *b, const uint32_t *w, double *out_k,
                              double *out_n);

#endif
