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

void sh_embedding_score_many(double *out_scores, const shades_embedding *e,
                                 const float *gallery, const float *gallery_norms, size_t n,
                                 const float *probe, float probe_norm, float *scratch)
{
    int d = (int)e->dimension;
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)n, d, 1.0f, gallery, d, probe, 1, 0.0f,
                scratch, 1);
    for (size_t g = 0; g < n; g++)
        out_scores[g] = sh_embedding_from_dot(e, scratch[g], gallery_norms[g], probe_norm);
}
