/*
 * fuzz_message.c: libFuzzer target for the message module.  Any byte
 * string can arrive on stdin; reading it must keep every byte, and the
 * text made for patterns must hold what msg_scan() promises whatever the
 * MIME structure, encodings and charsets claim: lines of valid UTF-8,
 * without CR or LF, at most MSG_LINE_MAX bytes.  Each header also goes
 * through addr_parse() and addr_render().  A broken promise aborts, so
 * the fuzzer reports it.  Large inputs get an -A line that pushes them
 * past MSG_MEM_MAX, so the temp-file path is fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unistr.h>

#include "../../grammar/buf.h"
#include "../../interp/message/address.h"
#include "../../interp/message/message.h"
#include "../../interp/message/msg_internal.h"
#include "fuzz_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct cmp {
	const uint8_t	*data;
	size_t		 size, off;
	size_t		 extra;		/* bytes of -A lines before data */
};

static int
same_bytes(void *arg, const char *p, size_t n)
{
	struct cmp *c = arg;
	size_t skip;

	if (n > MSG_CHUNK)
		abort();
	if (c->off < c->extra) {	/* the -A line: not from data */
		skip = c->extra - c->off < n ? c->extra - c->off : n;
		c->off += skip;
		p += skip;
		n -= skip;
	}
	if (c->off - c->extra + n > c->size ||
	    memcmp(p, c->data + (c->off - c->extra), n) != 0)
		abort();
	c->off += n;
	return 0;
}

static int
check_line(void *arg, const char *p, size_t n)
{
	if (n > MSG_LINE_MAX || memchr(p, '\n', n) != NULL ||
	    memchr(p, '\r', n) != NULL ||
	    u8_check((const uint8_t *)p, n) != NULL)
		abort();
	(*(size_t *)arg)++;
	return 0;
}

static void
check_addr(void *arg, const struct address *a)
{
	if (a->addr == NULL || (a->name == NULL && a->namelen != 0))
		abort();
	(*(size_t *)arg)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char bigline[9000];
	const char *extra[1];
	struct message *m;
	struct buf b = BUF_INIT;
	struct cmp c;
	const struct msg_header *h;
	size_t i, n = 0, nextra = 0;
	unsigned what;
	int fd;

	if (size > 60000) {
		memset(bigline, 'x', sizeof(bigline) - 1);
		memcpy(bigline, "X-Big: ", 7);
		extra[0] = bigline;
		nextra = 1;
	}
	if ((m = fuzz_message(data, size, extra, nextra)) == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	c.data = data;
	c.size = size;
	c.extra = nextra ? sizeof(bigline) : 0;
	if (msg_size(m) != (off_t)(size + c.extra))
		abort();
	if (msg_each_chunk(m, same_bytes, &c) != 0 || c.off != size + c.extra)
		abort();
	for (what = 1; what <= 7; what++)
		msg_scan(m, what, check_line, &n);
	for (i = 0; i < msg_nheaders(m); i++) {
		h = msg_header_at(m, i);
		addr_parse(h->value, h->valuelen, check_addr, &n);
		buf_reset(&b);
		addr_render(h->value, h->valuelen, &b);
		if (b.len > 0 && u8_check((const uint8_t *)b.p, b.len) != NULL)
			abort();
		buf_reset(&b);
		msg_header_unfold(m, i, &b);
	}
	buf_reset(&b);
	(void)msg_return_path(m, &b);
	/* xfilter: the message replaced by the same bytes reads the same. */
	if (size % 7 == 0 && (fd = fuzz_memfd(data, size)) >= 0) {
		if (msg_replace(m, fd) == 0 && msg_size(m) != (off_t)size)
			abort();
		close(fd);
	}
	buf_free(&b);
	msg_free(m);
	return 0;
}
