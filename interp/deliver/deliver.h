/*
 * deliver.h: one function per mailbox kind (DELIVERY.md §4).  Each takes
 * the resolved target, makes the delivery complete and durable or undoes
 * it, and on failure calls run_fail() with maildrop's line and the path,
 * errno text and fix, returning -1.  *written is the byte count for the
 * log record.
 *
 * Each kind is a plan and a commit.  The plan runs every check the
 * delivery makes before its first write (directories, permissions,
 * FLAGS, quota, symbolic links, devices, the dot-lock's directory, the
 * program to start) and writes nothing; deliver_X() runs its plan, then
 * writes.  The dry run runs only the plan (deliver_plan()), so every
 * failure the real run would hit before writing, the dry run reports
 * with the same lines.
 */
#ifndef DELIVER_H
#define DELIVER_H

#include <stddef.h>

#include "../../grammar/ast.h"
#include "../run/run.h"

enum mailbox_kind {
	MB_PIPE,		/* "|command" */
	MB_FORWARD,		/* "!addr ..." */
	MB_MAILDIR,		/* directory with tmp/ new/ cur/ */
	MB_MBOX			/* anything else, created if missing */
};

/* Decide the kind of target (shared by the real run and the dry run). */
enum mailbox_kind mailbox_kind(const char *target);
const char	*mailbox_kind_name(enum mailbox_kind);

/* maildrop's lines for a mailbox that cannot be written or opened. */
#define DELIVER_WRITE_FAILED	"error writing to mailbox.\nmaildrop: " \
				"Unable to deliver to mailbox."
#define DELIVER_OPEN_FAILED	"Unable to open mailbox."

/*
 * Report the failed call what on path with errno e (run_fail); hint
 * perm_hint when it is a permission problem.  DELIVER_WRITE_FAILED's
 * first line is printed even inside exception { }, as maildrop does.
 */
void	deliver_fail(struct run *, const struct pos *why, const char *compat,
	    const char *what, const char *path, int e, const char *perm_hint);

/* The plan of target's kind: 0, or -1 after run_fail(). */
int	deliver_plan(struct run *, const struct pos *why, const char *target);
int	maildir_plan(struct run *, const struct pos *why, const char *dir);
int	mbox_plan(struct run *, const struct pos *why, const char *path);
int	pipe_plan(struct run *, const struct pos *why, const char *cmd);
int	forward_plan(struct run *, const struct pos *why, const char *addrs);

int	deliver_maildir(struct run *, const struct pos *why, const char *dir,
	    size_t *written);
int	deliver_mbox(struct run *, const struct pos *why, const char *path,
	    size_t *written);
/* Pipe and forward: *status is the command's exit status, -1 if killed
   or the write failed. */
int	deliver_pipe(struct run *, const struct pos *why, const char *cmd,
	    int *status, size_t *written);
int	deliver_forward(struct run *, const struct pos *why,
	    const char *addrs, int *status, size_t *written);

#endif
