/* SPDX-License-Identifier: MIT */
/* commands.h - the commands main.c dispatches to. Each takes its own
 * argv (argv[0] is its name) and returns the exit code. */
#ifndef LS_COMMANDS_H
#define LS_COMMANDS_H

#include <stdbool.h>

/* The default command: score a CSV. stdout_closed: standard output was
 * closed when leadsift started (it may only write to -o FILE). */
int cmd_score(int argc, char **argv, bool stdout_closed);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_discover(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_stats(int argc, char **argv);

#endif
