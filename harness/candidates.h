/* Candidate lists of 1:N searches: each search's best-first list of the
 * best `length` gallery entries, and the inserts that fill it. */
#ifndef SH_HARNESS_CANDIDATES_H
#define SH_HARNESS_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

/* The longest list a run may ask for (identification.candidates): an
 * engine's own search answers into a list of this many on the stack. */
#define SH_CANDIDATES_MAX 1000u

/* The lists of n_searches searches. Owned by whoever created them. */
typedef struct sh_candidates {
    size_t n_searches;
    size_t length;         /* candidates per search (the list length L) */
    double *score;         /* n_searches x length, best first; -inf pads a short list */
    uint32_t *slot;        /* gallery index of each candidate; UINT32_MAX pads */
} sh_candidates;

/* Empty lists for n searches of `length` candidates (every slot padding),
 * or NULL when out of memory. */
sh_candidates *sh_candidates_create(size_t n, size_t length);

/* Frees candidates; NULL is allowed. */
void sh_candidates_destroy(sh_candidates *c);

/* Empties n entries of lists (score, slot): each the padding (-inf,
 * UINT32_MAX). [thread: the lists' owner] */
void sh_candidates_clear(double *score, uint32_t *slot, size_t n);

/* Inserts (s, gallery index g) into one list (score, slot; L > 0 long)
 * if it belongs: higher score first, ties to the lower index. A NaN never
 * belongs. A list does not depend on the order its candidates come in.
 * [thread: the list's owner] */
void sh_candidates_insert(double *score, uint32_t *slot, size_t L, double s, uint32_t g);

/* A float bound for one probe's cosine scores against a list whose last is
 * `last` (probe norm term pn): every score dot x gn x pn (in double, as
 * sh_embedding_from_dot forms it) that is >= last has dot x gn >= the bound,
 * exact or rounded to float. -inf where pn or last is not finite, or pn not
 * positive. */
float sh_candidates_cosine_bound(double last, float pn);

#endif
