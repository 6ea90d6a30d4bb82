#include "report_verdict.h"

#include <stdio.h>
#include <string.h>

#include "criteria.h"

int sh_report_verdict_holds(const sh_verdict *v)
{
    int meets = sh_verdict_meets(v->value, v->op, v->limit);
    return meets >= 0 && !meets == !v->pass;
}

const char *sh_report_verdict_row(const sh_verdict *v)
{
    return !sh_report_verdict_holds(v) ? SH_VERDICT_CONTRADICTED : v->pass ? "pass" : "FAIL";
}

const char *sh_report_verdict(char *why, size_t cap, const sh_results *r,
                              const char *signature)
{
    char spare[8];
    if (!why) {
        why = spare;
        cap = sizeof spare;
    }
    why[0] = '\0';
    if (!r->n_verdicts)
        return NULL;
    if (signature && !strncmp(signature, "ALTERED", 7)) {
        snprintf(why, cap, "the file was changed after it was signed (%s), so its verdict "
                 "cannot be trusted", signature);
        return SH_VERDICT_ALTERED;
    }
    for (size_t k = 0; k < r->n_verdicts; k++)
        if (!sh_report_verdict_holds(&r->verdicts[k])) {
            snprintf(why, cap, "the file contradicts itself: rule '%s' is recorded as %s, but "
                     "its value %.6g is %s%s %.6g; the file may have been edited",
                     r->verdicts[k].name, r->verdicts[k].pass ? "passed" : "failed",
                     r->verdicts[k].value, r->verdicts[k].pass ? "not " : "", r->verdicts[k].op,
                     r->verdicts[k].limit);
            return SH_VERDICT_CONTRADICTED;
        }
    int rows = sh_criteria_passed(r->verdicts, r->n_verdicts);
    const char *attr = r->info.criteria_passed;
    /* A run printing its own tables has no attribute yet. */
    if (attr && strcmp(attr, rows ? "pass" : "fail")) {
        snprintf(why, cap, "the file contradicts itself: its rules are recorded as %s, but "
                 "its criteria_passed attribute says '%s'; the file may have been edited",
                 rows ? "all passed" : "not all passed", attr);
        return SH_VERDICT_CONTRADICTED;
    }
    return rows ? SH_VERDICT_PASS : SH_VERDICT_FAIL;
}
