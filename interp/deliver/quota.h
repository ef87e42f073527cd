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
};

/*
 * Decide whether a message of `size` bytes fits into maildir (the folder
 * delivered to; its maildir++ root is found by "maildirfolder").  Quota
 * comes from MAILDIRQUOTA, else from the first line of maildirsize.
 * Returns 0 (fits, or no quota), 1 (over quota).  maildirsize problems
 * are never fatal: it is only a cache and is recalculated.
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
