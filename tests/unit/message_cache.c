/*
 * message_cache.c: msg_scan() renders the top-level header, and a small
 * message's part headers and bodies, once and hands out the kept lines
 * afterwards.  The kept lines must be the ones a fresh rendering gives,
 * a pattern that stops early must not leave the cache half made, and
 * after xfilter's msg_replace() the new header is seen, never the old
 * one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../../interp/message/message.h"
#include "../../interp/message/msg_internal.h"
#include "unit.h"

/* A file descriptor reading the bytes from the start, as stdin would. */
static int
fd_of(const char *p, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	if (f == NULL || fwrite(p, 1, n, f) != n || fflush(f) != 0)
		abort();
	fd = dup(fileno(f));
	fclose(f);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

static struct message *
from_bytes(const char *p, size_t n)
{
	struct message *m;
	int fd = fd_of(p, n);

	m = msg_read(fd, NULL, 0, NULL);
	close(fd);
	if (m == NULL)
		abort();
	return m;
}

/*
 * The lines seen, each followed by '\n', and the count of lines that were
 * not NUL-terminated where the last piece of a line ends.
 */
struct seen {
	struct buf	 text;
	size_t		 n;
	size_t		 stop;		/* stop after this many, or 0 */
};

static int
collect(void *arg, const char *p, size_t n)
{
	struct seen *s = arg;

	buf_add(&s->text, p, n);
	buf_addc(&s->text, '\n');
	s->n++;
	return s->stop > 0 && s->n >= s->stop;
}

static void
scan(struct message *m, unsigned what, size_t stop, struct seen *s)
{
	buf_reset(&s->text);
	s->n = 0;
	s->stop = stop;
	msg_scan(m, what, collect, s);
	buf_add(&s->text, "", 0);
}

static const char first[] =
    "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>\r\n"
    "To: a@example.org,\r\n b@example.org\r\n"
    "Subject: =?UTF-8?B?Y2Fmw6k=?= first\r\n"
    "X-Folded: one\r\n\ttwo\r\n"
    "\r\n"
    "body of the first\r\n";

static const char second[] =
    "From: carol@example.net\n"
    "Subject: second\n"
    "\n"
    "body of the second\n";

static void
test_reuse(void)
{
	struct message *m = from_bytes(first, sizeof(first) - 1);
	struct seen a = { BUF_INIT, 0, 0 }, b = { BUF_INIT, 0, 0 };
	char *once;

	/* A pattern that matches on the first line stops the scan there. */
	scan(m, MSG_TOP_HEADER, 1, &a);
	unit_check(a.n == 1 && m->top.state == 1 && m->top.n == 4,
	    "cache made whole on an early stop", "n %zu, state %d, lines %zu",
	    a.n, m->top.state, m->top.n);
	scan(m, MSG_TOP_HEADER, 0, &a);
	once = strdup(a.text.p);
	scan(m, MSG_TOP_HEADER, 0, &b);
	unit_check(strcmp(once, b.text.p) == 0 && a.n == 4,
	    "second scan sees the same lines", "first:\n%s\nsecond:\n%s", once,
	    b.text.p);
	unit_check(strstr(once, "From: André <andre@example.org>\n") != NULL &&
	    strstr(once, "Subject: café first\n") != NULL &&
	    strstr(once, "X-Folded: one \ttwo\n") != NULL &&
	    strchr(once, '\r') == NULL, "kept lines are rendered", "%s", once);

	/* What a fresh rendering gives: the cache dropped by hand. */
	msg_cache_free(&m->top);
	m->top.state = -1;
	scan(m, MSG_TOP_HEADER, 0, &b);
	unit_check(strcmp(once, b.text.p) == 0, "kept lines equal fresh ones",
	    "kept:\n%s\nfresh:\n%s", once, b.text.p);

	free(once);
	buf_free(&a.text);
	buf_free(&b.text);
	msg_free(m);
}

static void
test_replace(void)
{
	struct message *m = from_bytes(first, sizeof(first) - 1);
	struct seen s = { BUF_INIT, 0, 0 };
	int fd;

	scan(m, MSG_TOP_HEADER, 0, &s);
	unit_check(strstr(s.text.p, "Subject: café first\n") != NULL,
	    "header scanned before xfilter", "%s", s.text.p);

	fd = fd_of(second, sizeof(second) - 1);
	unit_check(msg_replace(m, fd) == 0, "msg_replace", "failed");
	close(fd);
	scan(m, MSG_TOP_HEADER, 0, &s);
	unit_check(strcmp(s.text.p, "From: carol@example.net\n"
	    "Subject: second\n") == 0, "new header seen after msg_replace",
	    "got:\n%s", s.text.p);
	scan(m, MSG_TOP_HEADER | MSG_BODY, 0, &s);
	unit_check(strcmp(s.text.p, "From: carol@example.net\n"
	    "Subject: second\nbody of the second\n") == 0,
	    "new header and body after msg_replace", "got:\n%s", s.text.p);

	/* A failed replacement keeps the message and its lines. */
	unit_check(msg_replace(m, -1) == -1, "failed msg_replace", "succeeded");
	scan(m, MSG_TOP_HEADER, 0, &s);
	unit_check(strcmp(s.text.p, "From: carol@example.net\n"
	    "Subject: second\n") == 0, "lines kept after a failed msg_replace",
	    "got:\n%s", s.text.p);

	buf_free(&s.text);
	msg_free(m);
}

/* Lines of the cache end in a NUL, as the rendered lines always have. */
static int
nul_after(void *arg, const char *p, size_t n)
{
	size_t *bad = arg;

	if (p[n] != '\0')
		(*bad)++;
	return 0;
}

/* A field longer than MSG_LINE_MAX is handed out in pieces, both times. */
static void
test_long(void)
{
	struct buf raw = BUF_INIT;
	struct message *m;
	struct seen a = { BUF_INIT, 0, 0 }, b = { BUF_INIT, 0, 0 };
	size_t i, bad = 0;

	buf_adds(&raw, "Subject: ");
	for (i = 0; i < MSG_LINE_MAX + 100; i++)
		buf_addc(&raw, 'a' + (int)(i % 26));
	buf_adds(&raw, "\nTo: x@example.org\n\nbody\n");
	m = from_bytes(raw.p, raw.len);
	scan(m, MSG_TOP_HEADER, 0, &a);
	scan(m, MSG_TOP_HEADER, 0, &b);
	unit_check(a.n == 3 && a.text.len == b.text.len &&
	    memcmp(a.text.p, b.text.p, a.text.len) == 0,
	    "long field cut the same way twice", "n %zu and %zu", a.n, b.n);
	msg_scan(m, MSG_TOP_HEADER, nul_after, &bad);
	unit_check(bad == 1, "only the cut piece runs on",
	    "%zu pieces without NUL", bad);
	buf_free(&raw);
	buf_free(&a.text);
	buf_free(&b.text);
	msg_free(m);
}

/*
 * A header of very many tiny fields outgrows MSG_HEADCACHE_MAX with its
 * index: it is rendered afresh each time, and the lines are the same.
 */
static void
test_too_big(void)
{
	struct buf raw = BUF_INIT;
	struct message *m;
	struct seen a = { BUF_INIT, 0, 0 }, b = { BUF_INIT, 0, 0 };

	while (raw.len + 4 < MSG_HEAD_MAX)
		buf_adds(&raw, "a:\n");
	buf_adds(&raw, "\nbody\n");
	m = from_bytes(raw.p, raw.len);
	scan(m, MSG_TOP_HEADER, 0, &a);
	scan(m, MSG_TOP_HEADER, 0, &b);
	unit_check(m->top.state == -1 && m->top.line == NULL &&
	    m->top.text.p == NULL, "oversized cache given up", "state %d",
	    m->top.state);
	unit_check(a.n == msg_nheaders(m) && a.n == b.n &&
	    strcmp(a.text.p, b.text.p) == 0,
	    "oversized header scanned the same each time", "n %zu and %zu", a.n,
	    b.n);
	buf_free(&raw);
	buf_free(&a.text);
	buf_free(&b.text);
	msg_free(m);
}

static const char mime[] =
    "Mime-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=b\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "caf=E9 one\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "dHdvCnRocmVlCg==\n"
    "--b--\n";

/*
 * Part headers and bodies are kept too: part headers alone first, then
 * with the bodies once a body pattern asks, and each scan sees exactly
 * the lines a fresh rendering gives.
 */
static void
test_rest(void)
{
	static const unsigned what[] = {
		MSG_PART_HEADERS, MSG_BODY, MSG_PART_HEADERS,
		MSG_PART_HEADERS | MSG_BODY, MSG_TOP_HEADER | MSG_BODY,
	};
	struct message *m = from_bytes(mime, sizeof(mime) - 1);
	struct seen kept = { BUF_INIT, 0, 0 }, fresh = { BUF_INIT, 0, 0 };
	size_t i;

	scan(m, MSG_PART_HEADERS, 0, &kept);
	unit_check(m->rest.state == 1 && m->rest.what == MSG_PART_HEADERS,
	    "part headers kept without bodies", "state %d, what %u",
	    m->rest.state, m->rest.what);
	scan(m, MSG_BODY, 0, &kept);
	unit_check(strcmp(kept.text.p, "café one\ntwo\nthree\n") == 0 &&
	    (m->rest.what & MSG_BODY) != 0, "bodies kept once asked for",
	    "got:\n%s", kept.text.p);
	for (i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		scan(m, what[i], 0, &kept);
		msg_cache_free(&m->rest);
		m->rest.state = -1;
		scan(m, what[i], 0, &fresh);
		msg_cache_free(&m->rest);
		unit_check(strcmp(kept.text.p, fresh.text.p) == 0 &&
		    kept.n == fresh.n, "kept rest equals fresh",
		    "what %u: kept:\n%s\nfresh:\n%s", what[i], kept.text.p,
		    fresh.text.p);
	}
	buf_free(&kept.text);
	buf_free(&fresh.text);
	msg_free(m);
}

/* A body past MSG_RESTCACHE_MAX is not kept, and reads the same. */
static void
test_rest_too_big(void)
{
	struct buf raw = BUF_INIT;
	struct message *m;
	struct seen a = { BUF_INIT, 0, 0 }, b = { BUF_INIT, 0, 0 };

	buf_adds(&raw, "Subject: big\n\n");
	while (raw.len < 2 * MSG_RESTCACHE_MAX)
		buf_adds(&raw, "a line of the body of a big message\n");
	m = from_bytes(raw.p, raw.len);
	scan(m, MSG_BODY, 0, &a);
	scan(m, MSG_BODY, 0, &b);
	unit_check(m->rest.state == -1 && m->rest.text.p == NULL &&
	    a.n == b.n && a.n > 1000 && strcmp(a.text.p, b.text.p) == 0,
	    "big body not kept, scanned the same", "state %d, n %zu and %zu",
	    m->rest.state, a.n, b.n);
	buf_free(&raw);
	buf_free(&a.text);
	buf_free(&b.text);
	msg_free(m);
}

int
main(void)
{
	test_reuse();
	test_replace();
	test_long();
	test_too_big();
	test_rest();
	test_rest_too_big();
	return unit_done();
}
