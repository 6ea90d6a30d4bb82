/* Another program's text made safe to print: what an engine logs reaches
 * the terminal and the results file only through sh_utf8_printable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static void printable_escapes_controls_and_stray_bytes(void **state)
{
    (void)state;
    char out[256];
    /* A colour escape, a line break posing as the harness, a C1 CSI
     * (U+009B), DEL and a byte that is not UTF-8; é and a 4-byte
     * character are kept. */
    sh_utf8_printable(out, sizeof out,
                      "\033[31mred\nshades: ok\r\t\xc2\x9b" "2J\x7f\xff caf\xc3\xa9 \xf0\x9f\x98\x80");
    assert_string_equal(out, "\\x1b[31mred shades: ok  \\xc2\\x9b2J\\x7f\\xff caf\xc3\xa9 "
                             "\xf0\x9f\x98\x80");
    /* Idempotent: printing it again changes nothing. */
    char again[256];
    sh_utf8_printable(again, sizeof again, out);
    assert_string_equal(again, out);
}

/* Bidirectional controls reorder a line on screen ("Trojan Source"):
 * shown as bytes; other format characters and right-to-left text stay. */
static void printable_escapes_bidirectional_controls(void **state)
{
    (void)state;
    char out[256];
    sh_utf8_printable(out, sizeof out, "M\xe2\x80\xae" "F \xe2\x81\xa6x\xe2\x81\xa9 \xe2\x80\x8f"
                                       " \xd8\x9c \xe2\x80\x8b \xd7\xa9");
    assert_string_equal(out, "M\\xe2\\x80\\xaeF \\xe2\\x81\\xa6x\\xe2\\x81\\xa9 \\xe2\\x80\\x8f "
                             "\\xd8\\x9c \xe2\x80\x8b \xd7\xa9");
    char again[256];
    sh_utf8_printable(again, sizeof again, out);
    assert_string_equal(again, out);
}

static void printable_cuts_at_a_whole_character(void **state)
{
    (void)state;
    char out[8];
    /* "ab" then an escape that does not fit whole: cut before it. */
    sh_utf8_printable(out, 6, "ab\033cd");
    assert_string_equal(out, "ab");
    /* é (2 bytes) does not fit in the last byte before the NUL. */
    sh_utf8_printable(out, 5, "abc\xc3\xa9");
    assert_string_equal(out, "abc");
    sh_utf8_printable(out, 1, "abc");
    assert_string_equal(out, "");
}

static void control_names_the_first_control_character(void **state)
{
    (void)state;
    assert_int_equal(sh_utf8_control("plain caf\xc3\xa9 \xc2\xa0"), -1); /* U+00A0: not C1 */
    assert_int_equal(sh_utf8_control("M\x1b[2J"), 0x1b);
    assert_int_equal(sh_utf8_control("a\tb\nc"), '\t');
    assert_int_equal(sh_utf8_control("del\x7f"), 0x7f);
    assert_int_equal(sh_utf8_control("csi \xc2\x9b" "2J"), 0x9b);
    assert_int_equal(sh_utf8_control(""), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printable_escapes_controls_and_stray_bytes),
        cmocka_unit_test(printable_escapes_bidirectional_controls),
        cmocka_unit_test(printable_cuts_at_a_whole_character),
        cmocka_unit_test(control_names_the_first_control_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
