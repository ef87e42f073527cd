/*
 * diag.c: the only place a diagnostic becomes text.  One record prints
 * two ways: the compiler form for --check (FILE:LINE:COL, the source
 * line, a caret, a hint, as jq's locfile.c does), and maildrop's form for
 * delivery, where maildrop's own line comes first, verbatim, because MTA
 * logs and users' searches know it (LANGUAGE.md §9), and the compiler
 * form follows indented.  The caret line must hold up against hostile
 * input: a 10 MB line is shown as a window around the column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "json.h"

#define WINDOW	80	/* bytes shown either side of the column */

/* How each level reads, in text and in JSON. */
static const char *const level_name[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

void
diag_add(struct diags *d, enum diag_level level, struct pos pos,
    const char *msg, const char *hint, const char *compat)
{
	struct diag *dg;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	dg = &d->v[d->n++];
	memset(dg, 0, sizeof(*dg));
	dg->level = level;
	dg->pos = pos;
	dg->msg = msg;
	dg->hint = hint;
	dg->compat = compat;
	if (level == DIAG_ERROR)
		d->nerrors++;
}

void
diag_free(struct diags *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = d->nerrors = 0;
}

/* A byte as it can be shown on a terminal line. */
static int
shown(int c)
{
	if (c == '\t')
		return c;
	if (c < 0x20 || c == 0x7f)
		return '?';
	return c;
}

void
diag_print_caret(FILE *fp, const char *indent, struct pos pos,
    const char *text, size_t len)
{
	size_t start, end, from, to, at, i;

	if (text == NULL || pos.off > len)
		return;
	at = pos.off;
	start = at;
	while (start > 0 && text[start - 1] != '\n')
		start--;
	end = at;
	while (end < len && text[end] != '\n' && text[end] != '\r')
		end++;
	from = at - start > WINDOW ? at - WINDOW : start;
	to = end - at > WINDOW ? at + WINDOW : end;
	fprintf(fp, "%s    %s", indent, from > start ? "..." : "");
	for (i = from; i < to; i++)
		putc(shown((unsigned char)text[i]), fp);
	fprintf(fp, "%s\n%s    %s", to < end ? "..." : "", indent,
	    from > start ? "   " : "");
	/*
	 * Keep tabs so the caret lines up under the column, and count a
	 * UTF-8 character once (skip its continuation bytes).
	 */
	for (i = from; i < at; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			putc(text[i] == '\t' ? '\t' : ' ', fp);
	fputs("^\n", fp);
}

static void
print_compiler(FILE *fp, const char *indent, const struct diag *dg,
    const char *text, size_t len)
{
	fprintf(fp, "%s%s", indent, dg->pos.file ? dg->pos.file : "-");
	if (dg->pos.line > 0)	/* else about the whole file */
		fprintf(fp, ":%u:%u", dg->pos.line, dg->pos.col);
	fprintf(fp, ": %s: %s\n", level_name[dg->level], dg->msg);
	diag_print_caret(fp, indent, dg->pos, text, len);
	if (dg->hint != NULL)
		fprintf(fp, "%s  hint: %s\n", indent, dg->hint);
}

void
diag_print_compiler(FILE *fp, const struct diag *dg, const char *text,
    size_t len)
{
	print_compiler(fp, "", dg, text, len);
}

void
diag_print_maildrop(FILE *fp, const struct diag *dg, const char *text,
    size_t len)
{
	if (dg->compat_pre != NULL)
		fprintf(fp, "%s\n", dg->compat_pre);
	if (dg->compat != NULL)
		fprintf(fp, "%s(%u): %s\n", dg->pos.file ? dg->pos.file : "-",
		    dg->compat_line ? dg->compat_line : dg->pos.line,
		    dg->compat);
	print_compiler(fp, "  ", dg, text, len);
}

void
diag_json(struct buf *out, const struct diag *dg, const char *origin)
{
	buf_addc(out, '{');
	json_pos(out, &dg->pos);
	buf_printf(out, ", \"severity\": \"%s\", \"origin\": \"%s\", "
	    "\"message\": ", level_name[dg->level], origin);
	json_str(out, dg->msg, strlen(dg->msg));
	if (dg->hint != NULL) {
		buf_adds(out, ", \"hint\": ");
		json_str(out, dg->hint, strlen(dg->hint));
	}
	if (dg->compat != NULL) {
		buf_adds(out, ", \"maildrop\": ");
		json_str(out, dg->compat, strlen(dg->compat));
	}
	buf_addc(out, '}');
}
