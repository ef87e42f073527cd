/*
 * quota.h: maildir++ quotas (courier-libs maildir/README.maildirquota).
 * The check runs before anything is written, the count is added only
 * after the message is in new/ or cur/, so a failed delivery never eats
 * quota (maildrop adds it up front).
 */
#ifndef QUOTA_H
#define QUOTA_H

#include <sys/types.h>

struct run;

struct quota {
	int	 active;	/* a quota applies; quota_add() will record */
	char	*root;		/* the maildir++ root holding maildirsize */
	long long limit_bytes;	/* 0: no byte limit */
	long long limit_count;	/* 0: no count limit */
	long long bytes, count;	/* current use, before this message */
	char	*rebuild;	/* the definition maildirsize is to be
				   rewritten with (quota_settle), else NULL */
};

/*
 * Decide whether a message of `size` bytes fits into maildir (the folder
 * delivered to; its maildir++ root is found by "maildirfolder").  Quota
 * comes from MAILDIRQUOTA, else from the first line of maildirsize.
 * Returns 0 (fits, or no quota), 1 (over quota).  maildirsize problems
 * are never fatal: it is only a cache and is recalculated.  Writes
 * nothing (a delivery's plan, so the dry run too): a recalculated
 * maildirsize is written by quota_settle().
 */
int	quota_check(struct run *, const char *maildir, off_t size,
	    struct quota *);

/*
 * quota_check()'s work with the quota definition `want` ("" : only
 * maildirsize's) and room for `nmsgs` messages of `size` bytes in all;
 * size 0 and nmsgs 0 just read the current use.
 */
int	quota_read(const char *maildir, const char *want, off_t size,
	    int nmsgs, struct quota *);
/* quota_read() without the write: q->rebuild says what to write. */
int	quota_look(const char *maildir, const char *want, off_t size,
	    int nmsgs, struct quota *);
/* Write the recalculated maildirsize, if any (errors ignored: a cache). */
void	quota_settle(struct quota *);

/* How full: 0..100, rounded as Courier does; 0 without a quota. */
int	quota_percent(const struct quota *);

/* Append "<size> 1" to maildirsize after a delivery; 0 or -1/errno. */
int	quota_add(struct quota *, off_t size);

void	quota_free(struct quota *);

/*
 * quotawarn.c, -w/-W: after a delivery to maildir (or its refusal for
 * quota), warn the owner when the maildir++ is r->quota_warn percent
 * full.  Never fails; see there.
 */
void	quota_warn(struct run *, const char *maildir);

/* Parse "NNNS,MMMC"; 0, or -1 when nothing valid is in it. */
int	quota_parse(const char *def, long long *bytes, long long *count);

#endif
