/* Scores of declared embeddings (shades_embedding) computed by the
 * harness with BLAS instead of the engine's compare. */
#ifndef SH_ENGINE_EMBEDDING_SCORE_H
#define SH_ENGINE_EMBEDDING_SCORE_H

#include <math.h>

#include <shades/adapter.h>

/* The vector inside a template (the declaration's offset is 4-aligned and
 * templates start 8-aligned). */
static inline const float *sh_embedding_vector(const shades_embedding *e, const uint8_t *t)
{
    return (const float *)(const void *)(t + e->offset);
}

/* What the metric needs of one vector, computed once per template: 1/|v|
 * for cosine (0 for a zero vector), |v|^2 for negative L2, else 0. */
float sh_embedding_norm(const shades_embedding *e, const float *v);

/* The score of two vectors from their dot product (float BLAS) and their
 * norm terms (sh_embedding_norm). [thread: any] */
static inline double sh_embedding_from_dot(const shades_embedding *e, double dot,
                                               float norm_a, float norm_b)
{
    if (e->metric == SHADES_METRIC_COSINE)
        return dot * norm_a * norm_b;
    if (e->metric == SHADES_METRIC_NEG_L2)
        return -sqrt(fmax(0.0, (double)norm_a + norm_b - 2 * dot));
    return dot;
}

/* The score of two vectors with their norms. [thread: any] */
double sh_embedding_score(const shades_embedding *e, const float *a, float norm_a,
                              const float *b, float norm_b);

/* The dot products of n_a vectors of d floats (a, lda floats apart) with
 * n_b (b, ldb apart) into out (n_a x n_b, row by row), with one sgemm on
 * BLAS's current threads. Each is what sgemm returns for that pair at this
 * d, as the impostor blocks score it. [thread: any] */
void sh_embedding_dots(float *out, const float *a, size_t n_a, size_t lda, const float *b,
                       size_t n_b, size_t ldb, size_t d);

#endif
