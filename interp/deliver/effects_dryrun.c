/*
 * effects_dryrun.c: the effects that only explain.  The same evaluator
 * runs the filter; here every act on the world is written down instead
 * of done, as a trace on stdout a user reads top to bottom: each
 * decision with its place and source text, the message line a pattern
 * matched, each delivery that would happen and whether it ends the run,
 * and the outcome.  Commands (xfilter, system, backticks) run only with
 * --exec; without it the trace says what their absence changes.  With
 * --format=json the same events go to one JSON document (trace_json.c),
 * printed at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver.h"
#include "dryrun.h"
#include "lock.h"
#include "trace_json.h"
#include "../run/effects.h"
#include "../message/message.h"
#include "../run/vars.h"

struct trace {
	int		 allow_exec;
	int		 json;		/* --format=json: events go to j */
	struct jtrace	 j;
	struct buf	 pending;	/* pattern hits, shown under their
					   decision */
	struct buf	 delivered;	/* "a, b" for the result line */
	int		 stopped;	/* a 'to' ended the run */
};

struct trace *
dryrun_start(struct run *r, int allow_exec, int json)
{
	struct trace *t = xcalloc(1, sizeof(*t));

	(void)r;
	t->allow_exec = allow_exec;
	t->json = json;
	return t;
}

void
dryrun_end(struct run *r, int status)
{
	if (r->trace != NULL && r->trace->json)
		jt_print(&r->trace->j, stdout, status, &r->err);
}

void
dryrun_free(struct run *r)
{
	if (r->trace == NULL)
		return;
	buf_free(&r->trace->pending);
	buf_free(&r->trace->delivered);
	jt_free(&r->trace->j);
	free(r->trace);
	r->trace = NULL;
}

void
dryrun_line(struct buf *out, const struct pos *at, const char *what)
{
	const char *nl;

	if (at != NULL && at->file != NULL && at->line > 0)
		buf_printf(out, "%s:%u:%u: ", at->file, at->line, at->col);
	while ((nl = strchr(what, '\n')) != NULL) {
		buf_add(out, what, (size_t)(nl - what));
		buf_adds(out, "\n  ");
		what = nl + 1;
		while (*what == ' ')
			what++;
	}
	buf_printf(out, "%s\n", what);
}

/* One trace line on stdout. */
static void
line(const struct pos *at, const char *what)
{
	struct buf b = BUF_INIT;

	dryrun_line(&b, at, what);
	fputs(b.p, stdout);
	buf_free(&b);
}

static void
flush_pending(struct trace *t)
{
	if (t->pending.len == 0)
		return;
	fputs(t->pending.p, stdout);
	buf_reset(&t->pending);
}

/*
 * Pattern hits arrive while a condition is being evaluated, before the
 * decision is known; they are held and printed under it.
 */
static void
dry_note(struct run *r, const struct pos *why, const char *what)
{
	const char *colon;

	if (r->trace->json) {
		colon = strchr(what, ':');
		if (strncmp(what, "matched ", 8) == 0 && colon != NULL) {
			struct buf where = BUF_INIT;

			buf_add(&where, what + 8, (size_t)(colon - what - 8));
			jt_match(&r->trace->j, where.p, colon + 1 +
			    (colon[1] == ' '));
			buf_free(&where);
		} else
			jt_note(&r->trace->j, why, what,
			    vars_get(r->vars, "MATCH", 5) != NULL ?
			    vars_str(r->vars, "MATCH") : NULL);
		return;
	}
	if (strncmp(what, "matched ", 8) == 0) {
		buf_printf(&r->trace->pending, "    %s\n", what);
		return;
	}
	line(why, what);
	flush_pending(r->trace);
	fflush(stdout);
}

/*
 * The delivery's plan runs as the real run runs it; a failure is the
 * real run's failure, so what follows (exception, exit 75) is what
 * would happen.
 */
static int
dry_deliver(struct run *r, const struct pos *why, const char *mailbox,
    enum delivery_how how, int *status)
{
	struct buf b = BUF_INIT;
	const char *verb = how == HOW_TO ? "to" : how == HOW_CC ? "cc" :
	    "end of filter, default delivery to $DEFAULT";
	int failed;

	*status = 0;
	flush_pending(r->trace);
	if (mailbox[0] == '\0' && !r->trace->json) {
		/* The real run fails at open(""); so does the dry run. */
		buf_printf(&b, "%s: the mailbox name is empty, so the "
		    "delivery would fail", verb);
		line(why, b.p);
		buf_free(&b);
		fflush(stdout);
		run_fail(r, why, DELIVER_OPEN_FAILED, "set the variable that "
		    "names the mailbox (e.g. DEFAULT=$1 with no $1 given)",
		    "open : No such file or directory");
		return -1;
	}
	buf_printf(&b, "%s: would deliver to %s (%s)", verb, mailbox,
	    mailbox_kind_name(mailbox_kind(mailbox)));
	failed = deliver_plan(r, why, mailbox) != 0;
	if (r->trace->json) {
		jt_delivery(&r->trace->j, why, how == HOW_TO ? "to" :
		    how == HOW_CC ? "cc" : "default", mailbox,
		    mailbox_kind_name(mailbox_kind(mailbox)),
		    failed ? &r->err : NULL);
		buf_free(&b);
		return failed ? -1 : 0;
	}
	if (failed)
		buf_adds(&b, "; the delivery would fail");
	else {
		if (msg_size(r->msg) == 0)
			buf_adds(&b, "; the message is empty, delivered as "
			    "it is (0 bytes)");
		buf_adds(&b, how == HOW_CC ? "; the filter goes on" :
		    "; this ends the run");
	}
	line(why, b.p);
	if (!failed) {
		if (r->trace->delivered.len > 0)
			buf_adds(&r->trace->delivered, ", ");
		buf_adds(&r->trace->delivered, mailbox);
	}
	buf_free(&b);
	fflush(stdout);
	return failed ? -1 : 0;
}

static int
dry_command(struct run *r, const struct pos *why, const char *what,
    const char *cmd, const char *without)
{
	struct buf b = BUF_INIT;

	if (r->trace->json) {
		jt_begin(&r->trace->j, "command", why);
		jt_str(&r->trace->j, "what", what, strlen(what));
		jt_str(&r->trace->j, "command", cmd, strlen(cmd));
		jt_raw(&r->trace->j, "run", r->trace->allow_exec ? "true" :
		    "false");
		jt_end(&r->trace->j);
		return r->trace->allow_exec;
	}
	flush_pending(r->trace);
	buf_printf(&b, "%s \"%s\": %s", what, cmd, r->trace->allow_exec ?
	    "run (--exec)" : without);
	line(why, b.p);
	buf_free(&b);
	fflush(stdout);
	return r->trace->allow_exec;
}

static int
dry_xfilter(struct run *r, const struct pos *why, const char *cmd,
    int *status)
{
	*status = 0;
	if (dry_command(r, why, "xfilter", cmd, "not run, the message is "
	    "left unchanged (--exec runs it)"))
		return fx_real.xfilter(r, why, cmd, status);
	return 0;
}

static int
dry_system(struct run *r, const struct pos *why, const char *cmd,
    int *status)
{
	int rc, saved;

	*status = 0;
	if (!dry_command(r, why, "system", cmd, "not run, RETURNCODE=0 "
	    "(--exec runs it)"))
		return 0;
	if (!r->trace->json)
		return fx_real.system(r, why, cmd, status);
	/*
	 * stdout holds the JSON document alone: the command's output goes
	 * to stderr, beside runnel's own messages.
	 */
	fflush(stdout);
	if ((saved = dup(STDOUT_FILENO)) < 0 ||
	    dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		return run_fail(r, why, "Cannot fork.", NULL, "system \"%s\": "
		    "cannot send its output to stderr: %s", cmd,
		    strerror(errno)), -1;
	}
	rc = fx_real.system(r, why, cmd, status);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return rc;
}

static int
dry_backtick(struct run *r, const struct pos *why, const char *cmd,
    struct buf *out, int *status)
{
	*status = 0;
	if (dry_command(r, why, "command", cmd, "not run, yields \"\" "
	    "(--exec runs it)"))
		return fx_real.backtick(r, why, cmd, out, status);
	return 0;
}

static int
dry_logfile(struct run *r, const struct pos *why, const char *path)
{
	struct buf b = BUF_INIT;

	if (r->trace->json) {
		jt_begin(&r->trace->j, "logfile", why);
		jt_str(&r->trace->j, "path", path, strlen(path));
		jt_end(&r->trace->j);
		return 0;
	}
	buf_printf(&b, "would log to %s", path);
	dry_note(r, why, b.p);
	buf_free(&b);
	return 0;
}

static int
dry_log(struct run *r, const struct pos *why, const char *text, size_t len)
{
	struct buf b = BUF_INIT;

	while (len > 0 && text[len - 1] == '\n')
		len--;
	if (r->trace->json) {
		jt_begin(&r->trace->j, "log", why);
		jt_str(&r->trace->j, "text", text, len);
		jt_end(&r->trace->j);
		return 0;
	}
	buf_adds(&b, "would log: ");
	buf_add(&b, text, len);
	dry_note(r, why, b.p);
	buf_free(&b);
	return 0;
}

static int
dry_lock(struct run *r, const struct pos *why, const char *path,
    int is_flock, void **handle)
{
	struct buf b = BUF_INIT;

	*handle = NULL;
	if (r->trace->json) {
		jt_begin(&r->trace->j, "lock", why);
		jt_str(&r->trace->j, "kind", is_flock ? "flock" : "dotlock",
		    is_flock ? 5 : 7);
		jt_str(&r->trace->j, "path", path, strlen(path));
		jt_end(&r->trace->j);
	} else {
		buf_printf(&b, "would %s %s", is_flock ? "flock" : "dot-lock",
		    path);
		dry_note(r, why, b.p);
		buf_free(&b);
	}
	/* The real run's first step, checked as it would fail. */
	return is_flock ? 0 : lock_dot_plan(r, why, path, 0);
}

static void
dry_unlock(struct run *r, void *handle)
{
	(void)r;
	(void)handle;
}

/*
 * maildrop's last line of a failure ("Unable to deliver to mailbox."),
 * the one that says what became of the message.
 */
static const char *
last_line(const struct buf *compat, struct buf *out)
{
	size_t end = compat->len, start;

	while (end > 0 && compat->p[end - 1] == '\n')
		end--;
	start = end;
	while (start > 0 && compat->p[start - 1] != '\n')
		start--;
	if (end - start > 10 && memcmp(compat->p + start, "maildrop: ", 10) == 0)
		start += 10;
	buf_add(out, compat->p + start, end - start);
	return buf_cstr(out);
}

void
dryrun_result(struct run *r, enum flow f, int status)
{
	struct buf b = BUF_INIT;

	if (r->trace->json) {
		jt_outcome(&r->trace->j, f == FLOW_FAIL ? "error" :
		    r->trace->delivered.len > 0 || r->trace->j.delivered.len > 0 ?
		    "delivered" : "not delivered", &r->err);
		return;
	}
	flush_pending(r->trace);
	switch (f) {
	case FLOW_FAIL:
		printf("result: error: %s; exit %d (the MTA would retry)\n",
		    r->err.compat.len ? last_line(&r->err.compat, &b) :
		    "syntax error", status);
		break;
	case FLOW_EXIT:
	case FLOW_NEXT:
		if (r->trace->delivered.len > 0)
			printf("result: delivered to %s; exit %d\n",
			    r->trace->delivered.p, status);
		else
			printf("result: not delivered (exit without 'to'); "
			    "exit %d\n", status);
		break;
	}
	buf_free(&b);
	fflush(stdout);
}

static void
dry_assigned(struct run *r, const struct pos *why, const char *name,
    size_t namelen, const struct buf *value)
{
	if (!r->trace->json)
		return;		/* the text trace shows decisions only */
	jt_begin(&r->trace->j, "assignment", why);
	jt_str(&r->trace->j, "name", name, namelen);
	jt_str(&r->trace->j, "value", value->p != NULL ? value->p : "",
	    value->len);
	jt_end(&r->trace->j);
}

/* The filter's own output; in a JSON document, an event of it. */
static void
dry_echo(struct run *r, const struct pos *why, const char *text, size_t len)
{
	if (!r->trace->json) {
		fx_real.echo(r, why, text, len);
		return;
	}
	jt_begin(&r->trace->j, "echo", why);
	jt_str(&r->trace->j, "text", text, len);
	jt_end(&r->trace->j);
}

static void
dry_trapped(struct run *r, const struct pos *why, const struct rt_error *e)
{
	struct buf b = BUF_INIT;

	if (r->trace->json) {
		jt_begin(&r->trace->j, "exception", why);
		rt_error_json(e, &b);
		jt_raw(&r->trace->j, "error", b.p);
		jt_end(&r->trace->j);
	} else {
		rt_error_trapped_text(e, &b);
		dry_note(r, why, b.p);
	}
	buf_free(&b);
}

static int
dry_may_write(struct run *r, const struct pos *why, const char *what)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s: read only in a dry run; nothing is written", what);
	dry_note(r, why, b.p);
	buf_free(&b);
	return 0;
}

const struct effects fx_dryrun = {
	"dry-run",
	dry_deliver,
	dry_xfilter,
	dry_system,
	dry_backtick,
	dry_logfile,
	dry_log,
	dry_lock,
	dry_unlock,
	dry_note,
	dry_trapped,
	dry_assigned,
	dry_echo,
	dry_may_write,
};
