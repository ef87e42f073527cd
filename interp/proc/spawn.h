/*
 * spawn.h: running child processes (pipes, forwards, xfilter, system,
 * backticks).  One function starts a child in its own process group with
 * the filter's variables as environment, feeds it the message while
 * reading its output, and waits for it under a per-child deadline, so a
 * hung command is killed alone instead of a global alarm cutting a
 * delivery in half (DIFFERENCES.md B18).
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <stddef.h>

#include "../../grammar/buf.h"

struct run;
struct message;

/* The variable that sets the per-child deadline in seconds; 0: none. */
#define SPAWN_TIMEOUT_VAR	"RUNNEL_CHILD_TIMEOUT"
#define SPAWN_TIMEOUT_DEFAULT	300

enum spawn_in {
	SPAWN_IN_NULL,		/* /dev/null (system) */
	SPAWN_IN_MESSAGE,	/* the raw message (pipe, xfilter, backtick) */
	SPAWN_IN_BYTES		/* in/inlen (tests, small inputs) */
};

enum spawn_out {
	SPAWN_OUT_INHERIT,	/* our stdout (pipe, system) */
	SPAWN_OUT_BUF,		/* captured into outbuf (backtick) */
	SPAWN_OUT_FD		/* straight into outfd (xfilter's temp file) */
};

struct spawn_req {
	char *const	*argv;		/* argv[0] as the child sees it */
	const char	*prog;		/* file to run; without a '/',
					   searched in the filter's PATH */
	enum spawn_in	 in;
	const char	*inbytes;	/* SPAWN_IN_BYTES */
	size_t		 inlen;
	enum spawn_out	 out;
	struct buf	*outbuf;	/* SPAWN_OUT_BUF */
	size_t		 outmax;	/* more than this in outbuf ends the
					   child (too_much); 0: no limit */
	int		 outfd;		/* SPAWN_OUT_FD */
	unsigned	 timeout;	/* seconds; 0: wait for ever */
};

struct spawn_res {
	int	 status;	/* exit status 0..255; -1 when killed */
	int	 signo;		/* the signal that ended it, else 0 */
	int	 timed_out;	/* the deadline passed; the group was killed */
	int	 too_much;	/* it printed more than outmax; killed */
	int	 exec_errno;	/* the program could not be started */
	int	 write_errno;	/* writing the input failed (EPIPE, ...) */
	size_t	 written;	/* input bytes the child accepted */
};

/*
 * Run the child and wait for it.  Returns 0 when it ran (look at *res),
 * -1 when it could not be started: res->exec_errno for an exec failure
 * (no such program), errno for pipe/fork trouble.
 */
int	spawn_run(struct run *, const struct spawn_req *, struct spawn_res *);

/*
 * Could spawn_run() start prog (looked up as it would be)?  1, or 0 with
 * *err the errno posix_spawn would report.  Starts nothing: a plan's
 * check.
 */
int	spawn_can_exec(struct run *, const char *prog, int *err);

/*
 * Fill argv/prog for "$SHELL -c cmd" (SHELL empty: /bin/sh; argv[0] is
 * the shell's base name, as maildrop does).  argv needs 4 slots.
 */
void	spawn_shell_argv(struct run *, const char *cmd, const char **argv,
	    const char **prog);

/*
 * Called about once a second while a child runs.  Whoever holds
 * dot-locks (interp/deliver/lock.c) sets it to refresh them, so a long
 * command does not let others take them for stale; NULL: nothing to do.
 */
extern void (*spawn_tick)(void);

/* The deadline from RUNNEL_CHILD_TIMEOUT: digits, else the default. */
unsigned spawn_timeout(const struct run *);

/* "killed by signal 9 (Killed)", "timed out after 300 s", "exited 3". */
void	spawn_describe(const struct spawn_res *, unsigned timeout,
	    struct buf *out);

#endif
