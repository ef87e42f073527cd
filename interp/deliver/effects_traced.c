/*
 * effects_traced.c: the real effects, written down as they happen, for
 * the trace of a real delivery (README "Why did my filter do that?").
 * Every act is fx_real's; around it the decisions, pattern hits,
 * deliveries and commands go into a text in the dry run's words, which
 * start-up stores in the user's trace directory once the run is over.
 * The text is bounded: past its size it stops growing, so a looping
 * filter cannot fill memory with its own trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver.h"
#include "dryrun.h"
#include "traced.h"
#include "../run/effects.h"
#include "../run/run.h"

static struct {
	struct buf	*text;		/* the trace so far */
	size_t		 max;		/* its bound in bytes */
	int		 cut;		/* the bound was reached */
	struct buf	 pending;	/* pattern hits, for under their
					   decision */
	struct buf	 delivered;	/* "a, b" for the result line */
} tr;

static void
add(const char *s, size_t n)
{
	if (tr.cut)
		return;
	if (tr.text->len + n > tr.max) {
		tr.cut = 1;
		buf_printf(tr.text, "[the trace stops here: it reached "
		    "%zu bytes]\n", tr.max);
		return;
	}
	buf_add(tr.text, s, n);
}

/* One line: "FILE:LINE:COL: what", then the hits held for it. */
static void
line(const struct pos *at, const char *what)
{
	struct buf b = BUF_INIT;

	dryrun_line(&b, at, what);
	add(b.p, b.len);
	add(tr.pending.p != NULL ? tr.pending.p : "", tr.pending.len);
	buf_reset(&tr.pending);
	buf_free(&b);
}

static void
tr_note(struct run *r, const struct pos *why, const char *what)
{
	fx_real.note(r, why, what);
	if (strncmp(what, "matched ", 8) == 0)
		buf_printf(&tr.pending, "    %s\n", what);
	else
		line(why, what);
}

/* An exception { } trapped an error: the record, as the dry run shows it. */
static void
tr_trapped(struct run *r, const struct pos *why, const struct rt_error *e)
{
	struct buf b = BUF_INIT;

	fx_real.trapped(r, why, e);
	rt_error_trapped_text(e, &b);
	line(why, b.p);
	buf_free(&b);
}

/* maildrop's line of the run's error, its first line only. */
static void
error_line(const struct run *r, struct buf *b)
{
	const char *p = r->err.compat.len > 0 ? r->err.compat.p : "error";

	buf_add(b, p, strcspn(p, "\n"));
}

/* "failed: maildrop's line" after an act that returned -1. */
static void
outcome(struct run *r, const struct pos *why, struct buf *b, int rc)
{
	if (rc < 0) {
		buf_adds(b, ": failed: ");
		error_line(r, b);
	}
	line(why, b->p);
}

static int
tr_deliver(struct run *r, const struct pos *why, const char *mailbox,
    enum delivery_how how, int *status)
{
	struct buf b = BUF_INIT;
	int rc = fx_real.deliver(r, why, mailbox, how, status);

	buf_printf(&b, "%s: delivered to %s (%s)", how == HOW_TO ? "to" :
	    how == HOW_CC ? "cc" : "end of filter, default delivery to "
	    "$DEFAULT", mailbox, mailbox_kind_name(mailbox_kind(mailbox)));
	if (rc == 0 && (mailbox[0] == '|' || mailbox[0] == '!'))
		buf_printf(&b, ", exit %d", *status);
	if (rc < 0) {
		buf_reset(&b);
		buf_printf(&b, "%s: delivery to %s", how == HOW_TO ? "to" :
		    how == HOW_CC ? "cc" : "$DEFAULT", mailbox);
	} else {
		if (tr.delivered.len > 0)
			buf_adds(&tr.delivered, ", ");
		buf_adds(&tr.delivered, mailbox);
	}
	outcome(r, why, &b, rc);
	buf_free(&b);
	return rc;
}

static void
command(struct run *r, const struct pos *why, const char *what,
    const char *cmd, int rc, int status)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s \"%s\": ran", what, cmd);
	if (rc == 0)
		buf_printf(&b, ", exit %d", status);
	outcome(r, why, &b, rc);
	buf_free(&b);
}

static int
tr_xfilter(struct run *r, const struct pos *why, const char *cmd,
    int *status)
{
	int rc = fx_real.xfilter(r, why, cmd, status);

	command(r, why, "xfilter", cmd, rc, *status);
	return rc;
}

static int
tr_system(struct run *r, const struct pos *why, const char *cmd, int *status)
{
	int rc = fx_real.system(r, why, cmd, status);

	command(r, why, "system", cmd, rc, *status);
	return rc;
}

static int
tr_backtick(struct run *r, const struct pos *why, const char *cmd,
    struct buf *out, int *status)
{
	int rc = fx_real.backtick(r, why, cmd, out, status);

	command(r, why, "command", cmd, rc, *status);
	return rc;
}

static int
tr_log(struct run *r, const struct pos *why, const char *text, size_t len)
{
	struct buf b = BUF_INIT;
	size_t n = len;

	while (n > 0 && text[n - 1] == '\n')
		n--;
	buf_adds(&b, "logged: ");
	buf_add(&b, text, n);
	line(why, b.p);
	buf_free(&b);
	return fx_real.log(r, why, text, len);
}

const struct effects *
traced_start(struct buf *text, size_t max)
{
	static struct effects fx;

	tr.text = text;
	tr.max = max;
	fx = fx_real;
	fx.name = "deliver (traced)";
	fx.note = tr_note;
	fx.trapped = tr_trapped;
	fx.deliver = tr_deliver;
	fx.xfilter = tr_xfilter;
	fx.system = tr_system;
	fx.backtick = tr_backtick;
	fx.log = tr_log;
	return &fx;
}

void
traced_result(struct run *r, int status)
{
	struct buf b = BUF_INIT;

	if (tr.text == NULL)
		return;
	if (r->err.set && r->err.compat.len > 0 && status != 0) {
		buf_adds(&b, "result: error: ");
		error_line(r, &b);
		buf_printf(&b, "; exit %d", status);
	}
	else if (tr.delivered.len > 0)
		buf_printf(&b, "result: delivered to %s; exit %d",
		    tr.delivered.p, status);
	else
		buf_printf(&b, "result: not delivered; exit %d", status);
	line(NULL, b.p);
	buf_free(&b);
	buf_free(&tr.pending);
	buf_free(&tr.delivered);
	tr.text = NULL;
}
