/* The system folders every isolated worker may read: a dataset there is
 * refused before the run starts (harness/engine_reach.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox.h"

static void a_path_in_a_system_folder_names_it(void **state)
{
    (void)state;
    assert_string_equal(sh_sandbox_system_dir("/opt/regdata/manifest.csv"), "/opt");
    assert_string_equal(sh_sandbox_system_dir("/usr/share/data"), "/usr");
    assert_string_equal(sh_sandbox_system_dir("/opt"), "/opt");
    /* A name that only starts like one is not in it. */
    assert_null(sh_sandbox_system_dir("/optional/data.csv"));
    assert_null(sh_sandbox_system_dir("/usrdata/a.png"));
    assert_null(sh_sandbox_system_dir("/tmp/opt/a.png"));
    assert_null(sh_sandbox_system_dir("/home/lab/data.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_path_in_a_system_folder_names_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
