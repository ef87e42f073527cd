/*
 * ruletest.c: `runnel test FILTER TESTFILE...`, one's own rules tested
 * like code.  Each case is a dry run of FILTER with its message, in a
 * child of its own, so that nothing one case sets (variables, the
 * message after xfilter, a stub's effect on the environment) reaches
 * the next; the child judges its own run before the run is freed and
 * prints `ok` or `FAIL` with the trace lines that explain it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "../message/message.h"
#include "../pattern/regex.h"
#include "../run/run.h"
#include "../run/spool.h"
#include "options.h"
#include "ruletest.h"
#include "testfile.h"

static const char test_help[] =
    "Usage: runnel test [--home DIR] FILTER TESTFILE...\n"
    "\n"
    "Run each case of each TESTFILE through FILTER as a dry run (nothing\n"
    "is delivered, no command runs unless the test file asks) and check\n"
    "where the message would go.  A test file has one case a line:\n"
    "\n"
    "  MESSAGE -> DESTINATION [; log contains \"TEXT\"] "
    "[; header NAME: /RE/]\n"
    "\n"
    "  MESSAGE      a message file, relative to the test file's directory\n"
    "  DESTINATION  one or more of: a folder or mbox (relative to the home\n"
    "               directory, or absolute), !address, \"|command\",\n"
    "               default (/var/mail/USER, where a filter that sets no\n"
    "               DEFAULT delivers); a trailing ... matches any rest\n"
    "               (\"|/usr/sbin/sendmail ...\");\n"
    "               or discard (no delivery, exit 0), exit N (no delivery,\n"
    "               exit status N), defer (exit 75: the MTA would retry).\n"
    "               With mailboxes, exit N checks the status too (else 0).\n"
    "  log contains \"TEXT\"  a 'log' statement wrote TEXT\n"
    "  header NAME: /RE/    the header NAME, as it would be delivered\n"
    "                       (after xfilter), matches RE (caseless)\n"
    "\n"
    "and these settings, for every case of the file:\n"
    "\n"
    "  exec                   run the filter's commands (xfilter, system,\n"
    "                         backticks), as --dry-run --exec\n"
    "  stub \"CMD\" \"REPLACEMENT\"  run REPLACEMENT where the filter runs\n"
    "                         exactly CMD (./prog: a program beside the\n"
    "                         test file); other commands stay unrun\n"
    "  env NAME=value         in the environment of every case\n"
    "\n"
    "'#' starts a comment line; \"...\" quotes a word with blanks.  The\n"
    "filter runs as `runnel --dry-run FILTER` runs it (manual mode: the\n"
    "environment is imported, maildroprc is not read), from the home\n"
    "directory: yours, or DIR with --home.\n"
    "\n"
    "Exit status: 0 every case passed, 1 a case failed, 65 a mistake in\n"
    "a test file (reported as FILE:LINE; no case runs), 64 bad usage.\n";

/* What the child of one case needs to judge it. */
struct judge {
	const struct testfile *tf;
	const struct tf_case *c;
	const char	*home;
	const char	*filter;	/* as run: an absolute name */
	const char	*given;		/* as the command line gave it */
	int		 capture;	/* the trace: stdout and stderr */
	FILE		*out;		/* the report: the real stdout */
	struct case_record rec;
	int		 passed;
};

/*
 * path as a comparable absolute path: the home in front of a relative
 * one, no "//", no "/./", no trailing '/'.  !address and |command as
 * they are.
 */
static void
normal(const char *home, const char *path, struct buf *out)
{
	const char *p;

	buf_reset(out);
	if (path[0] == '!' || path[0] == '|') {
		buf_adds(out, path);
		return;
	}
	if (path[0] != '/')
		buf_printf(out, "%s/", home);
	for (p = path; *p != '\0'; p++) {
		if (*p == '/' && out->len > 0 && out->p[out->len - 1] == '/')
			continue;
		if (*p == '.' && (p[1] == '/' || p[1] == '\0') &&
		    out->len > 0 && out->p[out->len - 1] == '/')
			continue;
		buf_addc(out, *p);
	}
	while (out->len > 1 && out->p[out->len - 1] == '/')
		buf_truncate(out, out->len - 1);
	buf_adds(out, "");
}

/* A delivered mailbox as the user wrote it: relative to the home. */
static void
shown(const char *home, const char *mailbox, struct buf *out)
{
	size_t n = strlen(home);

	if (strncmp(mailbox, home, n) == 0 && mailbox[n] == '/' &&
	    mailbox[n + 1] != '\0')
		buf_adds(out, mailbox + n + 1);
	else
		buf_adds(out, mailbox);
}

/* What the run did, in the test file's words. */
static void
outcome(struct judge *j, struct run *r, int status, struct buf *got)
{
	size_t i;

	for (i = 0; i < j->rec.ndelivered; i++) {
		if (i > 0)
			buf_addc(got, ' ');
		shown(j->home, j->rec.delivered[i], got);
	}
	if (status == EX_TEMPFAIL)
		buf_printf(got, "%sdefer (%s)", got->len ? ", then " : "",
		    r->err.compat.len ? r->err.compat.p : "exit 75");
	else if (status != 0)
		buf_printf(got, "%sexit %d", got->len ? ", then " : "", status);
	else if (got->len == 0)
		buf_adds(got, "discard");
	buf_adds(got, "");
}

/*
 * Does expected name mailbox?  "default" is the mailbox of a filter
 * that sets no DEFAULT; a trailing "..." matches any rest (a long
 * command).
 */
static int
names(struct judge *j, struct run *r, const char *expected,
    const char *mailbox)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t n = strlen(expected);
	int same;

	if (strcmp(expected, "default") == 0) {
		buf_printf(&b, "%s/%s", SPOOL_DIR, r->user_name);
		expected = b.p;
	}
	if (n > 3 && strcmp(expected + n - 3, "...") == 0)
		same = strncmp(mailbox, expected, n - 3) == 0;
	else {
		normal(j->home, expected, &a);
		normal(j->home, mailbox, &b);
		same = strcmp(a.p, b.p) == 0;
	}
	buf_free(&a);
	buf_free(&b);
	return same;
}

static int
same_mailboxes(struct judge *j, struct run *r)
{
	size_t i;
	int same = j->c->ndests == j->rec.ndelivered;

	for (i = 0; same && i < j->c->ndests; i++)
		same = names(j, r, j->c->dests[i], j->rec.delivered[i]);
	return same;
}

/* Does a top-level header field name match re?  why: what was there. */
static int
header_matches(struct run *r, const struct tf_header *h, struct buf *why)
{
	struct buf v = BUF_INIT, err = BUF_INIT;
	struct regex *re;
	size_t i, n = strlen(h->name);
	int found = 0;

	if (r->msg == NULL ||
	    (re = regex_compile(h->re, strlen(h->re), 0, &err)) == NULL) {
		buf_adds(why, "no message");
		buf_free(&err);
		return 0;
	}
	for (i = 0; i < msg_nheaders(r->msg) && !found; i++) {
		const struct msg_header *f = msg_header_at(r->msg, i);

		if (f->namelen != n || strncasecmp(f->name, h->name, n) != 0)
			continue;
		buf_reset(&v);
		msg_header_unfold(r->msg, i, &v);
		buf_adds(&v, "");
		found = regex_exec(re, v.p, v.len, 0) == 1;
		buf_printf(why, "%s%s: %s", why->len ? "; " : "", h->name, v.p);
	}
	if (why->len == 0)
		buf_printf(why, "no %s header", h->name);
	regex_free(re);
	buf_free(&v);
	buf_free(&err);
	return found;
}

/* The first way the run differs from the case; "" when it does not. */
static void
verdict(struct judge *j, struct run *r, int status, struct buf *why)
{
	const struct tf_case *c = j->c;
	struct buf got = BUF_INIT, seen = BUF_INIT;
	int want = c->defer ? EX_TEMPFAIL : c->status >= 0 ? c->status : 0;
	size_t i;

	outcome(j, r, status, &got);
	if (status != want || (!c->defer && !same_mailboxes(j, r)))
		buf_printf(why, "expected %s, got %s", c->expect, got.p);
	for (i = 0; why->len == 0 && i < c->nlogs; i++)
		if (strstr(buf_cstr(&j->rec.log), c->logs[i]) == NULL)
			buf_printf(why, "no log text contains \"%s\"",
			    c->logs[i]);
	for (i = 0; why->len == 0 && i < c->nheaders; i++)
		if (!header_matches(r, &c->headers[i], &seen))
			buf_printf(why, "header %s: /%s/ does not match (%s)",
			    c->headers[i].name, c->headers[i].re, seen.p);
	buf_free(&got);
	buf_free(&seen);
}

/*
 * The trace of a failing case, indented under it: the decisions that
 * held, the pattern hits, the deliveries, errors and the result.  The
 * conditions that were false are left out: they did nothing.
 */
static void
show_trace(struct judge *j)
{
	struct buf t = BUF_INIT;
	char chunk[4096], *line, *nl, *at;
	ssize_t n;

	fflush(stdout);
	fflush(stderr);
	if (lseek(j->capture, 0, SEEK_SET) < 0)
		return;
	while ((n = read(j->capture, chunk, sizeof(chunk))) > 0)
		buf_add(&t, chunk, (size_t)n);
	buf_adds(&t, "");
	for (line = t.p; line != NULL && *line != '\0'; line = nl) {
		size_t len;

		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		len = strlen(line);
		if (len >= 8 && strcmp(line + len - 8, "-> false") == 0)
			continue;
		/* The filter's name as the user typed it. */
		if ((at = strstr(line, j->filter)) != NULL &&
		    at[strlen(j->filter)] == ':')
			fprintf(j->out, "     %.*s%s%s\n", (int)(at - line),
			    line, j->given, at + strlen(j->filter));
		else
			fprintf(j->out, "     %s\n", line);
	}
	buf_free(&t);
}

static void
judge_run(struct run *r, int status, void *arg)
{
	struct judge *j = arg;
	struct buf why = BUF_INIT;

	verdict(j, r, status, &why);
	j->passed = why.len == 0;
	if (j->passed)
		fprintf(j->out, "ok   %s -> %s\n", j->c->message, j->c->expect);
	else {
		fprintf(j->out, "FAIL %s: %s\n", j->c->message, why.p);
		show_trace(j);
	}
	fflush(j->out);
	buf_free(&why);
}

/* The child of one case: the dry run, judged.  Never returns. */
static _Noreturn void
run_case(const struct testfile *tf, const struct tf_case *c,
    const char *filter, const char *given, const char *home)
{
	struct options o;
	struct judge j;
	char tmpl[] = "/tmp/runnel-test.XXXXXX";
	const char *tmp = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	size_t i;
	int fd;

	memset(&j, 0, sizeof(j));
	j.tf = tf;
	j.c = c;
	j.home = home;
	j.filter = filter;
	j.given = given;
	j.rec.tf = tf;
	/* Commands the case runs must not hold the report open. */
	j.out = fdopen(fcntl(1, F_DUPFD_CLOEXEC, 3), "w");
	if (tmp != NULL && *tmp == '/')
		buf_printf(&path, "%s/runnel-test.XXXXXX", tmp);
	else
		buf_adds(&path, tmpl);
	if (j.out == NULL || (fd = open(c->message_path, O_RDONLY |
	    O_CLOEXEC)) < 0 || dup2(fd, 0) < 0 ||
	    (j.capture = mkostemp(path.p, O_CLOEXEC)) < 0 ||
	    unlink(path.p) < 0 ||
	    chdir(home) < 0) {
		fprintf(j.out != NULL ? j.out : stderr, "FAIL %s: cannot "
		    "start the case: %s\n", c->message, strerror(errno));
		_exit(1);
	}
	close(fd);
	fflush(stdout);
	if (dup2(j.capture, 1) < 0 || dup2(j.capture, 2) < 0)
		_exit(1);
	for (i = 0; i < tf->nenv; i++)
		putenv(tf->env[i]);
	memset(&o, 0, sizeof(o));
	o.cmd = CMD_RUN;
	o.argv0 = "runnel";
	o.filter = filter;
	o.dry_run = 1;
	o.allow_exec = tf->exec;
	o.home = home;
	o.fx = ruletest_fx(&j.rec);
	o.done = judge_run;
	o.done_arg = &j;
	runner_main(&o);
	_exit(j.passed ? 0 : 1);
}

/* One case in its own child: 1 passed, 0 failed. */
static int
one_case(const struct testfile *tf, const struct tf_case *c,
    const char *filter, const char *given, const char *home)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		printf("FAIL %s: cannot start the case: %s\n", c->message,
		    strerror(errno));
		return 0;
	}
	if (pid == 0)
		run_case(tf, c, filter, given, home);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	/* 0 and 1 come after the verdict; anything else cut the run short. */
	if (WIFSIGNALED(st))
		printf("FAIL %s: the case died of signal %d\n", c->message,
		    WTERMSIG(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st) > 1)
		printf("FAIL %s: the run stopped before its end (exit %d)\n",
		    c->message, WEXITSTATUS(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* An absolute name, so the cases can run from the home directory. */
static char *
absolute(const char *path)
{
	struct buf b = BUF_INIT;
	char cwd[4096];

	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL)
		buf_printf(&b, "%s/", cwd);
	buf_adds(&b, path);
	return b.p;
}

static int
usage(void)
{
	fputs("runnel test: expected FILTER and at least one TESTFILE\n"
	    "  hint: runnel test ~/.mailfilter tests.runnel "
	    "(runnel test --help tells more)\n", stderr);
	return EX_USAGE;
}

int
ruletest_main(int argc, char **argv)
{
	struct testfile *tfs;
	struct passwd *pw;
	char *filter, *home = NULL;
	const char *given;
	int i = 1, nfiles, errors = 0, passed = 0, failed = 0;
	size_t f, k;

	if (i < argc && strcmp(argv[i], "--help") == 0) {
		fputs(test_help, stdout);
		return 0;
	}
	if (i + 1 < argc && strcmp(argv[i], "--home") == 0) {
		home = absolute(argv[i + 1]);
		i += 2;
	}
	if (argc - i < 2 || argv[i][0] == '-')
		return usage();
	if (home == NULL) {
		if ((pw = getpwuid(getuid())) == NULL) {
			fputs("runnel test: your uid has no password entry; "
			    "name the home directory with --home DIR\n",
			    stderr);
			return EX_USAGE;
		}
		home = xstrdup(pw->pw_dir);
	}
	given = argv[i];
	filter = absolute(argv[i++]);
	nfiles = argc - i;
	tfs = xcalloc((size_t)nfiles, sizeof(*tfs));
	for (f = 0; f < (size_t)nfiles; f++)
		errors += testfile_read(argv[i + (int)f], &tfs[f]);
	for (f = 0; errors == 0 && f < (size_t)nfiles; f++) {
		if (nfiles > 1)
			printf("# %s\n", tfs[f].name);
		for (k = 0; k < tfs[f].ncases; k++) {
			if (one_case(&tfs[f], &tfs[f].cases[k], filter, given,
			    home))
				passed++;
			else
				failed++;
		}
	}
	if (errors == 0)
		printf("%d passed, %d failed\n", passed, failed);
	for (f = 0; f < (size_t)nfiles; f++)
		testfile_free(&tfs[f]);
	free(tfs);
	free(filter);
	free(home);
	return errors > 0 ? EX_DATAERR : failed > 0 ? 1 : 0;
}
