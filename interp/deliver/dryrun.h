/*
 * dryrun.h: the trace of a dry run (effects_dryrun.c), which start-up
 * opens and closes around the run; in between, fx_dryrun writes it.
 */
#ifndef DRYRUN_H
#define DRYRUN_H

#include "../run/run.h"

/*
 * A new trace for r->trace (allow_exec: --exec runs xfilter, system and
 * backticks for real; json: --format=json).
 */
struct trace	*dryrun_start(struct run *, int allow_exec, int json);
/* The end of the run, exit status known: the JSON document, if any. */
void		 dryrun_end(struct run *, int status);
/* Print the outcome, once, at the end. */
void		 dryrun_result(struct run *, enum flow, int status);
/*
 * One line of a trace, the dry run's and a real delivery's
 * (effects_traced.c): "FILE:LINE:COL: what" (no place when at is NULL
 * or has none), what's later lines indented by two spaces; appended to
 * out with its '\n'.
 */
void		 dryrun_line(struct buf *out, const struct pos *at,
		    const char *what);
/* Free r->trace (NULL is fine). */
void		 dryrun_free(struct run *);

#endif
