/*
 * address.c: getaddr and hasaddr.  Both lean on addr_parse (the message
 * module's RFC 822 parser), so a header is split into mailboxes the same
 * way everywhere; what is left here is maildrop's choice of headers and
 * its case-blind whole-address compare (DIFFERENCES.md B15).
 */
#include <string.h>
#include <strings.h>

#include "../interp/message/address.h"
#include "../interp/message/message.h"
#include "bi.h"

static void
add_line(void *arg, const struct address *a)
{
	struct buf *out = arg;

	/* "<>" is an address, the null one: an empty line, as maildrop */
	buf_add(out, a->addr, a->addrlen);
	buf_addc(out, '\n');
}

/* getaddr s: each address of the list, one per line, names dropped. */
enum flow
bi_getaddr(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf s = BUF_INIT;

	if (bi_arg(r, call, 0, &s) == FLOW_FAIL) {
		buf_free(&s);
		return FLOW_FAIL;
	}
	buf_reset(out);
	addr_parse(s.p ? s.p : "", s.len, add_line, out);
	if (buf_marked(&s))		/* addresses from the message (B24) */
		buf_mark(out, 0, out->len);
	buf_free(&s);
	return FLOW_NEXT;
}

struct want {
	const char	*addr;
	size_t		 len;
	int		 unicode;	/* UNICODE=1: fold all letters */
	int		 found;
};

static void
compare(void *arg, const struct address *a)
{
	struct want *w = arg;

	if (w->unicode)
		w->found |= bi_utf8_caseeq(a->addr, a->addrlen, w->addr, w->len);
	else if (a->addrlen == w->len &&
	    strncasecmp(a->addr, w->addr, w->len) == 0)
		w->found = 1;
}

/* To, Cc, Resent-To, Resent-Cc: the recipients maildrop looks at. */
static int
recipient_field(const struct msg_header *h)
{
	static const char *const names[] = {
		"to", "cc", "resent-to", "resent-cc"
	};
	size_t i;

	for (i = 0; i < nitems(names); i++)
		if (h->namelen == strlen(names[i]) &&
		    strncasecmp(h->name, names[i], h->namelen) == 0)
			return 1;
	return 0;
}

/* hasaddr s: 1 when s is one of the top-level header's recipients. */
enum flow
bi_hasaddr(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf s = BUF_INIT, v = BUF_INIT;
	struct want w;
	size_t i, n;

	if (bi_arg(r, call, 0, &s) == FLOW_FAIL) {
		buf_free(&s);
		return FLOW_FAIL;
	}
	w.addr = s.p ? s.p : "";
	w.len = s.len;
	w.unicode = bi_unicode(r);
	w.found = 0;
	n = r->msg ? msg_nheaders(r->msg) : 0;
	for (i = 0; i < n && !w.found; i++) {
		if (!recipient_field(msg_header_at(r->msg, i)))
			continue;
		buf_reset(&v);
		msg_header_unfold(r->msg, i, &v);
		addr_parse(v.p ? v.p : "", v.len, compare, &w);
	}
	buf_free(&s);
	buf_free(&v);
	buf_set(out, w.found ? "1" : "0", 1);
	return FLOW_NEXT;
}
