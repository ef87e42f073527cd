/*
 * effects.h: the only door from the evaluator to the world.  The real set
 * delivers and runs commands; the dry-run set records what would happen
 * and explains it.  Decisions (mailbox kind, path) are made in shared code
 * (mailbox.h); only the last act differs.
 *
 * Every function returns 0 on success, or -1 after run_fail() has said why.
 */
#ifndef EFFECTS_H
#define EFFECTS_H

#include <limits.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"

struct run;
struct rt_error;

/* xfilter's status when the command never ran: RETURNCODE is left alone. */
#define FX_NOT_RUN	INT_MIN

enum delivery_how {
	HOW_TO,			/* to: deliver, then stop */
	HOW_CC,			/* cc: deliver and go on */
	HOW_DEFAULT		/* end of filter: $DEFAULT */
};

struct effects {
	const char *name;		/* "deliver", "dry-run" */

	/*
	 * Deliver the current message to mailbox.  For pipes and forwards
	 * *status is the command's exit status (-1 when killed or the write
	 * failed); else 0.
	 */
	int (*deliver)(struct run *, const struct pos *why,
	    const char *mailbox, enum delivery_how how, int *status);

	/*
	 * Replace the message with cmd's output; *status = exit status,
	 * -1 when killed, FX_NOT_RUN when cmd never started.
	 */
	int (*xfilter)(struct run *, const struct pos *why, const char *cmd,
	    int *status);

	/* system: run cmd, stdin /dev/null; *status = exit status. */
	int (*system)(struct run *, const struct pos *why, const char *cmd,
	    int *status);

	/* `cmd`: output (raw, unprocessed) into out; *status as above. */
	int (*backtick)(struct run *, const struct pos *why, const char *cmd,
	    struct buf *out, int *status);

	/* logfile NAME (opens, closes any previous) and log TEXT. */
	int (*logfile)(struct run *, const struct pos *why, const char *path);
	int (*log)(struct run *, const struct pos *why, const char *text,
	    size_t len);

	/* dotlock / flock blocks: take the lock, later release it. */
	int (*lock)(struct run *, const struct pos *why, const char *path,
	    int is_flock, void **handle);
	void (*unlock)(struct run *, void *handle);

	/*
	 * What the evaluator decided and why (an if, a pattern hit, an
	 * exception trapped).  The real set prints it at VERBOSE levels;
	 * the dry run records it.
	 */
	void (*note)(struct run *, const struct pos *why, const char *what);

	/* An exception { } at why trapped the error err (then dropped). */
	void (*trapped)(struct run *, const struct pos *why,
	    const struct rt_error *err);

	/* NAME=value was evaluated at why (the dry run's JSON); may be NULL. */
	void (*assigned)(struct run *, const struct pos *why, const char *name,
	    size_t namelen, const struct buf *value);

	/* echo: the text (escapes done) to stdout, the filter's output. */
	void (*echo)(struct run *, const struct pos *why, const char *text,
	    size_t len);

	/*
	 * A built-in is about to open a file of its own for writing (what:
	 * "gdbmopen \"vacation.dat\""): 1 to go ahead.  The dry run
	 * notes it and answers 0, and the caller only reads, so no side
	 * door lets a dry run write.
	 */
	int (*may_write)(struct run *, const struct pos *why, const char *what);
};

extern const struct effects fx_real, fx_dryrun;

#endif
