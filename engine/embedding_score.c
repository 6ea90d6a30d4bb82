#include "embedding_score.h"

#include <cblas.h>
#include <math.h>

float sh_embedding_norm(const shades_embedding *e, const float *v)
{
    int d = (int)e->dimension;
    if (e->metric == SHADES_METRIC_COSINE) {
        float n = cblas_snrm2(d, v, 1);
        return n > 0 ? 1.0f / n : 0.0f;
    }
    if (e->metric == SHADES_METRIC_NEG_L2)
        return cblas_sdot(d, v, 1, v, 1);
    return 0.0f;
}

double sh_embedding_score(const shades_embedding *e, const float *a, float norm_a,
                              const float *b, float norm_b)
{
    int d = (int)e->dimension;
    if (e->metric == SHADES_METRIC_NEG_L2) {
        /* Straight differences: |a|^2 + |b|^2 - 2ab cancels for close pairs. */
        double s = 0;
        for (int k = 0; k < d; k++) {
            double x = (double)a[k] - (double)b[k];
            s += x * x;
        }
        return -sqrt(s);
    }
    double dot = cblas_sdot(d, a, 1, b, 1);
    return e->metric == SHADES_METRIC_COSINE ? dot * norm_a * norm_b : dot;
}

void sh_embedding_dots(float *out, const float *a, size_t n_a, size_t lda, const float *b,
                       size_t n_b, size_t ldb, size_t d)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n_a, (int)n_b, (int)d, 1.0f, a,
                (int)lda, b, (int)ldb, 0.0f, out, (int)n_b);
}
