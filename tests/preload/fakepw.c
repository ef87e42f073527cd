/*
 * fakepw.c: an LD_PRELOAD library that answers getpwnam/getpwuid for one
 * made-up user whose home is a test sandbox, so delivery mode (-d), the
 * home directory checks and /etc/maildroprc can be tested without
 * adding a user to the machine.  The user has the caller's uid and gid.
 *
 * Environment: FAKEPW_NAME (the user name), FAKEPW_HOME (the home).
 * Or FAKEPW_FILE, a file in passwd(5) format: its users, with their own
 * uids (the LMTP tests deliver for several users and drop privileges).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct passwd pw;

static struct passwd *
fake(void)
{
	const char *name = getenv("FAKEPW_NAME"), *home = getenv("FAKEPW_HOME");

	if (name == NULL || home == NULL)
		return NULL;
	pw.pw_name = (char *)name;
	pw.pw_passwd = (char *)"x";
	pw.pw_uid = getuid();
	pw.pw_gid = getgid();
	pw.pw_gecos = (char *)"";
	pw.pw_dir = (char *)home;
	pw.pw_shell = (char *)"/bin/sh";
	return &pw;
}

/* The entry of FAKEPW_FILE with this name (or, name NULL, this uid). */
static struct passwd *
from_file(const char *file, const char *name, uid_t uid)
{
	static char keep[1024];
	struct passwd *p;
	FILE *f = fopen(file, "r");

	if (f == NULL)
		return NULL;
	while ((p = fgetpwent(f)) != NULL)
		if (name != NULL ? strcmp(p->pw_name, name) == 0 :
		    p->pw_uid == uid)
			break;
	if (p != NULL) {
		/* fgetpwent's strings live in the stream's buffer */
		snprintf(keep, sizeof(keep), "%s%c%s%c%s", p->pw_name, 0,
		    p->pw_dir, 0, p->pw_shell);
		pw = *p;
		pw.pw_name = keep;
		pw.pw_dir = keep + strlen(keep) + 1;
		pw.pw_shell = pw.pw_dir + strlen(pw.pw_dir) + 1;
		pw.pw_passwd = (char *)"x";
		pw.pw_gecos = (char *)"";
		p = &pw;
	}
	fclose(f);
	return p;
}

struct passwd *
getpwnam(const char *name)
{
	const char *want = getenv("FAKEPW_NAME"), *file = getenv("FAKEPW_FILE");

	if (file != NULL)
		return from_file(file, name, 0);

	if (want != NULL && strcmp(name, want) == 0)
		return fake();
	return NULL;
}

struct passwd *
getpwuid(uid_t uid)
{
	const char *file = getenv("FAKEPW_FILE");

	if (file != NULL)
		return from_file(file, NULL, uid);
	if (uid == getuid())
		return fake();
	return NULL;
}
