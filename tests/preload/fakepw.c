/*
 * fakepw.c: an LD_PRELOAD library that answers getpwnam/getpwuid for one
 * made-up user whose home is a test sandbox, so delivery mode (-d), the
 * home directory checks and /etc/maildroprc can be tested without
 * adding a user to the machine.  The user has the caller's uid and gid.
 *
 * Environment: FAKEPW_NAME (the user name), FAKEPW_HOME (the home).
 */
#include <pwd.h>
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

struct passwd *
getpwnam(const char *name)
{
	const char *want = getenv("FAKEPW_NAME");

	if (want != NULL && strcmp(name, want) == 0)
		return fake();
	return NULL;
}

struct passwd *
getpwuid(uid_t uid)
{
	if (uid == getuid())
		return fake();
	return NULL;
}
