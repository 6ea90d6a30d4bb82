/* What an engine call on one image produced: the engine's own outcomes
 * (shades_outcome in adapter.h) and those the harness records when an
 * isolated call produced nothing or a prediction could not be used. */
#ifndef SH_ENGINE_OUTCOME_H
#define SH_ENGINE_OUTCOME_H

#include <stdint.h>

#include <shades/adapter.h>

#define SH_RUN_CRASHED 16   /* the engine's worker died on this item */
#define SH_RUN_TIMED_OUT 17 /* the engine did not return within the call limit */
#define SH_RUN_BAD_REPLY 18 /* the engine's reply broke the ABI (docs/isolation.md) */
#define SH_RUN_NO_PREDICTION 19 /* classification: no class for the image (an
                                     * empty prediction, or an unknown estimate) */
#define SH_RUN_NO_SCORE 20  /* verification replay: a pair's row has an empty score */

/* 1 when an item's outcome is one the engine may report (shades_outcome)
 * or one the harness records (SH_RUN_*). */
static inline int sh_outcome_known(int32_t outcome)
{
    return (outcome >= SHADES_OUTCOME_OK && outcome <= SHADES_OUTCOME_FAILED) ||
           outcome == SH_RUN_CRASHED ||
           outcome == SH_RUN_TIMED_OUT || outcome == SH_RUN_BAD_REPLY;
}

#endif
