/*
 * run.c: a run-time error is a record, filled once where it happens and
 * printed once by the runner, so an exception { } can drop it without a
 * word on stderr (DIFFERENCES.md B22).  maildrop's line is kept apart
 * from runnel's detail lines so logs that grep for it keep working.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "run.h"
#include "vars.h"

enum flow
run_fail(struct run *r, const struct pos *at, const char *compat,
    const char *hint, const char *fmt, ...)
{
	struct buf what = BUF_INIT;
	va_list ap;
	int n;

	/* The first error is the cause; later ones are its echoes. */
	if (r->err.set)
		return FLOW_FAIL;
	r->err.set = 1;
	r->err.status = EX_TEMPFAIL;
	r->err.loud = 0;
	buf_reset(&r->err.compat);
	buf_reset(&r->err.detail);
	buf_adds(&r->err.compat, compat != NULL ? compat : "Error.");
	if (fmt != NULL) {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		if (n > 0) {
			buf_grow(&what, (size_t)n);
			va_start(ap, fmt);
			vsnprintf(what.p, (size_t)n + 1, fmt, ap);
			va_end(ap);
			what.len = (size_t)n;
		}
	}
	if (at != NULL && at->file != NULL && at->line > 0)
		buf_printf(&r->err.detail, "  %s:%u:%u: %s\n", at->file,
		    at->line, at->col, what.len ? what.p : r->err.compat.p);
	else if (what.len > 0)
		buf_printf(&r->err.detail, "  %s\n", what.p);
	if (hint != NULL)
		buf_printf(&r->err.detail, "  %s\n", hint);
	buf_free(&what);
	return FLOW_FAIL;
}

void
run_warn(struct run *r, const struct pos *at, const char *msg)
{
	(void)r;
	fflush(stdout);
	if (at != NULL && at->file != NULL && at->line > 0)
		fprintf(stderr, "%s(%u): %s\n", at->file, at->line, msg);
	else
		fprintf(stderr, "maildrop: %s\n", msg);
}

/* maildrop's atoi-like reading: blanks, an optional '-', digits. */
int
run_exitcode(const struct run *r)
{
	const char *s = vars_str(r->vars, "EXITCODE");
	int neg = 0;
	long v = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s++ - '0');
		if (v > 1000000)
			v = 1000000;
	}
	return (int)(neg ? -v : v);
}
