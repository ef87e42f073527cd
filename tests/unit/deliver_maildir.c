/*
 * deliver_maildir.c: maildir delivery, its names and modes, FLAGS and
 * KEYWORDS, maildir++ quota (maildirsize bytes as maildrop 2.9.3 writes
 * them), the error for a target that is not a maildir, mailbox_kind, and
 * the cleanup registry.  Runs in a fresh temp directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "../../interp/proc/cleanup.h"
#include "../../interp/deliver/deliver.h"
#include "../../interp/message/message.h"
#include "../../interp/run/run.h"
#include "../../interp/run/vars.h"
#include "unit.h"

static char top[256];

static const char MSG[] = "From: a@b\nSubject: x\n\nbody\n";	/* 27 */

static struct message *
message(const char *text)
{
	int p[2];
	struct message *m;

	if (pipe(p) != 0)
		abort();
	if (write(p[1], text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(p[1]);
	m = msg_read(p[0], NULL, 0, NULL);
	close(p[0]);
	return m;
}

static void
fresh(struct run *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	r->vars = vars_new();
	r->msg = message(text);
	r->logfd = -1;
	vars_sets(r->vars, "UMASK", "077");
}

static void
done(struct run *r)
{
	msg_free(r->msg);
	vars_free(r->vars);
	rt_error_free(&r->err);
}

static void
mkmaildir(const char *d)
{
	char p[512];

	mkdir(d, 0700);
	snprintf(p, sizeof(p), "%s/tmp", d);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/new", d);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/cur", d);
	mkdir(p, 0700);
}

/* The only entry of dir (NULL unless exactly one). */
static char *
only(const char *dir)
{
	static char name[512];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(name, sizeof(name), "%s", de->d_name);
			n++;
		}
	closedir(d);
	return n == 1 ? name : NULL;
}

static int
count(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static char *
slurp(const char *path)
{
	static char b[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	b[n] = '\0';
	return b;
}

static int
matches(const char *s, const char *re)
{
	regex_t rx;
	int ok;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return 0;
	ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

static void
test_plain(void)
{
	struct run r;
	size_t w;
	char p[1024], *n, *c;
	struct stat st;
	int rc;

	mkmaildir("M1");
	fresh(&r, MSG);
	rc = deliver_maildir(&r, NULL, "M1/", &w);
	unit_check(rc == 0 && w == 27, "maildir-delivers", "%s",
	    r.err.compat.p ? r.err.compat.p : "rc != 0");
	n = only("M1/new");
	unit_check(n != NULL && matches(n,
	    "^[0-9]+\\.M[0-9]+P[0-9]+V[0-9A-F]{16}"
	    "I[0-9A-F]{16}_[0-9]+\\.[^/:]+,S=27$"), "maildir-name", "%s", n ?
	    n : "not exactly one file in new/");
	if (n != NULL) {
		snprintf(p, sizeof(p), "M1/new/%s", n);
		c = slurp(p);
		unit_check(c != NULL && strcmp(c, MSG) == 0, "maildir-bytes",
		    "content differs");
		unit_check(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600,
		    "maildir-mode-umask077", "mode is not 0600");
	}
	unit_check(count("M1/tmp") == 0 && count("M1/cur") == 0,
	    "maildir-tmp-empty", "tmp/ or cur/ not empty");
	done(&r);

	fresh(&r, MSG);
	vars_sets(r.vars, "UMASK", "022");
	rc = deliver_maildir(&r, NULL, "M1", &w);
	unit_check(rc == 0 && count("M1/new") == 2, "maildir-second", "failed");
	done(&r);
}

static void
test_flags(void)
{
	struct run r;
	size_t w;
	char *n;
	int rc;

	mkmaildir("M2");
	fresh(&r, MSG);
	vars_sets(r.vars, "FLAGS", "SFS");
	rc = deliver_maildir(&r, NULL, "M2", &w);
	n = only("M2/cur");
	unit_check(rc == 0 && n != NULL && matches(n, ",S=27:2,FS$"),
	    "maildir-flags-sorted", "%s", n ? n : "no file in cur/");
	unit_check(count("M2/new") == 0, "maildir-flags-not-new",
	    "file in new/");
	done(&r);

	fresh(&r, MSG);
	vars_sets(r.vars, "FLAGS", "SX");
	rc = deliver_maildir(&r, NULL, "M2", &w);
	unit_check(rc == -1 && r.err.set &&
	    strncmp(r.err.compat.p, "error writing to mailbox.", 25) == 0 &&
	    strstr(buf_cstr(&r.err.what), "'X' is not a maildir flag") != NULL,
	    "maildir-bad-flag", "%s", buf_cstr(&r.err.what));
	unit_check(count("M2/cur") == 1 && count("M2/tmp") == 0 &&
	    count("M2/new") == 0, "maildir-bad-flag-nothing-left",
	    "files left");
	done(&r);
}

static void
test_keywords(void)
{
	struct run r;
	size_t w;
	char p[1024], *n, *k;
	int rc;

	mkmaildir("M3");
	fresh(&r, MSG);
	vars_sets(r.vars, "KEYWORDS", "work,,urgent,work,B");
	vars_sets(r.vars, "FLAGS", "S");
	rc = deliver_maildir(&r, NULL, "M3", &w);
	n = only("M3/courierimapkeywords");
	unit_check(rc == 0 && n != NULL && strchr(n, ':') == NULL,
	    "keywords-file-named-by-base", "%s", n ? n : "no keyword file");
	if (n != NULL) {
		snprintf(p, sizeof(p), "M3/courierimapkeywords/%s", n);
		k = slurp(p);
		/* maildrop: sorted, without duplicates, one a line */
		unit_check(k != NULL && strcmp(k, "B\nurgent\nwork\n") == 0,
		    "keywords-content", "%s", k ? k : "unreadable");
		snprintf(p, sizeof(p), "%s:2,S", n);
		unit_check(only("M3/cur") != NULL &&
		    strcmp(only("M3/cur"), p) == 0, "keywords-match-message",
		    "names differ");
	}
	done(&r);
}

static void
test_not_maildir(void)
{
	struct run r;
	size_t w;
	int rc;

	mkdir("plain", 0700);
	mkdir("plain/tmp", 0700);
	fresh(&r, MSG);
	rc = deliver_maildir(&r, NULL, "plain", &w);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "Unable to open mailbox.") == 0 &&
	    strstr(buf_cstr(&r.err.hint), "mkdir -p plain/{cur,new,tmp}") !=
	    NULL && strstr(buf_cstr(&r.err.what), "plain/new") != NULL &&
	    strstr(buf_cstr(&r.err.what), "as user") != NULL &&
	    r.err.errnum == ENOENT && strcmp(r.err.path.p, "plain/new") == 0,
	    "not-maildir-error", "%s / %s", buf_cstr(&r.err.what),
	    buf_cstr(&r.err.hint));
	done(&r);

	unit_check(mailbox_kind("|cat") == MB_PIPE &&
	    mailbox_kind("!a@b") == MB_FORWARD &&
	    mailbox_kind("M1") == MB_MAILDIR &&
	    mailbox_kind("M1/") == MB_MAILDIR &&
	    mailbox_kind("plain") == MB_MBOX &&
	    mailbox_kind("nope/x") == MB_MBOX &&
	    mailbox_kind("/dev/null") == MB_MBOX, "mailbox-kind", "wrong");
}

static void
test_empty(void)
{
	struct run r;
	size_t w = 9;
	int rc;

	mkmaildir("M4");
	fresh(&r, "");
	rc = deliver_maildir(&r, NULL, "M4", &w);
	/* B11 revised: delivered as it is, a 0-byte file in new/. */
	unit_check(rc == 0 && w == 0 && count("M4/new") == 1 &&
	    count("M4/tmp") == 0, "empty-message-delivered", "not written");
	done(&r);
}

/* maildrop 2.9.3: MAILDIRQUOTA=100S,2C, three 27-byte deliveries. */
static void
test_quota(void)
{
	static const char want[] = "100S,2C\n"
	    "           0            0\n"
	    "          27            1\n"
	    "          27            1\n";
	static const char after[] = "100S,2C\n"
	    "          54            2\n";
	struct run r;
	size_t w;
	char *s;
	int rc, i, ok = 1;

	mkmaildir("Q");
	for (i = 0; i < 2; i++) {
		fresh(&r, MSG);
		vars_sets(r.vars, "MAILDIRQUOTA", "100S,2C");
		ok &= deliver_maildir(&r, NULL, "Q", &w) == 0;
		done(&r);
	}
	s = slurp("Q/maildirsize");
	unit_check(ok && s != NULL && strcmp(s, want) == 0, "quota-maildirsize",
	    "%s", s ? s : "missing");
	fresh(&r, MSG);
	vars_sets(r.vars, "MAILDIRQUOTA", "100S,2C");
	rc = deliver_maildir(&r, NULL, "Q", &w);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "maildir over quota.") == 0, "quota-over-count", "%s",
	    r.err.compat.p ? r.err.compat.p : "delivered");
	s = slurp("Q/maildirsize");
	unit_check(s != NULL && strcmp(s, after) == 0, "quota-recalculated",
	    "%s", s ? s : "missing");
	unit_check(count("Q/new") == 2 && count("Q/tmp") == 0,
	    "quota-nothing-left", "files left");
	done(&r);

	/* No MAILDIRQUOTA: the quota in maildirsize still applies. */
	fresh(&r, MSG);
	rc = deliver_maildir(&r, NULL, "Q", &w);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "maildir over quota.") == 0, "quota-from-maildirsize", "delivered");
	done(&r);

	/* A folder's quota is counted in its root. */
	mkmaildir("Q/.F");
	close(open("Q/.F/maildirfolder", O_CREAT | O_WRONLY, 0600));
	fresh(&r, MSG);
	vars_sets(r.vars, "MAILDIRQUOTA", "1000S");
	rc = deliver_maildir(&r, NULL, "Q/.F", &w);
	s = slurp("Q/maildirsize");
	unit_check(rc == 0 && s != NULL && strcmp(s, "1000S\n"
	    "          54            2\n"
	    "          27            1\n") == 0, "quota-folder-root", "%s",
	    s ? s : "missing");
	done(&r);
}

/*
 * maildirsize is a cache: a big one (>= 5120 bytes) is rebuilt from the
 * maildir; so is one that says "over quota" while more than one line
 * long or older than 15 minutes.  A fresh one-line file is believed.
 */
static void
test_quota_recalc(void)
{
	struct run r;
	struct utimbuf ut;
	size_t w;
	char *s;
	FILE *fp;
	int i, rc;

	mkmaildir("R");
	fp = fopen("R/maildirsize", "w");
	fprintf(fp, "1000S\n");
	for (i = 0; i < 400; i++)
		fprintf(fp, "%12d %12d\n", 100, 1);
	fclose(fp);
	fresh(&r, MSG);
	rc = deliver_maildir(&r, NULL, "R", &w);
	s = slurp("R/maildirsize");
	unit_check(rc == 0 && s != NULL && strcmp(s, "1000S\n"
	    "           0            0\n"
	    "          27            1\n") == 0, "quota-big-file-rebuilt", "%s",
	    s ? s : "missing");
	done(&r);

	/* One line claiming 990 bytes, fresh: believed, over quota. */
	fp = fopen("R/maildirsize", "w");
	fprintf(fp, "1000S\n%12d %12d\n", 990, 1);
	fclose(fp);
	fresh(&r, MSG);
	rc = deliver_maildir(&r, NULL, "R", &w);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "maildir over quota.") == 0, "quota-fresh-file-believed",
	    "delivered");
	done(&r);

	/* The same, 16 minutes old: rebuilt (27 bytes), delivered. */
	ut.actime = ut.modtime = time(NULL) - 16 * 60;
	utime("R/maildirsize", &ut);
	fresh(&r, MSG);
	rc = deliver_maildir(&r, NULL, "R", &w);
	s = slurp("R/maildirsize");
	unit_check(rc == 0 && s != NULL && strcmp(s, "1000S\n"
	    "          27            1\n"
	    "          27            1\n") == 0, "quota-old-file-rebuilt", "%s",
	    s ? s : "missing");
	done(&r);
}

static void
test_cleanup(void)
{
	int fd;

	fd = open("c1", O_CREAT | O_WRONLY, 0600);
	close(fd);
	fd = open("c2", O_CREAT | O_WRONLY, 0600);
	close(fd);
	cleanup_register("c1");
	cleanup_register("c2");
	cleanup_unregister("c2");
	cleanup_run();
	unit_check(access("c1", F_OK) != 0 && access("c2", F_OK) == 0,
	    "cleanup-run", "wrong files removed");
	cleanup_run();
	unit_check(access("c2", F_OK) == 0, "cleanup-run-once", "c2 removed");
}

int
main(void)
{
	char tmpl[] = "/tmp/runnel-unit-md.XXXXXX";
	char cmd[300];

	if (mkdtemp(tmpl) == NULL || chdir(tmpl) != 0) {
		unit_check(0, "setup", "no temp directory");
		return unit_done();
	}
	snprintf(top, sizeof(top), "%s", tmpl);
	test_plain();
	test_flags();
	test_keywords();
	test_not_maildir();
	test_empty();
	test_quota();
	test_quota_recalc();
	test_cleanup();
	if (chdir("/") == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
		if (!unit_failed && system(cmd) != 0)
			unit_check(0, "clean-up", "%s failed", cmd);
	}
	return unit_done();
}
