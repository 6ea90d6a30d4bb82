/* The public header compiles as pedantic C11 and its layout rules hold. */
#include <shades/adapter.h>

#include <stdio.h>

_Static_assert(offsetof(shades_adapter, struct_size) == 0, "size first");
_Static_assert(offsetof(shades_image, struct_size) == 0, "size first");
_Static_assert(offsetof(shades_template_result, struct_size) == 0, "size first");
_Static_assert(offsetof(shades_host, struct_size) == 0, "size first");
_Static_assert(offsetof(shades_engine_config, struct_size) == 0, "size first");
_Static_assert(SHADES_ADAPTER_SIZE_1_0 <= sizeof(shades_adapter), "1.0 prefix");

int main(void)
{
    printf("adapter entry %zu bytes, ABI %d.%d\n", sizeof(shades_adapter), SHADES_ABI_MAJOR,
           SHADES_ABI_MINOR);
    return SHADES_HAS_MEMBER(shades_adapter, SHADES_ADAPTER_SIZE_1_0, get_extension) ? 0 : 1;
}
