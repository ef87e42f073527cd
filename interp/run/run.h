/*
 * run.h: the state of one delivery run, shared by the evaluator, the
 * effects and the built-ins.
 */
#ifndef RUN_H
#define RUN_H

#include <stdarg.h>
#include <time.h>

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

enum flow {
	FLOW_NEXT,		/* go on with the next statement */
	FLOW_EXIT,		/* to / exit: stop, exit with r->exit_status */
	FLOW_FAIL		/* r->err says why */
};

/*
 * A run-time error travels up as a value (FLOW_FAIL) to the nearest
 * exception { } or to main; this record says what happened, and one
 * renderer (rterror.c) turns it into text for stderr and the dry run's
 * trace, or into JSON.  Like a syntax error's struct diag, it holds the
 * facts, not their formatting.
 */
struct rt_error {
	int		 set;
	struct pos	 at;		/* where; at.file NULL: no place */
	struct buf	 compat;	/* maildrop's line: "Unable to deliver
					   to mailbox." (no "maildrop: ") */
	struct buf	 what;		/* runnel's account of the failure */
	struct buf	 hint;		/* what to do about it, or empty */
	struct buf	 lead;		/* a line maildrop prints before
					   runnel's, or empty */
	struct buf	 more;		/* later lines (an undo that failed) */
	const char	*op;		/* the call that failed ("open"), or
					   NULL */
	struct buf	 path;		/* what it failed on, or empty */
	int		 errnum;	/* its errno, 0 when none */
	int		 status;	/* exit status, normally EX_TEMPFAIL */
	/*
	 * compat's first line is one maildrop prints where the failure
	 * happens ("error writing to mailbox."), so it reaches stderr
	 * even when an exception { } traps the failure.
	 */
	int		 loud;
	int		 trapped;	/* an exception { } caught it */
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
	/*
	 * The effects want the evaluator's notes (decisions, pattern hits):
	 * a dry run, or a real delivery whose trace is kept.
	 */
	int		 notes;
	void		*gdbm;		/* builtins/gdbm.c state */
	int		 exit_status;	/* set when FLOW_EXIT */
	/*
	 * For the exit status in delivery mode (run_status): a delivery
	 * has succeeded; EXITCODE holds the status of the command in
	 * exit_command (not a value the filter set).
	 */
	int		 delivered;
	int		 exitcode_from_command;
	struct buf	 exit_command;
	/* Where the message went, ", " between, for the mail log. */
	struct buf	 log_to;

	/* The user delivered to, as start-up found them (§6.2's values). */
	const char	*user_name, *user_home, *user_shell;

	/*
	 * The evaluator's: eval_expr, for those below it that evaluate a
	 * piece of the tree (a built-in's arguments); the innermost file
	 * being run (the trace's source text); the watchdog's deadline;
	 * the innermost while, for its report.
	 */
	enum flow	(*eval)(struct run *, const struct expr *,
			    struct buf *out);
	const struct program *prog;
	struct timespec	 deadline;
	int		 have_deadline;
	int		 timed_out;	/* its error is never trapped */
	const struct stmt *loop;

	/*
	 * Budgets, from the caller's environment (README "Settings from
	 * the caller's environment"); 0 means no limit.  Statements run,
	 * bytes held by all variables and by one value, seconds spent
	 * matching patterns in this delivery (and of those, in searches
	 * begun after the budget was spent: match_late).
	 */
	unsigned long	 max_statements, statements;
	size_t		 max_var_bytes, max_value;
	double		 match_time, match_spent, match_late;
	/*
	 * RUNNEL_CLOCK_SKEW: seconds a new maildir file's mtime (the file
	 * server's clock) may differ from this host's clock before a
	 * warning; 0 for none.
	 */
	double		 clock_skew;
};

/*
 * Record a run-time error.  compat is maildrop's text (LANGUAGE.md §9);
 * at, when non-NULL, adds a "FILE:LINE:COL: what" line; hint, when
 * non-NULL, a line saying what to do.  Returns FLOW_FAIL.
 */
enum flow	 run_fail(struct run *, const struct pos *at, const char *compat,
		    const char *hint, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/*
 * The memory budget for one value (RUNNEL_MAX_VALUE, README): FLOW_NEXT
 * when a value of len bytes fits, else the filter error "Out of
 * memory." at at, which no exception { } traps.  what names the value:
 * a variable, "this expression", "the output of `cmd`".
 */
enum flow	 run_room(struct run *, const struct pos *at, size_t len,
		    const char *what);

/*
 * The budget for all variables together (RUNNEL_MAX_VARS): FLOW_NEXT
 * when total bytes fit, else "Out of memory." as run_room.  what names
 * the holder: "the variables", "foreach's matches".
 */
enum flow	 run_room_vars(struct run *, const struct pos *at,
		    size_t total, const char *what);

/*
 * Add the system call behind the error just recorded: op ("open"), the
 * path and errno.  Only the first error's (run_fail keeps the first).
 */
void		 run_fail_cause(struct run *, int fresh, const char *op,
		    const char *path, int e);

/* Forget the error (an exception { } trapped it). */
void		 rt_error_clear(struct rt_error *);
void		 rt_error_free(struct rt_error *);
/*
 * runnel's lines under maildrop's, each indented by two spaces and
 * ending in '\n': the lead, "FILE:LINE:COL: what", the hint, the rest.
 */
void		 rt_error_lines(const struct rt_error *, struct buf *out);
/*
 * The whole record as stderr shows it: "maildrop: LINE" and runnel's
 * lines, each ending in '\n'.  The same text goes to the logfile.
 */
void		 rt_error_text(const struct rt_error *, struct buf *out);
/* "exception trapped: LINE" and the lines, for a trace (no final '\n'). */
void		 rt_error_trapped_text(const struct rt_error *, struct buf *out);
/* The record as one JSON object (tests/spec/trace.schema.json, "error"). */
void		 rt_error_json(const struct rt_error *, struct buf *out);

/*
 * Append text to the logfile, if one is open.  A log that cannot be
 * written (a full disk) never stops or undoes a delivery.
 */
void		 run_logwrite(struct run *, const char *text, size_t len);

/* A non-fatal "FILE(LINE): msg" warning to stderr, as maildrop prints. */
void		 run_warn(struct run *, const struct pos *at, const char *msg);

/* EXITCODE as an integer (leading blanks, '-', digits; else 0). */
int		 run_exitcode(const struct run *);

/*
 * Print the error record: maildrop's line, then runnel's indented ones
 * (LANGUAGE.md §9), on stderr and, as a paragraph of its own, in the
 * logfile.  Returns the exit status it asks for (75 unless set).
 */
int		 run_report(struct run *);

/*
 * An error before the filter runs (start-up): no position, just the
 * lines, printed now.  Returns status.
 */
int		 run_die(struct run *, int status, const char *compat,
		    const char *hint, const char *what);

/* Assign a variable and apply what setting it means (VERBOSE, UMASK). */
void		 run_setvar(struct run *, const char *name, size_t namelen,
		    const char *value, size_t len);

/* The same with a value that may mark message text (B24). */
void		 run_setvarb(struct run *, const char *name, size_t namelen,
		    const struct buf *value);

/*
 * RETURNCODE after a backtick, system or xfilter.  maildrop prints the
 * status as an unsigned long, so a killed child's -1 reads
 * 18446744073709551615.
 */
void		 run_returncode(struct run *, int status);

/*
 * The reset variables of LANGUAGE.md §6.2, set at start-up and again by
 * a maildroprcs include, from r->user_*.
 */
void		 run_reset_vars(struct run *);

/* Print a VERBOSE trace line to stderr when VERBOSE >= level. */
void		 run_verbose(struct run *, int level, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * A delivery to target succeeded (status: a pipe's or forward's exit
 * status, which becomes EXITCODE as in maildrop; else 0).
 */
void		 run_delivered(struct run *, const char *target, int status);

/*
 * The exit status of a run that ends with EXITCODE = code.  Manual mode:
 * code, as maildrop.  Delivery mode, where the MTA bounces the message
 * for any status but 0 and 75: a value the filter gave EXITCODE itself
 * stands; a command's status stands when it is 0 or 75, becomes 0 when
 * the message was delivered somewhere (a bounce would lie), stands when
 * it is another sysexits.h code (64-78: the program meant it), and is
 * otherwise 75 (a missing command's 127, grep's 1), with a line on
 * stderr naming the command.
 */
int		 run_status(struct run *, int code);

#endif
