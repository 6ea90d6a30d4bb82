/* The checks of a config's groups section that need no manifest; part of
 * shades_config_load (harness/config.c). */
#ifndef SHADES_HARNESS_CONFIG_GROUPS_H
#define SHADES_HARNESS_CONFIG_GROUPS_H

#include "config.h"
#include "error.h"

/* Refuses, naming the config line: a partition listed twice, an
 * intersection of more than SHADES_MAX_FACTORS factors or naming one twice,
 * a derived attribute defined twice or with a label twice, and a map that
 * lists one value under two labels. Records each derived attribute's line. */
int shades_config_check_groups(shades_config *c, shades_err *err);

#endif
