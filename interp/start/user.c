/*
 * user.c: the user a delivery is for, and becoming them.  Privileges are
 * dropped before any file of the user's is read (DELIVERY.md §2 step 1,
 * STYLE.md §9), and a failure to drop them stops the delivery (75)
 * rather than going on as someone else.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "options.h"
#include "../run/run.h"
#include "../run/spool.h"
#include "user.h"

int
user_find(struct run *r, const struct options *o, struct user *u)
{
	struct passwd *pw;

	errno = 0;
	if (o->user != NULL)
		pw = getpwnam(o->user);
	else
		pw = getpwuid(getuid());
	if (pw == NULL) {
		struct buf b = BUF_INIT;

		if (o->user != NULL)
			buf_printf(&b, "no user \"%s\" in the password file",
			    o->user);
		else
			buf_printf(&b, "uid %u has no password entry",
			    (unsigned)getuid());
		/* maildrop prints this one without its name in front. */
		fflush(stdout);
		fputs("Invalid user specified.\n", stderr);
		run_die(r, EX_NOUSER, "", NULL, b.p);
		buf_free(&b);
		return EX_NOUSER;
	}
	u->name = xstrdup(pw->pw_name);
	u->home = xstrdup(o->home != NULL ? o->home : pw->pw_dir);
	u->shell = xstrdup(pw->pw_shell && *pw->pw_shell ? pw->pw_shell :
	    "/bin/sh");
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	r->user_name = u->name;
	r->user_home = u->home;
	r->user_shell = u->shell;
	return 0;
}

int
user_become(struct run *r, const struct options *o, const struct user *u)
{
	/*
	 * The caller first: a set-uid root install must not become another
	 * user for a caller who could not have asked for it.
	 */
	if (o->user != NULL && getuid() != 0 && getuid() != u->uid) {
		struct buf b = BUF_INIT;
		int rc;

		buf_printf(&b, "uid %u may not deliver for %s",
		    (unsigned)getuid(), u->name);
		rc = run_die(r, EX_TEMPFAIL, "Cannot set my user or group id.",
		    "only root (or the user) may use -d for a user", b.p);
		buf_free(&b);
		return rc;
	}
	if (geteuid() == 0 && u->uid != 0) {
		/*
		 * The user's ids, plus the spool's group as the saved gid
		 * only: spool.h takes it up just for the lock files of the
		 * user's own spool mailbox.
		 */
		gid_t spool = spool_group_of_dir();

		if (initgroups(u->name, u->gid) < 0 ||
		    setresgid(u->gid, u->gid, spool != (gid_t)-1 ? spool :
		    u->gid) < 0 || setresuid(u->uid, u->uid, u->uid) < 0)
			return run_die(r, EX_TEMPFAIL, "Cannot set my user or "
			    "group id.", NULL, strerror(errno));
		if (spool != (gid_t)-1)
			spool_keep(spool);
		return 0;
	}
	/* A set-uid install must not keep its privileges. */
	if (geteuid() != getuid() && setuid(getuid()) < 0)
		return run_die(r, EX_TEMPFAIL, "Cannot set my user or group "
		    "id.", NULL, strerror(errno));
	if (getegid() != getgid() && setgid(getgid()) < 0)
		return run_die(r, EX_TEMPFAIL, "Cannot set my user or group "
		    "id.", NULL, strerror(errno));
	return 0;
}

void
user_free(struct user *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	memset(u, 0, sizeof(*u));
}
