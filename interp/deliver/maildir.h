/*
 * maildir.h: one message written into a maildir (maildir_put.c), shared
 * by a delivery (deliver_maildir.c) and the quota warning (quotawarn.c).
 */
#ifndef MAILDIR_H
#define MAILDIR_H

#include <stddef.h>
#include <sys/types.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"

struct md {
	struct run		*r;
	const struct pos	*why;
	struct buf		 dir;	/* without the trailing '/' */
	struct buf		 base;	/* <sec>.M<usec>P<pid> */
	struct buf		 tmp, final, kw, kwtmp;
	struct buf		 path;	/* new/ or cur/ name, once linked */
	const struct buf	*text;	/* runnel's own message, else r->msg */
	const char		*uniq;	/* the name's _<n>, else the counter */
	char			 id[32];	/* the _<n> in use */
	char			 flags[8];
	mode_t			 mode;
	off_t			 size;
	int			 quiet;	/* the caller reports failures */
	int			 linked;
};

/* Begin on dir (its trailing '/'s dropped); errors are placed at why. */
void	md_init(struct md *, struct run *, const struct pos *why,
	    const char *dir);
/*
 * Write the message (m->text, else r->msg) to tmp/, then the keywords
 * (KEYWORDS, for r->msg only), the name in new/ (cur/ with m->flags)
 * and the directory's fsync: 0 once it counts as delivered.  Else -1,
 * run_fail() having said why unless m->quiet (then errno says).
 */
int	md_write(struct md *);
/* Undo what a failed attempt (rc != 0) made; forget the names either way. */
void	md_end(struct md *, int rc);

/*
 * Put a message runnel made (the quota warning) into dir/new/ the same
 * durable way; uniq stands in the name where a delivery's counter does.
 * Mode 0640.  Reports nothing: 0, or -1/errno.
 */
int	maildir_put(struct run *, const char *dir, const char *uniq,
	    const struct buf *text);

#endif
