/*
 * spool.c: the mail group of a set-gid install, held as the saved gid
 * and taken up only for the lock files of the user's own spool mailbox.
 *
 * Why the saved gid and not the effective one, as maildrop keeps it: a
 * user chooses the filter, and the filter names files, runs commands and
 * includes other files.  With the group effective all along, `to
 * "/var/mail/bob"` could create bob's mailbox, or a dead-lock break could
 * remove a lock of someone else's.  With it only saved, nothing the
 * filter does has it: files are opened with the user's own ids, and a
 * command is started while the effective gid is the user's, which exec
 * copies into the child's saved gid, so no child can take mail up again
 * (spawn.c also asks posix_spawn to reset the effective ids).
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "spool.h"

static gid_t group = (gid_t)-1;	/* the saved gid we may take up */
static char hint[256];

/* The spool as Debian ships it: root's directory, writable by g (or by
   its group when g is -1), not by everyone.  Its group, else -1. */
static gid_t
spool_dir_group(gid_t g)
{
	struct stat st;

	if (lstat(SPOOL_DIR, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0 || st.st_gid == 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != S_IWGRP)
		return (gid_t)-1;
	if (g != (gid_t)-1 && st.st_gid != g)
		return (gid_t)-1;
	return st.st_gid;
}

int
spool_start(int all)
{
	gid_t rg = getgid(), eg = getegid();
	uid_t ru = getuid();

	/* A set-uid root start keeps root until user.c has checked the
	   caller; the companion commands have no use for it. */
	if (all && geteuid() != ru && setresuid(ru, ru, ru) != 0)
		return -1;
	if (eg == rg)
		return 0;
	if (!all && ru != 0 && spool_dir_group(eg) == eg) {
		if (setresgid(rg, rg, eg) != 0)
			return -1;
		group = eg;
		return 0;
	}
	return setresgid(rg, rg, rg);
}

gid_t
spool_group_of_dir(void)
{
	return spool_dir_group((gid_t)-1);
}

void
spool_keep(gid_t g)
{
	group = g;
}

int
spool_mailbox(const char *path, const char *user)
{
	size_t n = strlen(SPOOL_DIR);

	if (group == (gid_t)-1 || user == NULL || *user == '\0' ||
	    strchr(user, '/') != NULL || strcmp(user, ".") == 0 ||
	    strcmp(user, "..") == 0)
		return 0;
	return strncmp(path, SPOOL_DIR, n) == 0 && path[n] == '/' &&
	    strcmp(path + n + 1, user) == 0;
}

int
spool_up(void)
{
	if (group == (gid_t)-1)
		return -1;
	return setresgid((gid_t)-1, group, (gid_t)-1);
}

void
spool_down(void)
{
	gid_t rg = getgid();

	if (group == (gid_t)-1 || getegid() == rg)
		return;
	if (setresgid((gid_t)-1, rg, (gid_t)-1) != 0) {
		/* Going on with the group is not an option. */
		fprintf(stderr, "maildrop: Cannot set my user or group id.\n"
		    "  could not put the mail group down: %s\n",
		    strerror(errno));
		_exit(EX_TEMPFAIL);
	}
}

const char *
spool_hint(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(SPOOL_DIR);
	struct group *gr;
	gid_t g;

	if (group != (gid_t)-1 || slash == NULL ||
	    (size_t)(slash - path) != n || strncmp(path, SPOOL_DIR, n) != 0 ||
	    (g = spool_group_of_dir()) == (gid_t)-1)
		return NULL;
	gr = getgrgid(g);
	snprintf(hint, sizeof(hint), "the spool %s is writable only by group "
	    "%s: install runnel set-gid %s (make install-setgid), as Debian "
	    "installs maildrop, or deliver to a maildir", SPOOL_DIR,
	    gr != NULL ? gr->gr_name : "mail", gr != NULL ? gr->gr_name :
	    "mail");
	return hint;
}
