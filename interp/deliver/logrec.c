/*
 * logrec.c: maildrop's delivery log record.  From: and Subj: are the raw
 * values of every such header run together (first physical line of each,
 * leading blanks removed) cut to 72 bytes; the last line is the mailbox padded or
 * cut so that it and "(size)" fill 72 columns.  We cut on a UTF-8
 * character boundary rather than mid-sequence (DIFFERENCES.md B16); for
 * ASCII that is maildrop's cut exactly.  The record goes out in one
 * write(2) on an O_APPEND descriptor so concurrent deliveries do not
 * interleave their lines.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "logrec.h"
#include "../message/message.h"
#include "../run/run.h"

#define FIELD_MAX	72

/* Keep at most max bytes of p[0..n), not splitting a UTF-8 sequence. */
static size_t
cut(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void
logrec_header(const struct message *m, const char *name, struct buf *out)
{
	const struct msg_header *h;
	struct buf all = BUF_INIT;
	const char *v, *nl;
	size_t i, n, count, len = strlen(name);

	/* Every such header adds its line, with nothing between, as
	 * maildrop's FormatMbox does; past the cut nothing more counts. */
	count = msg_nheaders(m);
	for (i = 0; i < count && all.len <= FIELD_MAX; i++) {
		h = msg_header_at(m, i);
		if (h->namelen != len || strncasecmp(h->name, name, len) != 0)
			continue;
		v = h->value;
		n = h->valuelen;
		while (n > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			n--;
		}
		if ((nl = memchr(v, '\n', n)) != NULL)
			n = (size_t)(nl - v);
		if (n > 0 && v[n - 1] == '\r')
			n--;
		/* cut() looks one byte past the field, and no further */
		if (n > FIELD_MAX + 1 - all.len)
			n = FIELD_MAX + 1 - all.len;
		buf_add(&all, v, n);
	}
	if (all.len > 0)
		buf_add(out, all.p, cut(all.p, all.len, FIELD_MAX));
	buf_free(&all);
}

void
logrec_format(const struct message *m, time_t when, const char *mailbox,
    int failed, size_t size, struct buf *out)
{
	char date[64], sz[32];
	size_t width, mlen;
	int szlen;

	/* ctime(3) without its newline, as maildrop writes it. */
	if (ctime_r(&when, date) == NULL)
		strcpy(date, "?");
	date[strcspn(date, "\n")] = '\0';
	buf_printf(out, "Date: %s\n", date);
	buf_adds(out, "From: ");
	if (m != NULL)
		logrec_header(m, "From", out);
	buf_adds(out, "\nSubj: ");
	if (m != NULL)
		logrec_header(m, "Subject", out);
	buf_adds(out, "\n");

	szlen = snprintf(sz, sizeof(sz), "(%zu)", size);
	width = FIELD_MAX - (size_t)szlen - 1;
	mlen = cut(mailbox, strlen(mailbox), width);
	buf_adds(out, failed ? "!Err: " : "File: ");
	buf_add(out, mailbox, mlen);
	for (; mlen < width; mlen++)
		buf_addc(out, ' ');
	buf_printf(out, " %s\n\n", sz);
}

void
logrec_delivery(struct run *r, const char *mailbox, int failed, size_t size)
{
	struct buf rec = BUF_INIT;

	if (r->logfd < 0)
		return;
	logrec_format(r->msg, time(NULL), mailbox, failed, size, &rec);
	run_logwrite(r, rec.p, rec.len);
	buf_free(&rec);
}
