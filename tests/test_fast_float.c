/* sh_parse_double against strtod: the same double, bit for bit, and the
 * same verdict on whether the whole text is a number, over edge cases and
 * many random decimal strings (short ones take the fast path, long ones
 * strtod). Also the fast CSV line splitter and the string index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_fast.h"
#include "fast_float.h"
#include "str_index.h"

/* Checks text against strtod's whole-text answer. */
static void same_as_strtod(const char *text)
{
    char *end;
    double want = strtod(text, &end);
    int ok = end != text && *end == '\0';
    double got = 12345.0;
    int parsed = sh_parse_double(text, &got);
    if (parsed != ok || (ok && memcmp(&got, &want, sizeof got))) {
        fail_msg("'%s': sh_parse_double %d %.17g, strtod %d %.17g", text, parsed, got, ok, want);
    }
}

static void edge_cases(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0", "-0", "+0", "0.0", "-0.0", ".5", "5.", ".", "-", "+", "", "e5", "1e", "1e+",
        "1e-", "1e5", "1E5", "1e+22", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992",
        "9007199254740993", "9007199254740991", "0.1", "0.2", "0.3", "1.7976931348623157e308",
        "2.2250738585072014e-308", "4.9e-324", "1e400", "-1e400", "1e-400", "inf", "-inf",
        "nan", "NaN", "infinity", "0x1p3", "0x10", " 1", "1 ", "1,5", "1.5.2", "--1", "1e5e",
        "0.000000000000000000000000000001", "123456789012345678901234567890",
        "1234567890123456789", "12345678901234567890", "0.9999999999999999",
        "0.99999999999999999", "00000000000000000000001", "1.00000000000000000000",
        "3.14159265358979323846", "1e0000000000000000001", "0e999999", "0.5e-1", "-.5e1",
        "0.857142", "0.123456", "-0.000001", "999999999999999.9", "1e-5", "12e-3",
        "0.0000000000000000000001", "100000000000000000000000"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        same_as_strtod(cases[i]);
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void random_strings(void **state)
{
    (void)state;
    uint64_t s = 88172645463325252u;
    char text[64];
    for (int i = 0; i < 2000000; i++) {
        uint64_t r = next(&s);
        int kind = (int)(r % 6);
        double x = (double)(next(&s) >> 11) / 9007199254740992.0;
        switch (kind) {
        case 0: /* a score file's usual %.6f */
            snprintf(text, sizeof text, "%.6f", x * 2 - 1);
            break;
        case 1: /* full precision */
            snprintf(text, sizeof text, "%.17g", (x - 0.5) * 1e4);
            break;
        case 2: /* scientific, any exponent */
            snprintf(text, sizeof text, "%.*e", (int)(next(&s) % 20),
                     x * (next(&s) % 2 ? 1 : -1) * 1e-5);
            break;
        case 3: { /* digits and a point anywhere */
            int n = 1 + (int)(next(&s) % 24), dot = (int)(next(&s) % (unsigned)(n + 1));
            int k = 0;
            for (int d = 0; d < n; d++) {
                if (d == dot)
                    text[k++] = '.';
                text[k++] = (char)('0' + next(&s) % 10);
            }
            if (next(&s) % 3 == 0)
                k += snprintf(text + k, sizeof text - (size_t)k, "e%d",
                              (int)(next(&s) % 80) - 40);
            text[k] = '\0';
            break;
        }
        case 4: /* random bits as a double */
        {
            uint64_t bits = next(&s);
            double d;
            memcpy(&d, &bits, sizeof d);
            snprintf(text, sizeof text, "%.*g", 1 + (int)(next(&s) % 17), d);
            break;
        }
        default: /* junk around a number */
            snprintf(text, sizeof text, "%c%.3f%c", "+-. e1x"[next(&s) % 7], x,
                     "0e.x\0"[next(&s) % 5]);
        }
        same_as_strtod(text);
    }
}

/* Splits text (copied, writable) and returns the fields joined by '|'. */
static int split(const char *text, char *out, size_t cap, size_t *n)
{
    char buf[256];
    size_t len = strlen(text), pos = 0;
    memcpy(buf, text, len + 1);
    char *fields[8];
    sh_err err = {0};
    int rc = sh_csv_split(buf, len, &pos, fields, NULL, 8, n, &err);
    out[0] = '\0';
    if (rc) {
        snprintf(out, cap, "%.200s", err.msg);
        return rc;
    }
    for (size_t i = 0; i < *n && i < 8; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "|" : "", fields[i]);
    return 0;
}

static void csv_lines(void **state)
{
    (void)state;
    char out[256];
    size_t n;
    assert_int_equal(split("a,b,c\n", out, sizeof out, &n), 0);
    assert_string_equal(out, "a|b|c");
    assert_int_equal(split(" a , \"b,\"\"x\"\" \" ,\r\n", out, sizeof out, &n), 0);
    assert_string_equal(out, "a|b,\"x\" |");
    assert_int_equal(split("  \r\n", out, sizeof out, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(split("a,b", out, sizeof out, &n), 0);
    assert_string_equal(out, "a|b");
    assert_int_not_equal(split("a\"b,c\n", out, sizeof out, &n), 0);
    assert_string_equal(out, "malformed CSV: stray quote in a field");
    assert_int_not_equal(split("\"ab,c\n", out, sizeof out, &n), 0);
    assert_string_equal(out, "malformed CSV: quoted field never closed");
    assert_int_not_equal(split("\"a\"b,c\n", out, sizeof out, &n), 0);
    assert_string_equal(out, "malformed CSV: stray quote in a field");
}

static void string_index(void **state)
{
    (void)state;
    const char *keys[] = {"a", "img1", "img10", "", "x y", "img100"};
    sh_str_index *x = sh_str_index_create(keys, 6);
    assert_non_null(x);
    for (long i = 0; i < 6; i++)
        assert_int_equal(sh_str_index_find(x, keys[i], strlen(keys[i])), i);
    assert_int_equal(sh_str_index_find(x, "img1000", 7), -1);
    assert_int_equal(sh_str_index_find(x, "img10", 4), 1);
    assert_int_equal(sh_str_index_find(x, "b", 1), -1);
    sh_str_index_destroy(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(random_strings),
        cmocka_unit_test(csv_lines),
        cmocka_unit_test(string_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
