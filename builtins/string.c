/*
 * string.c: length, substr, tolower, toupper, escape.  All byte based in
 * the C locale, as maildrop is (DIFFERENCES.md B12): a filter that cuts
 * a header with substr gets the same bytes under runnel.  UNICODE=1
 * switches the first four to characters (utf8.c).  escape stays byte
 * based in both modes: its special characters are all ASCII, and a UTF-8
 * multibyte sequence holds no ASCII byte, so it never splits one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bi.h"

/* length s: bytes, not characters (length("héllo") is 6); UNICODE=1: 5. */
enum flow
bi_length(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf s = BUF_INIT;
	size_t n;

	if (bi_arg(r, call, 0, &s) == FLOW_FAIL) {
		buf_free(&s);
		return FLOW_FAIL;
	}
	n = bi_unicode(r) ? bi_utf8_length(s.p, s.len) : s.len;
	buf_free(&s);
	buf_reset(out);
	buf_printf(out, "%zu", n);
	return FLOW_NEXT;
}

/* atol(3) on a value that may hold a NUL: digits stop there anyway. */
static long
to_long(const struct buf *b)
{
	return b->p ? strtol(b->p, NULL, 10) : 0;
}

/* substr's cut in bytes, with the same rules as bi_utf8_span. */
static void
byte_span(size_t len, long start, long count, size_t *from, size_t *keep)
{
	*from = (start < 0 || (unsigned long)start > len) ? len :
	    (size_t)start;
	*keep = len - *from;
	if (count >= 0 && (unsigned long)count < *keep)
		*keep = (size_t)count;
}

/*
 * substr(s, start[, count]): start outside [0, len] gives "", a count
 * keeps at most that many bytes, and a negative count keeps them all
 * (4.x; 2.9.3 crashes, DIFFERENCES.md A6).  UNICODE=1 counts characters.
 */
enum flow
bi_substr(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf s = BUF_INIT, n = BUF_INIT;
	long start, count = -1;
	size_t from, keep;
	enum flow f = FLOW_FAIL;

	if (bi_arg(r, call, 0, &s) == FLOW_FAIL ||
	    bi_arg(r, call, 1, &n) == FLOW_FAIL)
		goto done;
	start = to_long(&n);
	if (call->nargs > 2) {
		if (bi_arg(r, call, 2, &n) == FLOW_FAIL)
			goto done;
		count = to_long(&n);
	}
	if (bi_unicode(r))
		bi_utf8_span(s.p, s.len, start, count, &from, &keep);
	else
		byte_span(s.len, start, count, &from, &keep);
	buf_set(out, s.p ? s.p + from : "", keep);
	buf_mark_like(out, 0, &s, from, keep);	/* message text stays so */
	f = FLOW_NEXT;
done:
	buf_free(&s);
	buf_free(&n);
	return f;
}

/*
 * ASCII only: toupper("héllo") is "HéLLO" whatever the locale;
 * UNICODE=1 maps every letter ("HÉLLO", "ß" to "SS").
 */
static enum flow
map_case(struct run *r, const struct expr *call, struct buf *out, int up)
{
	size_t i;
	unsigned char c;

	if (bi_arg(r, call, 0, out) == FLOW_FAIL)
		return FLOW_FAIL;
	if (bi_unicode(r)) {
		bi_utf8_case(out, up);
		return FLOW_NEXT;
	}
	for (i = 0; i < out->len; i++) {
		c = (unsigned char)out->p[i];
		if (up && c >= 'a' && c <= 'z')
			out->p[i] = (char)(c - 'a' + 'A');
		else if (!up && c >= 'A' && c <= 'Z')
			out->p[i] = (char)(c - 'A' + 'a');
	}
	return FLOW_NEXT;
}

enum flow
bi_tolower(struct run *r, const struct expr *call, struct buf *out)
{
	return map_case(r, call, out, 0);
}

enum flow
bi_toupper(struct run *r, const struct expr *call, struct buf *out)
{
	return map_case(r, call, out, 1);
}

/*
 * escape s: a backslash before every character a shell or a regex could
 * take as special, the set maildrop uses, so "$FROM" can go into a
 * command line or a /pattern/.  The result is no longer marked as
 * message text: it is quoted already (DIFFERENCES.md B24).
 */
enum flow
bi_escape(struct run *r, const struct expr *call, struct buf *out)
{
	static const char special[] = "|!$()[]\\+*?.&;`'-~<>^{}\"";
	struct buf s = BUF_INIT;
	size_t i;

	if (bi_arg(r, call, 0, &s) == FLOW_FAIL) {
		buf_free(&s);
		return FLOW_FAIL;
	}
	buf_reset(out);
	for (i = 0; i < s.len; i++) {
		if (s.p[i] != '\0' && strchr(special, s.p[i]) != NULL)
			buf_addc(out, '\\');
		buf_addc(out, s.p[i]);
	}
	buf_free(&s);
	return FLOW_NEXT;
}
