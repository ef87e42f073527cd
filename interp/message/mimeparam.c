/*
 * mimeparam.c: the parameters of a Content-Type (RFC 2045 §5.1), with
 * the extended and continued values of RFC 2231: boundary*=''b,
 * charset*0="iso-8859"; charset*1="-1", name*1*=%2D1.
 *
 * maildrop 2.9.3 reads only the plain form: a multipart whose boundary
 * is given only the RFC 2231 way shows its patterns nothing of the body,
 * so a correctly encoded message slips past every body rule.  We decode
 * the RFC 2231 form, but a plain parameter of the same name still wins,
 * as it does in maildrop, so that only messages it cannot read at all
 * are searched differently.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msg_internal.h"

/* Continuation sections past this number are ignored. */
#define SECTIONS_MAX	64

struct sections {
	struct buf	 val[SECTIONS_MAX];
	unsigned char	 have[SECTIONS_MAX];	/* 0, or 1 + "extended" */
};

size_t
mime_skip_cfws(const char *v, size_t n, size_t i)
{
	int depth = 0;

	for (; i < n; i++) {
		if (depth > 0) {
			if (v[i] == '\\' && i + 1 < n)
				i++;
			else if (v[i] == '(')
				depth++;
			else if (v[i] == ')')
				depth--;
		} else if (v[i] == '(') {
			depth++;
		} else if (!isspace((unsigned char)v[i])) {
			break;
		}
	}
	return i;
}

int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
is_tspecial(int c)
{
	return c <= ' ' || c >= 0x7f || strchr("()<>@,;:\\\"/[]?=", c);
}

/*
 * One "; attribute=value" from v[*i]: the attribute in a/alen, the value
 * unquoted in val.  Returns 0 at the end of the field.
 */
static int
next_param(const char *v, size_t n, size_t *i, size_t *a, size_t *alen,
    struct buf *val)
{
	size_t k = *i;

	for (;;) {
		k = mime_skip_cfws(v, n, k);
		if (k >= n) {
			*i = k;
			return 0;
		}
		if (v[k] != ';') {
			k++;		/* junk between parameters */
			continue;
		}
		k = mime_skip_cfws(v, n, k + 1);
		for (*a = k; k < n && !is_tspecial((unsigned char)v[k]); k++)
			;
		*alen = k - *a;
		k = mime_skip_cfws(v, n, k);
		if (k < n && v[k] == '=')
			break;
	}
	k = mime_skip_cfws(v, n, k + 1);
	buf_reset(val);
	if (k < n && v[k] == '"') {
		for (k++; k < n && v[k] != '"'; k++) {
			if (v[k] == '\\' && k + 1 < n)
				k++;
			if (v[k] != '\r' && v[k] != '\n')
				buf_addc(val, v[k]);
		}
		k++;
	} else {
		while (k < n && v[k] != ';' && !isspace((unsigned char)v[k]))
			buf_addc(val, v[k++]);
	}
	*i = k;
	return 1;
}

/*
 * Which RFC 2231 section of name the attribute a[0..alen) is: "name*"
 * is section 0 extended, "name*N" section N, "name*N*" extended.
 * Returns the section, or -1 when it is not one of name's.
 */
static int
section_of(const char *a, size_t alen, const char *name, int *ext)
{
	size_t len = strlen(name), k;
	int num = 0;

	if (alen <= len || strncasecmp(a, name, len) != 0 || a[len] != '*')
		return -1;
	k = len + 1;
	*ext = a[alen - 1] == '*';
	if (k == alen)
		return 0;
	if (!isdigit((unsigned char)a[k]))
		return -1;
	for (; k < alen && isdigit((unsigned char)a[k]); k++)
		if ((num = num * 10 + (a[k] - '0')) >= SECTIONS_MAX)
			return -1;
	return k == alen - (size_t)*ext ? num : -1;
}

/* An extended section: %XX decoded; the first drops charset'language'. */
static void
add_extended(const char *p, size_t n, int first, struct buf *out)
{
	const char *q;
	size_t i = 0;
	int hi, lo;

	if (first && (q = memchr(p, '\'', n)) != NULL &&
	    (q = memchr(q + 1, '\'', n - (size_t)(q + 1 - p))) != NULL)
		i = (size_t)(q + 1 - p);
	for (; i < n; i++) {
		if (p[i] == '%' && i + 2 < n &&
		    (hi = hex_value((unsigned char)p[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)p[i + 2])) >= 0) {
			buf_addc(out, hi << 4 | lo);
			i += 2;
		} else {
			buf_addc(out, p[i]);
		}
	}
}

/* Sections 0, 1, ... joined until the first missing one. */
static void
join(const struct sections *s, struct buf *out)
{
	int k;

	for (k = 0; k < SECTIONS_MAX && s->have[k]; k++) {
		if (s->have[k] == 2)
			add_extended(s->val[k].p, s->val[k].len, k == 0, out);
		else
			buf_add(out, s->val[k].p, s->val[k].len);
	}
}

int
mime_param(const char *v, size_t n, const char *name, struct buf *out)
{
	struct sections s;
	struct buf val = BUF_INIT;
	size_t i = 0, a, alen, len = strlen(name);
	int k, ext, plain = 0, found;

	memset(&s, 0, sizeof(s));
	while (next_param(v, n, &i, &a, &alen, &val)) {
		if (alen == len && strncasecmp(v + a, name, len) == 0) {
			buf_set(out, val.p, val.len);
			plain = 1;
		} else if ((k = section_of(v + a, alen, name, &ext)) >= 0) {
			buf_set(&s.val[k], val.p, val.len);
			s.have[k] = (unsigned char)(1 + ext);
		}
	}
	found = plain || s.have[0];
	if (!plain && s.have[0]) {
		buf_reset(out);
		join(&s, out);
	}
	for (k = 0; k < SECTIONS_MAX; k++)
		buf_free(&s.val[k]);
	buf_free(&val);
	return found ? 0 : -1;
}
