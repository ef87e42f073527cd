/*
 * ruletest_fx.c: the effects of one `runnel test` case.  They are the dry
 * run's, so the case sees exactly what `runnel --dry-run` would show;
 * around them, each delivery and log text is recorded for the verdict,
 * and a command the test file stubs (`stub "/usr/bin/spamc" "..."`) runs
 * as its replacement, for real, while every other command stays unrun
 * unless the file says `exec`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../grammar/arena.h"
#include "../run/effects.h"
#include "../run/run.h"
#include "ruletest.h"

static struct case_record *rec;

static int
rt_deliver(struct run *r, const struct pos *why, const char *mailbox,
    enum delivery_how how, int *status)
{
	if (fx_dryrun.deliver(r, why, mailbox, how, status) < 0)
		return -1;
	rec->delivered = xrealloc(rec->delivered, (rec->ndelivered + 1) *
	    sizeof(*rec->delivered));
	rec->delivered[rec->ndelivered++] = xstrdup(mailbox);
	return 0;
}

static int
rt_log(struct run *r, const struct pos *why, const char *text, size_t len)
{
	while (len > 0 && text[len - 1] == '\n')
		len--;
	buf_add(&rec->log, text, len);
	buf_addc(&rec->log, '\n');
	return fx_dryrun.log(r, why, text, len);
}

/* The stub's command for cmd, noted in the trace; NULL: none. */
static const char *
stub(struct run *r, const struct pos *why, const char *what, const char *cmd)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < rec->tf->nstubs; i++)
		if (strcmp(rec->tf->stubs[i].cmd, cmd) == 0)
			break;
	if (i == rec->tf->nstubs)
		return NULL;
	buf_printf(&b, "%s \"%s\": run as the test file's stub \"%s\"", what,
	    cmd, rec->tf->stubs[i].with);
	r->fx->note(r, why, b.p);
	buf_free(&b);
	return rec->tf->stubs[i].with;
}

static int
rt_xfilter(struct run *r, const struct pos *why, const char *cmd,
    int *status)
{
	const char *with = stub(r, why, "xfilter", cmd);

	return with != NULL ? fx_real.xfilter(r, why, with, status) :
	    fx_dryrun.xfilter(r, why, cmd, status);
}

static int
rt_system(struct run *r, const struct pos *why, const char *cmd, int *status)
{
	const char *with = stub(r, why, "system", cmd);

	return with != NULL ? fx_real.system(r, why, with, status) :
	    fx_dryrun.system(r, why, cmd, status);
}

static int
rt_backtick(struct run *r, const struct pos *why, const char *cmd,
    struct buf *out, int *status)
{
	const char *with = stub(r, why, "command", cmd);

	return with != NULL ? fx_real.backtick(r, why, with, out, status) :
	    fx_dryrun.backtick(r, why, cmd, out, status);
}

/*
 * The dry run's effects with these in place: a copy made at run time, so
 * whatever else the dry run does (and any effect added later) is its own.
 */
const struct effects *
ruletest_fx(struct case_record *record)
{
	static struct effects fx;

	rec = record;
	fx = fx_dryrun;
	fx.name = "test";
	fx.deliver = rt_deliver;
	fx.log = rt_log;
	fx.xfilter = rt_xfilter;
	fx.system = rt_system;
	fx.backtick = rt_backtick;
	return &fx;
}
