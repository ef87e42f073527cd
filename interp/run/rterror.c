/*
 * rterror.c: the one renderer of a run-time error record (run.h), as
 * the lines under maildrop's on stderr and in the dry run's trace, or as
 * the JSON object of a --format=json trace.
 */
#include <string.h>

#include "fileopen.h"
#include "../../grammar/json.h"
#include "run.h"

/* The record is read-only here; buf_cstr() is not. */
static const char *
str(const struct buf *b)
{
	return b->p != NULL ? b->p : "";
}

/* fn on each of the record's texts: the one list of them. */
static void
each_text(struct rt_error *e, void (*fn)(struct buf *))
{
	struct buf *const texts[] = { &e->compat, &e->what, &e->hint,
	    &e->lead, &e->more, &e->path };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		fn(texts[i]);
}

void
rt_error_clear(struct rt_error *e)
{
	e->set = 0;
	memset(&e->at, 0, sizeof(e->at));
	each_text(e, buf_reset);
	e->op = NULL;
	e->errnum = 0;
	e->loud = 0;
	e->trapped = 0;
}

void
rt_error_free(struct rt_error *e)
{
	each_text(e, buf_free);
}

void
rt_error_lines(const struct rt_error *e, struct buf *out)
{
	const char *what = e->what.len ? e->what.p : str(&e->compat);

	if (e->lead.len > 0)
		buf_printf(out, "%s\n", e->lead.p);
	if (e->at.file != NULL)
		buf_printf(out, "  %s:%u:%u: %s\n", e->at.file, e->at.line,
		    e->at.col, what);
	else if (e->what.len > 0)
		buf_printf(out, "  %s\n", e->what.p);
	if (e->hint.len > 0)
		buf_printf(out, "  %s\n", e->hint.p);
	if (e->more.len > 0)
		buf_add(out, e->more.p, e->more.len);
}

void
rt_error_text(const struct rt_error *e, struct buf *out)
{
	if (e->compat.len > 0)
		buf_printf(out, "maildrop: %s\n", e->compat.p);
	rt_error_lines(e, out);
}

void
rt_error_trapped_text(const struct rt_error *e, struct buf *out)
{
	buf_printf(out, "exception trapped: %s\n", e->compat.len ?
	    str(&e->compat) : "error");
	rt_error_lines(e, out);
	while (out->len > 0 && out->p[out->len - 1] == '\n')
		out->p[--out->len] = '\0';
}

void
rt_error_json(const struct rt_error *e, struct buf *out)
{
	size_t n = e->compat.len;

	/* "Unable to create a dot-lock at X.\n": its line, not the \n */
	while (n > 0 && e->compat.p[n - 1] == '\n')
		n--;
	buf_adds(out, "{\"maildrop\": ");
	json_str(out, str(&e->compat), n);
	if (e->at.file != NULL) {
		buf_adds(out, ", ");
		json_pos(out, &e->at);
	}
	buf_adds(out, ", \"what\": ");
	json_str(out, str(&e->what), e->what.len);
	if (e->op != NULL) {
		buf_adds(out, ", \"operation\": ");
		json_str(out, e->op, strlen(e->op));
	}
	if (e->path.len > 0) {
		buf_adds(out, ", \"path\": ");
		json_str(out, e->path.p, e->path.len);
	}
	if (e->errnum != 0) {
		/* a file refused for its kind has no errno, only the words */
		if (!FILE_REFUSED(e->errnum))
			buf_printf(out, ", \"errno\": %d", e->errnum);
		buf_adds(out, ", \"strerror\": ");
		json_str(out, file_strerror(e->errnum),
		    strlen(file_strerror(e->errnum)));
	}
	if (e->hint.len > 0) {
		buf_adds(out, ", \"hint\": ");
		json_str(out, e->hint.p, e->hint.len);
	}
	if (e->more.len > 0) {
		buf_adds(out, ", \"more\": ");
		json_str(out, e->more.p, e->more.len);
	}
	buf_printf(out, ", \"status\": %d, \"trapped\": %s}", e->status,
	    e->trapped ? "true" : "false");
}
