/*
 * maildirmake.c: Courier's maildirmake.  Creates a maildir, or with -f a
 * maildir++ folder in one, or with -q sets the quota of an existing one
 * (writing maildirsize from what the maildir holds, with quota.c), or
 * with --add/--del edits its list of shared maildirs (maildirshared.c).  The
 * command line, texts and exit statuses are the Courier program's, so
 * scripts keep working; three of its failures are errors here instead:
 * -q on a missing maildir (Courier loops forever), a quota it cannot
 * parse (Courier ignores it and exits 0), and a folder name with '/'
 * (Courier lets "-f a/../../x" create a directory outside the maildir).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../deliver/quota.h"
#include "tools.h"

static int
usage(void)
{
	/* Courier's text, on stdout, exit 1 */
	fputs("Usage: maildirmake [ options ] maildir\n", stdout);
	return 1;
}

static int
fail(const char *prog, const char *path, int e)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(e));
	return -1;
}

int
tools_maildir_make(const char *prog, const char *dir, const char *folder,
    int shared)
{
	static const char *const subs[] = { "tmp", "new", "cur" };
	struct buf top = BUF_INIT, p = BUF_INIT;
	/* shared: readable by all, the subdirectories only in a folder */
	mode_t mode = shared ? 0755 : 0700;
	mode_t submode = shared && folder != NULL ? 0755 : 0700;
	int fd, rc = -1;
	size_t i;

	if (folder != NULL)
		buf_printf(&top, "%s/.%s", dir, folder);
	else
		buf_adds(&top, dir);
	/* mkdir's mode goes through the umask; Courier's does not */
	if (mkdir(top.p, mode) != 0 || chmod(top.p, mode) != 0) {
		fail(prog, top.p, errno);
		goto out;
	}
	for (i = 0; i < 3; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", top.p, subs[i]);
		if (mkdir(p.p, submode) != 0 || chmod(p.p, submode) != 0) {
			fail(prog, p.p, errno);
			goto out;
		}
	}
	if (folder != NULL) {
		buf_reset(&p);
		buf_printf(&p, "%s/maildirfolder", top.p);
		fd = open(p.p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || fchmod(fd, 0600) != 0 || close(fd) != 0) {
			fail(prog, p.p, errno);
			goto out;
		}
	}
	rc = 0;
out:
	buf_free(&top);
	buf_free(&p);
	return rc;
}

/* -q: maildirsize from the maildir's contents, as Courier leaves it. */
static int
set_quota(const char *dir, const char *quota)
{
	struct quota q;
	struct buf p = BUF_INIT;
	struct stat st;
	long long b, c;
	mode_t um;
	int rc = 0;

	if (quota_parse(quota, &b, &c) != 0) {
		fprintf(stderr, "maildirmake: %s: not a quota; write it as "
		    "NNNS (bytes), NNNC (messages) or NNNS,NNNC\n", quota);
		return 1;
	}
	buf_printf(&p, "%s/tmp", dir);
	if (stat(p.p, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "maildirmake: %s: %s; create the maildir "
		    "first: maildirmake %s\n", p.p, strerror(errno ? errno :
		    ENOTDIR), dir);
		buf_free(&p);
		return 1;
	}
	quota_read(dir, quota, 0, 0, &q);
	buf_reset(&p);
	buf_printf(&p, "%s/maildirsize", q.root);
	um = umask(0);
	umask(um);
	if (stat(p.p, &st) != 0 || chmod(p.p, 0644 & ~um) != 0)
		rc = fail("maildirmake", p.p, errno) ? 1 : 0;
	quota_free(&q);
	buf_free(&p);
	return rc;
}

int
maildirmake_main(int argc, char **argv)
{
	const char *folder = NULL, *quota = NULL, *add = NULL, *del = NULL,
	    *dir, *eq;
	int shared = 0, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], **val = NULL;

		if (strcmp(a, "-S") == 0)
			shared = 1;
		else if (strcmp(a, "--add") == 0 || strcmp(a, "--del") == 0) {
			if (i + 1 >= argc)
				return usage();
			*(a[2] == 'a' ? &add : &del) = argv[++i];
		}
		else if (a[1] == 'f')
			val = &folder;
		else if (a[1] == 'q')
			val = &quota;
		else
			return usage();
		if (val != NULL) {
			if (a[2] != '\0')
				*val = a + 2;
			else if (i + 1 < argc)
				*val = argv[++i];
			else
				return usage();
		}
	}
	if (i >= argc)
		return usage();
	dir = argv[i];
	/* --add NAME=/PATH (an absolute path) or --del NAME, before the rest */
	if (add != NULL) {
		struct buf name = BUF_INIT;
		int rc;

		if ((eq = strchr(add, '=')) == NULL || eq[1] != '/')
			return usage();
		buf_set(&name, add, (size_t)(eq - add));
		rc = tools_shared_add(dir, buf_cstr(&name), eq + 1);
		buf_free(&name);
		return rc;
	}
	if (del != NULL)
		return tools_shared_del(dir, del);
	if (folder != NULL && (folder[0] == '.' || strchr(folder, '/'))) {
		printf("Invalid folder name: %s\n", folder);
		return 1;
	}
	if (quota != NULL) {
		struct buf p = BUF_INIT;
		int rc;

		if (folder != NULL)
			buf_printf(&p, "%s/.%s", dir, folder);
		else
			buf_adds(&p, dir);
		rc = set_quota(p.p, quota);
		buf_free(&p);
		return rc;
	}
	return tools_maildir_make("maildirmake", dir, folder, shared) == 0 ?
	    0 : 1;
}
