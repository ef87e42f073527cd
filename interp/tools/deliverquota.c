/*
 * deliverquota.c: Courier's deliverquota.  The message on stdin goes into
 * one maildir by deliver_maildir(), the delivery a filter's `to` makes:
 * written to tmp/, synced, linked into new/, under the maildir++ quota of
 * the second argument (else maildirsize's).  The command line, texts and
 * exit statuses are Courier's (77 over quota, 75 any other failure, 73
 * usage).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../deliver/deliver.h"
#include "../deliver/quota.h"
#include "../message/message.h"
#include "../run/run.h"
#include "../run/vars.h"
#include "tools.h"

static int
usage(const char *argv0)
{
	fprintf(stderr, "Usage: %s [-c] [-w percent] maildir\n", argv0);
	return EX_CANTCREAT;
}

/*
 * A maildirsize runnel wrote afresh gets Courier's mode for this command
 * (0644 less the umask); one only appended to keeps its own.
 */
static void
size_mode(const char *dir, const struct stat *before, int existed)
{
	struct quota q;
	struct stat st;
	char *p;
	mode_t um;

	quota_read(dir, "", 0, 0, &q);
	p = xmalloc(strlen(q.root) + sizeof("/maildirsize"));
	strcpy(p, q.root);
	strcat(p, "/maildirsize");
	if (stat(p, &st) == 0 && (!existed || st.st_ino != before->st_ino)) {
		um = umask(0);
		umask(um);
		(void)chmod(p, 0644 & ~um);
	}
	free(p);
	quota_free(&q);
}

static int
deliver(const char *dir, const char *quota, int warn)
{
	struct run r;
	struct quota q;
	struct stat before, st;
	char *sizefile, um_text[8];
	size_t written;
	long long b, c;
	mode_t um;
	int rc, existed;

	memset(&r, 0, sizeof(r));
	arena_init(&r.scratch);
	r.vars = vars_new();
	r.mode = MODE_DELIVERY;
	r.logfd = -1;
	r.sysconfdir = "/etc";
	r.quota_warn = warn;
	/* Courier's files follow the umask: the message 0666 less it */
	um = umask(0);
	umask(um);
	snprintf(um_text, sizeof(um_text), "%03o", (unsigned)um & 0777);
	vars_sets(r.vars, "UMASK", um_text);
	/* a quota Courier cannot read is no quota: maildirsize's counts */
	if (quota != NULL && quota_parse(quota, &b, &c) == 0)
		vars_sets(r.vars, "MAILDIRQUOTA", quota);

	if ((r.msg = msg_read(0, NULL, 0, NULL)) == NULL) {
		fprintf(stderr, "deliverquota: cannot read the message: %s\n",
		    strerror(errno));
		rc = EX_TEMPFAIL;
		goto out;
	}
	quota_read(dir, "", 0, 0, &q);
	sizefile = xmalloc(strlen(q.root) + sizeof("/maildirsize"));
	strcpy(sizefile, q.root);
	strcat(sizefile, "/maildirsize");
	existed = stat(sizefile, &before) == 0;
	free(sizefile);
	quota_free(&q);

	if (quota_check(&r, dir, msg_size(r.msg), &q) == 1) {
		quota_settle(&q);
		quota_free(&q);
		quota_warn(&r, dir);
		fputs("Mail quota exceeded.\n", stdout);
		rc = EX_NOPERM;
	} else if (quota_free(&q), deliver_maildir(&r, NULL, dir,
	    &written) != 0) {
		struct buf lines = BUF_INIT;

		rt_error_lines(&r.err, &lines);
		fprintf(stderr, "deliverquota: %s\n%s", buf_cstr(&r.err.compat),
		    buf_cstr(&lines));
		buf_free(&lines);
		rc = EX_TEMPFAIL;
	} else
		rc = 0;
	if (stat(dir, &st) == 0)
		size_mode(dir, &before, existed);
out:
	if (r.msg != NULL)
		msg_free(r.msg);
	vars_free(r.vars);
	rt_error_free(&r.err);
	arena_free(&r.scratch);
	return rc;
}

int
deliverquota_main(int argc, char **argv)
{
	const char *dir, *quota = NULL;
	struct stat st;
	int create = 0, warn = -1, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0)
			create = 1;
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
			warn = atoi(argv[++i]);
		else
			break;		/* "-w90", "-x": the maildir, as Courier */
	}
	if (i >= argc)
		return usage(argv[0]);
	dir = argv[i];
	if (i + 1 < argc)
		quota = argv[i + 1];
	if (stat(dir, &st) != 0) {
		if (!create || errno != ENOENT) {
			fprintf(stderr, "%s: %s\n", dir, strerror(errno));
			return EX_TEMPFAIL;
		}
		if (tools_maildir_make("deliverquota", dir, NULL, 0) != 0)
			return EX_TEMPFAIL;
	}
	return deliver(dir, quota, warn);
}
