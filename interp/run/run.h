/*
 * run.h: the state of one delivery run, shared by the evaluator, the
 * effects and the built-ins.
 */
#ifndef RUN_H
#define RUN_H

#include <stdarg.h>

#include "../../grammar/arena.h"
#include "../../grammar/ast.h"
#include "../../grammar/buf.h"

struct effects;
struct message;
struct vars;
struct trace;

enum run_mode {
	MODE_MANUAL,		/* runnel FILE: environment imported */
	MODE_DELIVERY		/* -d or no filter argument */
};

/*
 * A run-time error travels up as a value (FLOW_FAIL) to the nearest
 * exception { } or to main; this record says what happened.
 */
struct rt_error {
	int		 set;
	struct buf	 compat;	/* maildrop's line: "Unable to deliver
					   to mailbox." (no "maildrop: ") */
	struct buf	 detail;	/* runnel's lines, already indented */
	int		 status;	/* exit status, normally EX_TEMPFAIL */
	/*
	 * compat's first line is one maildrop prints where the failure
	 * happens ("error writing to mailbox."), so it reaches stderr
	 * even when an exception { } traps the failure.
	 */
	int		 loud;
};

struct run {
	const struct effects *fx;	/* the only door to the world */
	struct vars	*vars;
	struct message	*msg;
	struct arena	*perm;		/* ASTs of included files */
	struct arena	 scratch;	/* reset after each statement */
	enum run_mode	 mode;
	int		 embedded;	/* -m / -M */
	int		 verbose;	/* VERBOSE / -V */
	int		 depth;		/* evaluator nesting */
	int		 include_depth;
	int		 in_exception;	/* > 0 inside exception { } */
	int		 logfd;		/* logfile, -1 when none */
	char		**orig_env;	/* the caller's environment, for import */
	const char	*sysconfdir;	/* /etc */
	int		 quota_warn;	/* -w percent; -1: no warnings */
	const char	*quota_warn_file; /* -W template, NULL: default */
	struct rt_error	 err;
	struct trace	*trace;		/* dry-run record, else NULL */
	void		*gdbm;		/* builtins/gdbm.c state */
	int		 exit_status;	/* set when FLOW_EXIT */
};

enum flow {
	FLOW_NEXT,		/* go on with the next statement */
	FLOW_EXIT,		/* to / exit: stop, exit with r->exit_status */
	FLOW_FAIL		/* r->err says why */
};

/*
 * Record a run-time error.  compat is maildrop's text (LANGUAGE.md §9);
 * at, when non-NULL, adds a "FILE:LINE:COL: what" line; hint, when
 * non-NULL, a line saying what to do.  Returns FLOW_FAIL.
 */
enum flow	 run_fail(struct run *, const struct pos *at, const char *compat,
		    const char *hint, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/* A non-fatal "FILE(LINE): msg" warning to stderr, as maildrop prints. */
void		 run_warn(struct run *, const struct pos *at, const char *msg);

/* EXITCODE as an integer (leading blanks, '-', digits; else 0). */
int		 run_exitcode(const struct run *);

#endif
