/*
 * json.c: JSON strings from bytes a message or a filter may hold, which
 * need not be UTF-8: every byte sequence gives a valid document.
 */
#include <string.h>
#include <unistr.h>

#include "json.h"

void
json_str(struct buf *out, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	ucs4_t uc;
	int n;

	buf_addc(out, '"');
	while (p < end) {
		if (*p == '"' || *p == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)*p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			switch (*p) {
			case '\n': buf_adds(out, "\\n"); break;
			case '\t': buf_adds(out, "\\t"); break;
			case '\r': buf_adds(out, "\\r"); break;
			default: buf_printf(out, "\\u%04x", *p); break;
			}
			p++;
			continue;
		}
		n = u8_mbtouc(&uc, p, (size_t)(end - p));
		if (uc == 0xfffd && !(n == 3 && p[0] == 0xef && p[1] == 0xbf &&
		    p[2] == 0xbd))
			buf_adds(out, "\\ufffd");
		else
			buf_add(out, (const char *)p, (size_t)n);
		p += n;
	}
	buf_addc(out, '"');
}

void
json_pos(struct buf *out, const struct pos *at)
{
	const char *f = at != NULL && at->file != NULL ? at->file : "";

	buf_adds(out, "\"file\": ");
	json_str(out, f, strlen(f));
	buf_printf(out, ", \"line\": %u, \"col\": %u",
	    at != NULL ? at->line : 0, at != NULL ? at->col : 0);
}
