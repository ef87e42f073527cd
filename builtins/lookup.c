/*
 * lookup.c: lookup(expr, file[, opts]), a file of patterns, one a line,
 * tried in order against expr.  Only the D option is honoured, as in
 * maildrop, so a list written for maildrop matches the same way.  A
 * missing file or a bad pattern is fatal: a filter that cannot read its
 * blacklist must not quietly deliver (LANGUAGE.md §7).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../interp/pattern/match.h"
#include "../interp/pattern/regex.h"
#include "../interp/run/fileopen.h"
#include "bi.h"

/* The whole file; -1 with errno when it cannot be read. */
static int
slurp(const char *path, struct buf *out)
{
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = file_open(path, O_RDONLY, 0, 0, NULL)) < 0)
		return -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* MATCH, MATCH1.. from a lookup hit, as a string =~ sets them. */
static void
set_vars(struct run *r, const struct regex *re, const struct buf *subj)
{
	const char *s = subj->p;
	struct match_caps c;
	size_t so, eo;
	unsigned i;

	c.ncaps = re->ncap;
	c.caps = xcalloc(re->ncap, sizeof(c.caps[0]));
	for (i = 0; i < re->ncap; i++)
		if (regex_span(re, i, &so, &eo)) {
			buf_set(&c.caps[i], s + so, eo - so);
			buf_mark_like(&c.caps[i], 0, subj, so, eo - so);
		}
	match_set_vars(r, &c);
	for (i = 0; i < re->ncap; i++)
		buf_free(&c.caps[i]);
	free(c.caps);
}

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
		rc = regex_exec(re, subj->p, subj->len, 0);
		if (rc > 0)
			set_vars(r, re, subj);
		else if (rc < 0) {
			/* The subject is the sender's: no match, go on. */
			char *line = xstrndup(p, (size_t)(eol - p));

			match_abandoned(r, &call->pos, line,
			    rc == REGEX_NO_TIME, regex_why(), "string",
			    subj->len);
			free(line);
			rc = 0;
		}
		regex_free(re);
		if (rc != 0)
			return rc;
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
	if (slurp(buf_cstr(&file), &text) < 0) {
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
