/* The order a classification report shows its groups in: Gender Shades'
 * table (Buolamwini and Gebru, 2018: All, F, M, Darker, Lighter, DF, DM,
 * LF, LM), generalised to any partitions. */
#ifndef SH_RESULTS_REPORT_REPORT_ORDER_H
#define SH_RESULTS_REPORT_REPORT_ORDER_H

#include <stddef.h>

#include "classification_results.h"

/* Fills out (c->n_groups entries) with the rows of c in Gender Shades'
 * order: All; the classified attribute's groups; the groups of every
 * other attribute that an intersection crosses; the intersections
 * ("a x b"), each with the classified attribute varying fastest (DF, DM,
 * LF, LM); then every other partition. Within the first three steps groups
 * and labels go alphabetically, as in the paper, whatever order the config
 * lists them in; partitions keep the file's order within each step, and
 * the last step's groups the file's order.
 * Returns -1 when out of memory (out then holds the file's order). */
int sh_report_gender_shades_order(size_t *out, const sh_cresults *c);

#endif
