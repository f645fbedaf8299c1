/* SPDX-License-Identifier: MIT */
/* main.c - the leadsift command line: the process set up for safe output,
 * then the command named by the first argument, or the score command. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "messages.h"
#include "outfile.h"

static void on_signal(int sig)
{
	outfile_abort_all_from_signal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* A signal the parent chose to ignore (nohup, a background job)
		 * stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	/* A reader that went away (leadsift big.csv | head) ends us quietly, as
	 * it does other filters, even if our parent ignored SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
}

/* A closed standard descriptor would be handed to the next open(), and
 * output meant for a file could land in it: park /dev/null there instead.
 * Returns whether standard output was closed. */
static bool reserve_std_fds(void)
{
	bool stdout_closed = false;
	int fd;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (fd == STDOUT_FILENO)
			stdout_closed = true;
		if (open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY) != fd)
			break;
	}
	return stdout_closed;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"check", cmd_check},
	{"explain", cmd_explain},
	{"backtest", cmd_backtest},
	{"discover", cmd_discover},
	{"diff", cmd_diff},
	{"stats", cmd_stats},
};

int main(int argc, char **argv)
{
	static char name[32];
	bool stdout_closed;
	size_t i;

	install_signals();
	stdout_closed = reserve_std_fds();
	/* A test switch: every record through libcsv (make check runs both ways). */
	if (getenv("LEADSIFT_NO_FAST_PATH") != NULL && strcmp(getenv("LEADSIFT_NO_FAST_PATH"), "1") == 0)
		ls_csv_set_fast_path(false);
	for (i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		snprintf(name, sizeof(name), "leadsift %s", commands[i].name);
		cli_command = name;
		if (stdout_closed) {
			errno = EBADF;
			return report_errno("cannot write", "<stdout>");
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	/* Scoring writes to -o FILE or standard output: it looks itself. */
	return cmd_score(argc, argv, stdout_closed);
}
