/*
 * user.h: whom a delivery is for (DELIVERY.md §2 step 1): their password
 * entry, and becoming them before any file of theirs is read.
 */
#ifndef USER_H
#define USER_H

#include <sys/types.h>

#include "options.h"
#include "../run/run.h"

struct user {
	char		*name, *home, *shell;
	uid_t		 uid;
	gid_t		 gid;
};

/*
 * Look up -d's user, else the invoker; keep the entry in u and name,
 * home and shell in r->user_* too.  0, or EX_NOUSER after printing
 * maildrop's lines.
 */
int	user_find(struct run *, const struct options *, struct user *u);

/*
 * Become u (from root), or make sure we already are; a set-uid install
 * drops what it was given.  0, or the exit status after printing why.
 */
int	user_become(struct run *, const struct options *,
	    const struct user *u);

/* Free what user_find() kept. */
void	user_free(struct user *u);

#endif
