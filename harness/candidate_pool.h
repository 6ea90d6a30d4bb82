/* The candidates of a block of 1:N searches while they run, before their
 * lists (candidates.h) are written: the harness's search of declared
 * embeddings offers each probe every score of its row, tile by tile. */
#ifndef SH_HARNESS_CANDIDATE_POOL_H
#define SH_HARNESS_CANDIDATE_POOL_H

#include <stddef.h>
#include <stdint.h>

/* The candidates of a block of searches while they run: each search's
 * best `length` so far, in its list (candidates.h) when short, or kept
 * loosely when long (appended to a buffer, the best kept when it fills), so
 * a candidate costs no shift of a long sorted list. Owned by whoever
 * created it; filled by one thread. */
typedef struct sh_candidate_pool sh_candidate_pool;

/* A pool of `rows` empty searches of `length` (> 0) candidates, or NULL when
 * out of memory. */
sh_candidate_pool *sh_candidate_pool_create(size_t rows, size_t length);

/* Frees the pool; NULL is allowed. */
void sh_candidate_pool_destroy(sh_candidate_pool *p);

/* Offers (s, gallery index g) to search `row`, as sh_candidates_insert
 * does to a list. [thread: the row's owner] */
void sh_candidate_pool_add(sh_candidate_pool *p, size_t row, double s, uint32_t g);

/* Offers search `row` its cosine scores against ng gallery vectors (dot
 * products dot, gallery norm terms gn, gallery indices ok; probe norm term
 * pn, the same at every call for a row): as offering every score, with
 * most scores only tested in float against sh_candidates_cosine_bound. A
 * row's first offer, when it is this call, is tested first against a guess
 * of the row's last (the least the pool's latest rows reached on theirs),
 * and again without it where the list does not reach it. [thread: the
 * row's owner; the guess is the pool's, so one pool is filled by one thread] */
void sh_candidate_pool_cosine_row(sh_candidate_pool *p, size_t row, const float *dot,
                                  const float *gn, float pn, const uint32_t *ok, size_t ng);

/* Writes search `row`'s list (score, slot; the pool's length long): the
 * list inserting every score it was offered into an empty list makes,
 * where each gallery index was offered once, as a search offers them (of
 * two entries of one index that rank equal, 0 and -0, either may be
 * listed). A buffered row is sorted in place. [thread: the row's owner] */
void sh_candidate_pool_take(double *out_score, uint32_t *out_slot, sh_candidate_pool *p,
                            size_t row);

#endif
