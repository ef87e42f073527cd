/*
 * lookup.c: lookup(expr, file[, opts]), a file of patterns, one a line,
 * tried in order against expr.  Only the D option is honoured, as in
 * maildrop, so a list written for maildrop matches the same way.  A
 * missing file or a bad pattern is fatal: a filter that cannot read its
 * blacklist must not quietly deliver (LANGUAGE.md §7).
 *
 * The subject is often the sender's text, and the file may be long: its
 * searches share the delivery's matching budget (RUNNEL_MATCH_TIME), and
 * once a search gives up for want of time the lines after it count as
 * not matched.  The file is read whole, so it is held to a value's
 * budget (RUNNEL_MAX_VALUE).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../interp/pattern/match.h"
#include "../interp/pattern/regex.h"
#include "../interp/run/fileopen.h"
#include "bi.h"

static size_t
line_no(const char *start, const char *at)
{
	size_t n = 1;

	for (; start < at; start++)
		if (*start == '\n')
			n++;
	return n;
}

/*
 * Try each line of text: lines end at CR or LF, leading blanks are
 * dropped (trailing ones are part of the pattern), blank lines and '#'
 * lines are skipped.  1 match, 0 none, FLOW_FAIL as -1.
 */
static int
try_lines(struct run *r, const struct expr *call, const char *file,
    const struct buf *text, const struct buf *subj, int cs)
{
	struct buf err = BUF_INIT;
	struct regex *re;
	const char *p = text->p, *end = text->p + text->len, *eol;
	char *line;
	int rc;

	if (p == NULL)
		return 0;	/* an empty file matches nothing */
	for (; p < end; p = eol + 1) {
		for (eol = p; eol < end && *eol != '\r' && *eol != '\n'; eol++)
			;
		while (p < eol && isspace((unsigned char)*p))
			p++;
		if (p == eol || *p == '#')
			continue;
		re = regex_compile(p, (size_t)(eol - p),
		    cs ? REGEX_CASE : 0, &err);
		if (re == NULL) {
			/* maildrop prints the PCRE message, then fails */
			fprintf(stderr, "%s\n", err.p);
			buf_reset(&err);
			buf_printf(&err, "Bad pattern in %s: %.*s", file,
			    (int)(eol - p), p);
			run_fail(r, &call->pos, err.p,
			    "fix or remove that line",
			    "lookup: %s, line %zu: not a valid pattern", file,
			    line_no(text->p, p));
			buf_free(&err);
			return -1;
		}
		line = xstrndup(p, (size_t)(eol - p));
		rc = match_lookup(r, &call->pos, re, line, subj);
		free(line);
		regex_free(re);
		if (rc == MATCH_FAILED)
			return -1;
		/* Out of matching time: the other lines do not match. */
		if (rc != 0)
			return rc == 1;
	}
	return 0;
}

enum flow
bi_lookup(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf subj = BUF_INIT, file = BUF_INIT, opts = BUF_INIT;
	struct buf text = BUF_INIT, compat = BUF_INIT;
	enum flow f = FLOW_FAIL;
	int rc;

	if (bi_arg(r, call, 0, &subj) == FLOW_FAIL ||
	    bi_arg(r, call, 1, &file) == FLOW_FAIL ||
	    bi_arg(r, call, 2, &opts) == FLOW_FAIL)
		goto done;
	rc = file_slurp_max(buf_cstr(&file), &text, r->max_value);
	if (rc < 0 && errno == EFBIG) {
		/* The file is read whole: it is held to a value's budget. */
		r->timed_out = 1;
		run_fail(r, &call->pos, "Out of memory.", "split the file, or "
		    "raise RUNNEL_MAX_VALUE (bytes)", "lookup: %s is more "
		    "than the %zu bytes one value may hold", buf_cstr(&file),
		    r->max_value);
		goto done;
	}
	if (rc < 0) {
		buf_printf(&compat, "Unable to open %s.", buf_cstr(&file));
		run_fail(r, &call->pos, compat.p,
		    "create the file, or test for it before calling lookup",
		    "lookup: %s: %s", buf_cstr(&file), file_strerror(errno));
		goto done;
	}
	rc = try_lines(r, call, buf_cstr(&file), &text, &subj,
	    opts.p != NULL && memchr(opts.p, 'D', opts.len) != NULL);
	if (rc < 0)
		goto done;
	buf_set(out, rc ? "1" : "0", 1);
	f = FLOW_NEXT;
done:
	buf_free(&subj);
	buf_free(&file);
	buf_free(&opts);
	buf_free(&text);
	buf_free(&compat);
	return f;
}
