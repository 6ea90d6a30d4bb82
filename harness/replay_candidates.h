/* 1:N replay: a file of candidate lists in NIST's 1:N layout stands in for
 * the engine's searches (docs/datasets.md, "Replay"). */
#ifndef SH_HARNESS_REPLAY_CANDIDATES_H
#define SH_HARNESS_REPLAY_CANDIDATES_H

#include "config.h"
#include "error.h"
#include "identification.h"
#include "manifest.h"
#include "runner.h"

/* The columns of NIST's 1:N candidate-list logs, space-separated, one row
 * per candidate slot: searchId candidateRank (from 0) searchRetCode (0: the
 * search succeeded) isAssigned (0 or 1) templateId score decision. */
#define SH_NIST_1N_HEADER "searchId candidateRank searchRetCode isAssigned templateId score decision"

/* The gallery a replay searched: from cfg->gallery (a CSV whose image_id
 * column lists the enrolled images, one per subject, in slot order) when
 * set, else `drawn` (the run's own, from its seed), which *out then takes
 * over (drawn is set to NULL). */
int sh_replay_gallery(sh_search_plan **out, sh_search_plan **drawn,
                          const sh_cfg_candidates *cfg, const sh_manifest *m, sh_err *err);

/* Reads cfg->file into out_mated and out_nonmated (p's searches, in p's
 * order, `length` candidates each). Every row names a manifest image as
 * searchId and, when assigned, an enrolled image as templateId; a search's
 * assigned ranks run from 0 without a gap, their scores never rising. Fails
 * naming the line and field on any other row, and naming the search when
 * one of p's searches has no row. */
int sh_replay_candidates(sh_candidates **out_mated, sh_candidates **out_nonmated,
                             const sh_cfg_candidates *cfg, const sh_manifest *m,
                             const sh_search_plan *p, size_t length, sh_err *err);

#endif
