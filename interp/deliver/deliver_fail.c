/*
 * deliver_fail.c: how a maildir or mbox delivery reports a failed
 * system call, one way for both: maildrop's line, then what failed on
 * which path as which user, and what to do about a full disk or a
 * permission problem.
 */
#include <errno.h>
#include <string.h>

#include "../run/fileopen.h"
#include "deliver.h"
#include "store.h"

void
deliver_fail(struct run *r, const struct pos *why, const char *compat,
    const char *what, const char *path, int e, const char *perm_hint)
{
	int fresh = !r->err.set;

	run_fail(r, why, compat,
	    e == ENOSPC || e == EDQUOT ? "the file system is full or over "
	    "its quota; the MTA will retry" :
	    e == EACCES || e == EPERM ? perm_hint :
	    FILE_REFUSED(e) ? "a mailbox is a regular file or a maildir; "
	    "remove what is there, or deliver elsewhere" : NULL,
	    "%s %s: %s (as user %s)", what, path, file_strerror(e),
	    store_user());
	run_fail_cause(r, fresh, what, path, e);
	/* maildrop prints this one where the write fails, trapped or not */
	if (strcmp(compat, DELIVER_WRITE_FAILED) == 0)
		r->err.loud = 1;
}
