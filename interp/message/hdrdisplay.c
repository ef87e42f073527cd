/*
 * hdrdisplay.c: one header field as a pattern sees it, the way 2.9.3's
 * rfc2045_decodemsgtoutf8() shows it: "Name: value" with exactly one
 * blank after the colon (A16), the value's leading and trailing blanks
 * gone, CRs gone, each folding newline turned into one space (the blanks
 * after it stay: "first part <TAB>second part"), encoded words decoded,
 * and address fields re-rendered by addr_render().  A line without a
 * colon (a leading From_ line) is shown as maildrop shows it: the line,
 * then ": " on a line of its own (or "line: " when no newline ends it).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../../grammar/arena.h"
#include "address.h"
#include "msg_internal.h"

/* The fields 2.9.3 re-renders as addresses [observed: not Reply-To,
   Sender, In-Reply-To, Return-Path, Errors-To, Resent-Sender]. */
static int
is_address_field(const char *name, size_t n)
{
	static const struct {
		const char	*name;
		size_t		 len;
	} fields[] = {
#define F(s)	{ s, sizeof(s) - 1 }
		F("from"), F("to"), F("cc"), F("bcc"),
		F("resent-from"), F("resent-to"), F("resent-cc"),
		F("resent-bcc"),
#undef F
	};
	size_t i;

	for (i = 0; i < nitems(fields); i++)
		if (fields[i].len == n &&
		    strncasecmp(name, fields[i].name, n) == 0)
			return 1;
	return 0;
}

void
hdr_display(const char *name, size_t namelen, const char *value,
    size_t valuelen, struct buf *out, struct hdr_work *w)
{
	struct buf *v = &w->value, *dec = &w->decoded;
	size_t i, k, start, b = 0, e = valuelen;
	const char *cr;
	char *nl;

	buf_reset(v);
	buf_reset(dec);
	utf8_repair(name, namelen, out);
	/*
	 * hdr_split() puts a colon-less field's empty value right after its
	 * name; a real value starts after the colon.  2.9.3 takes the whole
	 * line, newline included, as the name of a colon-less field; the
	 * header bytes are NUL-terminated, so name[namelen] can be read.
	 */
	if (value == name + namelen && (name[namelen] == '\n' ||
	    name[namelen] == '\r'))
		buf_adds(out, "\n: ");
	else
		buf_adds(out, ": ");
	while (b < e && isspace((unsigned char)value[b]))
		b++;
	while (e > b && isspace((unsigned char)value[e - 1]))
		e--;
	/* runs between CRs, and newlines found, by memchr: bytewise is slow */
	for (i = b; i < e; i = k + 1) {
		cr = memchr(value + i, '\r', e - i);
		k = cr != NULL ? (size_t)(cr - value) : e;
		buf_add(v, value + i, k - i);
	}
	buf_add(v, "", 0);
	if (is_address_field(name, namelen))
		addr_render(v->p, v->len, dec);
	else
		rfc2047_decode(v->p, v->len, dec);
	start = out->len;
	buf_add(out, dec->p != NULL ? dec->p : "", dec->len);
	for (nl = out->p + start; (nl = memchr(nl, '\n',
	    (size_t)(out->p + out->len - nl))) != NULL; )
		*nl++ = ' ';
}

void
hdr_work_free(struct hdr_work *w)
{
	buf_free(&w->value);
	buf_free(&w->decoded);
}
