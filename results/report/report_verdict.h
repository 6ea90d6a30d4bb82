/* A run's criteria verdict as every report format shows it: from the file's
 * /criteria rows, checked against their own values and limits, against the
 * file's criteria_passed attribute and against its signature, so that an
 * edited file never reads PASS in one place and fail in another. */
#ifndef SH_REPORT_VERDICT_H
#define SH_REPORT_VERDICT_H

#include <stddef.h>

#include "criteria.h"

#include "results.h"

/* The words a verdict may be. */
#define SH_VERDICT_PASS "PASS"
#define SH_VERDICT_FAIL "FAIL"
#define SH_VERDICT_ALTERED "ALTERED"          /* signed, and changed since */
#define SH_VERDICT_CONTRADICTED "CONTRADICTED" /* the file disagrees with itself */

/* Whether one rule's recorded pass flag is what its value, operator and
 * limit say. */
int sh_report_verdict_holds(const sh_verdict *v);

/* The word for one rule's row: "pass", "FAIL", or CONTRADICTED where its
 * flag disagrees with its numbers. */
const char *sh_report_verdict_row(const sh_verdict *v);

/* The verdict of run r, whose file's signature status is `signature`
 * (h5_sign.h's words; NULL: not checked), or NULL when it has no criteria;
 * for ALTERED and CONTRADICTED, why (cap bytes, may be NULL) says what was
 * found. */
const char *sh_report_verdict(char *why, size_t cap, const sh_results *r,
                              const char *signature);

#endif
