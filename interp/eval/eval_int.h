/*
 * eval_int.h: what the evaluator's files (eval.c, expr.c, subst.c,
 * echo.c, runner.c, effects_dryrun.c) share and nobody else needs.
 */
#ifndef EVAL_INT_H
#define EVAL_INT_H

#include <stddef.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"

/*
 * echo/log escapes (LANGUAGE.md §4.6) of s into out, the final newline
 * included unless a trailing \c suppresses it.
 */
void		 echo_unescape(const char *s, size_t n, struct buf *out);

/* Assign a variable and apply what setting it means (VERBOSE). */
void		 eval_setvar(struct run *, const char *name, size_t namelen,
		    const char *value, size_t len);

/*
 * RETURNCODE after a backtick, system or xfilter.  maildrop prints the
 * status as an unsigned long, so a killed child's -1 reads
 * 18446744073709551615.
 */
void		 eval_returncode(struct run *, int status);

/* Command substitution: fx->backtick plus the §1.6 clean-up. */
enum flow	 eval_backtick(struct run *, const struct pos *,
		    const char *cmd, size_t len, struct buf *out);

/*
 * The watchdog: statements stop being started once this many seconds
 * have passed since eval_budget() was called; 0 means no limit.
 */
void		 eval_budget(double seconds);

/*
 * The text of the source line at pos, from pos.col to its end, for the
 * dry-run trace ("if (/^Subject: x/)").  Empty when unknown.
 */
void		 eval_source(const struct pos *, struct buf *out);

/* Print a VERBOSE trace line to stderr when VERBOSE >= level. */
void		 eval_verbose(struct run *, int level, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* runner.c: the reset variables of LANGUAGE.md §6.2, set again. */
void		 runner_reset_vars(struct run *);

/*
 * effects_dryrun.c: set up the trace (allow_exec: --exec runs xfilter,
 * system and backticks for real) and print the outcome once at the end.
 */
struct trace	*dryrun_start(struct run *, int allow_exec);
void		 dryrun_result(struct run *, enum flow, int status);

#endif
