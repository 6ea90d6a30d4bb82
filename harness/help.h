/* The command line's help: the overview and each command's own page
 * (usage, what it does, its options, an example), for `shades help`,
 * `shades help CMD` and `shades CMD --help`. */
#ifndef SH_HARNESS_HELP_H
#define SH_HARNESS_HELP_H

#include <stdio.h>

/* Prints the overview: every command on a line of its own. */
void sh_help_overview(FILE *out);

/* Prints cmd's page into out. Returns 0, or -1 when cmd is no command. */
int sh_help_command(FILE *out, const char *cmd);

/* The commands, space separated, in the overview's order. */
extern const char sh_help_commands[];

#endif
