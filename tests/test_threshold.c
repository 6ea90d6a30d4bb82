/* Known answers for exact thresholds, counts and Wilson intervals. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "interval.h"
#include "threshold.h"

static void threshold_is_next_double_above_k_plus_first(void **state)
{
    (void)state;
    double s[10] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    double t;
    /* FMR 0.1 of 10 impostors allows one false match: 1.0 matches, 0.9 not. */
    assert_int_equal(sh_threshold_at_fmr(&t, s, 10, 0.1), 1);
    assert_true(t == nextafter(0.9, INFINITY));
    assert_int_equal(sh_count_ge(s, 10, t), 1);
    /* 0.25 allows two (floor of 2.5). */
    assert_int_equal(sh_threshold_at_fmr(&t, s, 10, 0.25), 1);
    assert_true(t == nextafter(0.8, INFINITY));
    assert_int_equal(sh_count_ge(s, 10, t), 2);
    /* 0.3 is exactly three of ten: 0.3 * 10 must not round down to 2. */
    assert_int_equal(sh_threshold_at_fmr(&t, s, 10, 0.3), 1);
    assert_int_equal(sh_count_ge(s, 10, t), 3);
}

static void ties_straddling_the_cut_are_all_non_matches(void **state)
{
    (void)state;
    double s[10] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
    double t;
    /* Three false matches allowed, but four scores tie at the top: the
     * smallest threshold with FMR <= 0.3 lies above them, so FMR is 0. */
    assert_int_equal(sh_threshold_at_fmr(&t, s, 10, 0.3), 1);
    assert_true(t == nextafter(1.0, INFINITY));
    assert_int_equal(sh_count_ge(s, 10, t), 0);
    /* Four allowed: the ties at 1 all match, the zeros do not. */
    assert_int_equal(sh_threshold_at_fmr(&t, s, 10, 0.4), 1);
    assert_true(t == nextafter(0.0, INFINITY));
    assert_int_equal(sh_count_ge(s, 10, t), 4);
}

static void too_few_impostors_is_not_estimable(void **state)
{
    (void)state;
    double s[10] = {0};
    double t;
    assert_int_equal(sh_threshold_at_fmr(&t, s, 10, 0.05), 0);
    assert_true(isnan(t));
    assert_int_equal(sh_threshold_at_fmr(&t, s, 0, 0.5), 0);
}

static void failed_templates_sort_first_and_never_match(void **state)
{
    (void)state;
    double s[6] = {0.5, -INFINITY, 0.2, -INFINITY, 0.9, 0.1};
    sh_scores_sort(s, 6);
    assert_true(isinf(s[0]) && isinf(s[1]));
    assert_int_equal(sh_count_lt(s, 6, 0.15), 3);
    assert_int_equal(sh_count_ge(s, 6, -1e300), 4);
}

static void fnmr_threshold_is_the_k_plus_first_lowest_genuine_score(void **state)
{
    (void)state;
    double s[10] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    double t;
    /* FNMR 0.1 of 10 allows one false non-match: 0.1 fails, 0.2 matches. */
    assert_int_equal(sh_threshold_at_fnmr(&t, s, 10, 0.1), 1);
    assert_true(t == 0.2);
    assert_int_equal(sh_count_lt(s, 10, t), 1);
    /* 0.3 is exactly three of ten, and the largest such threshold is 0.4. */
    assert_int_equal(sh_threshold_at_fnmr(&t, s, 10, 0.3), 1);
    assert_true(t == 0.4);
    assert_int_equal(sh_count_lt(s, 10, t), 3);
    /* Ties at the cut all match: the achieved FNMR is below the target. */
    double tied[6] = {0.2, 0.5, 0.5, 0.5, 0.8, 0.9};
    assert_int_equal(sh_threshold_at_fnmr(&t, tied, 6, 0.34), 1);
    assert_true(t == 0.5);
    assert_int_equal(sh_count_lt(tied, 6, t), 1);
    /* Too few genuine pairs for the target. */
    assert_int_equal(sh_threshold_at_fnmr(&t, s, 10, 0.05), 0);
    assert_true(isnan(t));
    /* Failed templates (-inf) beyond what the target allows: no threshold reaches it. */
    double failed[5] = {-INFINITY, -INFINITY, 0.3, 0.6, 0.9};
    assert_int_equal(sh_threshold_at_fnmr(&t, failed, 5, 0.2), 0);
    assert_int_equal(sh_threshold_at_fnmr(&t, failed, 5, 0.4), 1);
    assert_true(t == 0.3);
    assert_int_equal(sh_count_lt(failed, 5, t), 2);
}

static void wilson_known_values(void **state)
{
    (void)state;
    double lo, hi;
    sh_wilson(&lo, &hi, 5, 10, 0.95);
    assert_float_equal(lo, 0.236593, 1e-6);
    assert_float_equal(hi, 0.763407, 1e-6);
    /* Zero errors: lower bound 0, upper z^2 / (n + z^2). */
    sh_wilson(&lo, &hi, 0, 10, 0.95);
    assert_float_equal(lo, 0.0, 0);
    assert_float_equal(hi, 3.841459 / 13.841459, 1e-6);
    sh_wilson(&lo, &hi, 0, 0, 0.95);
    assert_true(isnan(lo) && isnan(hi));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threshold_is_next_double_above_k_plus_first),
        cmocka_unit_test(ties_straddling_the_cut_are_all_non_matches),
        cmocka_unit_test(too_few_impostors_is_not_estimable),
        cmocka_unit_test(failed_templates_sort_first_and_never_match),
        cmocka_unit_test(fnmr_threshold_is_the_k_plus_first_lowest_genuine_score),
        cmocka_unit_test(wilson_known_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
