/*
 * effects_real.c: the effects that touch the world.  The evaluator has
 * decided what to do; here it is done, traced at VERBOSE levels with
 * maildrop's words, logged in maildrop's record format, and every failure
 * turned into maildrop's line plus runnel's explanation (run_fail).
 *
 * Children run through spawn.c, each under its own deadline.  A failure
 * that is not the sender's fault is EX_TEMPFAIL, so the MTA keeps the mail.
 * xfilter is all-or-nothing: the output lands in an unlinked temp file
 * (nothing to clean up if we die) and replaces the message only when the
 * filter exited 0 and wrote something; an empty result would be a
 * delivery of nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "deliver.h"
#include "../run/effects.h"
#include "lock.h"
#include "logrec.h"
#include "../message/message.h"
#include "../run/fileopen.h"
#include "../run/run.h"
#include "../proc/spawn.h"
#include "../run/vars.h"

static void
trace(struct run *r, int level, const char *fmt, const char *arg)
{
	if (r->verbose < level)
		return;
	fputs("maildrop: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

static int
real_deliver(struct run *r, const struct pos *why, const char *mailbox,
    enum delivery_how how, int *status)
{
	enum mailbox_kind k;
	struct buf cmd = BUF_INIT;
	size_t written = 0;
	int failed;
	int rc, st = 0;

	*status = 0;
	/*
	 * DIFFERENCES.md B11 (revised): exit 0 always means the message is
	 * in place, so an empty one is delivered like any other (maildrop
	 * writes nothing and says it succeeded), with a word on stderr.
	 */
	if (msg_size(r->msg) == 0)
		run_warn(r, why, "the message is empty (0 bytes); delivering "
		    "it as it is");
	k = mailbox_kind(mailbox);
	switch (k) {
	case MB_PIPE:
		trace(r, 1, "Delivering to %s", mailbox);
		rc = deliver_pipe(r, why, mailbox + 1, &st, &written);
		break;
	case MB_FORWARD:
		if (r->verbose > 0) {
			buf_printf(&cmd, "|%s -f '%s' %s",
			    vars_str(r->vars, "SENDMAIL"),
			    vars_str(r->vars, "RUNNEL_FORWARD_SENDER"),
			    mailbox + 1);
			trace(r, 1, "Delivering to %s", cmd.p);
		}
		rc = deliver_forward(r, why, mailbox + 1, &st, &written);
		break;
	case MB_MAILDIR:
		trace(r, 1, "Delivering to %s", mailbox);
		rc = deliver_maildir(r, why, mailbox, &written);
		break;
	case MB_MBOX:
	default:
		trace(r, 1, "Delivering to %s", mailbox);
		rc = deliver_mbox(r, why, mailbox, &written);
		break;
	}
	/*
	 * B17: a pipe's non-zero status is logged as an error, not failed.
	 * A delivery that failed before writing logs the message's size,
	 * what it tried to write, as maildrop does.
	 */
	failed = rc < 0 || st != 0;
	if (failed && written == 0)
		written = (size_t)msg_size(r->msg);
	logrec_delivery(r, mailbox, failed, written);
	if (!failed) {
		if (r->log_to.len > 0)
			buf_adds(&r->log_to, ", ");
		buf_adds(&r->log_to, mailbox);
	}
	if (k == MB_PIPE || k == MB_FORWARD)
		*status = st;
	/*
	 * A command's 75 becomes the run's exit status and the MTA only
	 * logs "temporary failure": say which command deferred the mail.
	 */
	if (rc == 0 && st == EX_TEMPFAIL && how != HOW_CC) {
		buf_reset(&cmd);
		buf_printf(&cmd, "%s exited with status %d (temporary "
		    "failure): the mail stays with the MTA, which will try "
		    "again", mailbox, st);
		run_warn(r, why, cmd.p);
	}
	if (rc == 0 && r->verbose > 1)
		fprintf(stderr, "maildrop: delivered to %s (%s, %s)\n",
		    mailbox, mailbox_kind_name(k), how == HOW_CC ? "cc" :
		    how == HOW_TO ? "to" : "default");
	buf_free(&cmd);
	return rc < 0 ? -1 : 0;
}

/* An unlinked file for a filter's output: gone by itself if we die. */
static int
temp_file(struct run *r)
{
	const char *dir = vars_str(r->vars, "TMPDIR");
	struct buf path = BUF_INIT;
	int fd;

	if (dir == NULL || *dir != '/')
		dir = secure_getenv("TMPDIR");
	if (dir == NULL || *dir != '/')
		dir = "/tmp";
	buf_printf(&path, "%s/runnel-xfilter.XXXXXX", dir);
	fd = mkostemp(path.p, O_CLOEXEC);
	if (fd >= 0)
		unlink(path.p);
	buf_free(&path);
	return fd;
}

static int
real_xfilter(struct run *r, const struct pos *why, const char *cmd,
    int *status)
{
	static const char compat[] = "Unable to filter message.";
	struct spawn_req q;
	struct spawn_res res;
	struct buf how = BUF_INIT;
	const char *argv[4];
	off_t size;
	int fd, rc = -1;

	*status = FX_NOT_RUN;
	trace(r, 1, "Filtering through xfilter %s", cmd);
	if ((fd = temp_file(r)) < 0)
		return run_fail(r, why, compat, "set TMPDIR to a writable "
		    "directory", "xfilter \"%s\": cannot create a temp file: "
		    "%s", cmd, strerror(errno)), -1;
	memset(&q, 0, sizeof(q));
	spawn_shell_argv(r, cmd, argv, &q.prog);
	q.argv = (char *const *)argv;
	q.in = SPAWN_IN_MESSAGE;
	q.out = SPAWN_OUT_FD;
	q.outfd = fd;
	q.timeout = spawn_timeout(r);
	if (spawn_run(r, &q, &res) < 0) {
		if (res.exec_errno != 0)
			run_fail(r, why, compat, "set SHELL to a shell that "
			    "exists, or leave it empty for /bin/sh",
			    "xfilter \"%s\": Unable to execute %s: %s", cmd,
			    q.prog, strerror(res.exec_errno));
		else
			run_fail(r, why, compat, NULL, "xfilter \"%s\": cannot "
			    "start a process: %s", cmd, strerror(errno));
		goto out;
	}
	*status = res.status;
	/*
	 * A filter may stop reading early (it decided on the first part);
	 * what it wrote and its exit status are what count.
	 */
	if (res.timed_out || res.signo != 0 || res.status != 0) {
		spawn_describe(&res, q.timeout, &how);
		run_fail(r, why, compat, res.timed_out ? "raise "
		    SPAWN_TIMEOUT_VAR " (seconds, 0 for no limit) if the "
		    "filter needs longer" : NULL,
		    "xfilter \"%s\": %s; the message is unchanged", cmd,
		    buf_cstr(&how));
		goto out;
	}
	/*
	 * EPIPE is the filter choosing to stop reading; any other error
	 * means it was given part of the message, so its output is not
	 * the filtered message.
	 */
	if (res.write_errno != 0 && res.write_errno != EPIPE) {
		run_fail(r, why, compat, NULL, "xfilter \"%s\": writing the "
		    "message to it failed after %zu bytes: %s; the message is "
		    "unchanged", cmd, res.written, strerror(res.write_errno));
		goto out;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0) {
		run_fail(r, why, compat, "an empty message cannot be "
		    "delivered; check the filter's output",
		    "xfilter \"%s\": the filter exited 0 but wrote nothing; "
		    "the message is unchanged", cmd);
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || msg_replace(r->msg, fd) < 0) {
		run_fail(r, why, compat, NULL, "xfilter \"%s\": reading the "
		    "filtered message: %s; the message is unchanged", cmd,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	buf_free(&how);
	return rc;
}

/*
 * Report a child that was killed or never started.  Not fatal for system
 * and backticks (RETURNCODE says it), but a timeout must be named.
 */
static void
child_trouble(const struct pos *why, const char *what, const char *cmd,
    const char *prog, const struct spawn_res *res, unsigned timeout)
{
	struct buf how = BUF_INIT;

	if (res->exec_errno != 0) {
		/* What maildrop's forked child prints before _exit(100). */
		fprintf(stderr, "Unable to execute %s\n", prog);
		return;
	}
	if (!res->timed_out && res->signo == 0)
		return;
	spawn_describe(res, timeout, &how);
	if (why != NULL && why->file != NULL)
		fprintf(stderr, "%s:%u:%u: ", why->file, why->line, why->col);
	if (strcmp(what, "backtick") == 0)
		fprintf(stderr, "warning: `%s`", cmd);
	else
		fprintf(stderr, "warning: %s \"%s\"", what, cmd);
	fprintf(stderr, " %s%s\n", how.p,
	    res->timed_out ? "; raise " SPAWN_TIMEOUT_VAR " if it needs "
	    "longer" : "");
	buf_free(&how);
}

static int
run_simple(struct run *r, const struct pos *why, const char *what,
    const char *cmd, enum spawn_in in, struct buf *out, int *status)
{
	struct spawn_req q;
	struct spawn_res res;
	const char *argv[4];

	*status = -1;
	memset(&q, 0, sizeof(q));
	spawn_shell_argv(r, cmd, argv, &q.prog);
	q.argv = (char *const *)argv;
	q.in = in;
	q.out = out != NULL ? SPAWN_OUT_BUF : SPAWN_OUT_INHERIT;
	q.outbuf = out;
	q.outmax = r->max_value;	/* a value could hold no more */
	q.timeout = spawn_timeout(r);
	if (spawn_run(r, &q, &res) < 0) {
		if (res.exec_errno == 0) {
			run_fail(r, why, "Cannot fork.", NULL,
			    "%s \"%s\": cannot start a process: %s", what, cmd,
			    strerror(errno));
			return -1;
		}
		child_trouble(why, what, cmd, q.prog, &res, q.timeout);
		*status = 100;		/* maildrop's child exits 100 */
		return 0;
	}
	if (res.too_much) {
		struct buf name = BUF_INIT;

		buf_printf(&name, "the output of `%s`", cmd);
		run_room(r, why, out->len, name.p);
		buf_free(&name);
		return -1;
	}
	child_trouble(why, what, cmd, q.prog, &res, q.timeout);
	*status = res.status;
	return 0;
}

static int
real_system(struct run *r, const struct pos *why, const char *cmd,
    int *status)
{
	trace(r, 1, "Executing system command %s", cmd);
	return run_simple(r, why, "system", cmd, SPAWN_IN_NULL, NULL, status);
}

static int
real_backtick(struct run *r, const struct pos *why, const char *cmd,
    struct buf *out, int *status)
{
	if (r->verbose > 0)
		fprintf(stderr, "maildrop: Filtering through `%s`\n", cmd);
	/* Commands that ignore their stdin are normal here: EPIPE is not news. */
	return run_simple(r, why, "backtick", cmd, SPAWN_IN_MESSAGE, out,
	    status);
}

static int
real_logfile(struct run *r, const struct pos *why, const char *path)
{
	int fd;

	fd = file_open(path, O_WRONLY | O_APPEND | O_CREAT, 0600, FILE_CHR,
	    NULL);
	if (fd < 0)
		return run_fail(r, why, "Unable to create log file.",
		    errno == ENOENT ? "create the directory first" :
		    FILE_REFUSED(errno) ? "a log is a regular file; remove what "
		    "is there or name another file" : NULL,
		    "logfile \"%s\": %s", path, file_strerror(errno)), -1;
	if (r->logfd >= 0)
		close(r->logfd);
	r->logfd = fd;
	return 0;
}

/* The evaluator has done echo's escapes and added the newline. */
static int
real_log(struct run *r, const struct pos *why, const char *text, size_t len)
{
	run_logwrite(r, text, len);
	return 0;
}

static int
real_lock(struct run *r, const struct pos *why, const char *path,
    int is_flock, void **handle)
{
	struct lock *l = NULL;
	int rc;

	*handle = NULL;
	/* §6: the dotlock statement locks the literal name, no ".lock". */
	rc = is_flock ? lock_flock(r, why, path, &l) :
	    lock_dot(r, why, path, geteuid(), 0, &l);
	if (rc < 0)
		return -1;
	*handle = l;
	return 0;
}

static void
real_unlock(struct run *r, void *handle)
{
	if (handle != NULL)
		lock_release(handle);
}

static void
real_note(struct run *r, const struct pos *why, const char *what)
{
	if (r->verbose < 4 || what == NULL)
		return;
	if (why != NULL && why->file != NULL)
		fprintf(stderr, "%s(%u): %s\n", why->file, why->line, what);
	else
		fprintf(stderr, "%s\n", what);
}

static void
real_trapped(struct run *r, const struct pos *why, const struct rt_error *e)
{
	struct buf b = BUF_INIT;

	/* maildrop printed this line where the failure happened. */
	if (e->loud) {
		fflush(stdout);
		fprintf(stderr, "maildrop: %.*s\n",
		    (int)strcspn(e->compat.p, "\n"), e->compat.p);
	}
	rt_error_trapped_text(e, &b);
	real_note(r, why, b.p);
	/* the log keeps what stderr does not (DIFFERENCES.md B22) */
	buf_adds(&b, "\n\n");
	run_logwrite(r, b.p, b.len);
	buf_free(&b);
}

static void
real_echo(struct run *r, const struct pos *why, const char *text, size_t len)
{
	fwrite(text, 1, len, stdout);
	fflush(stdout);
}

static int
real_may_write(struct run *r, const struct pos *why, const char *what)
{
	return 1;
}

const struct effects fx_real = {
	"deliver",
	real_deliver,
	real_xfilter,
	real_system,
	real_backtick,
	real_logfile,
	real_log,
	real_lock,
	real_unlock,
	real_note,
	real_trapped,
	NULL,		/* assignments are traced by VERBOSE in expr.c */
	real_echo,
	real_may_write,
};
