/*
 * message_read.c: reading the message once and giving it back unchanged:
 * SIZE and LINES, -A lines, the header index, Return-Path, the raw bytes
 * through msg_each_chunk() and msg_write_fd() whether the message sits in
 * memory or in the temp file, xfilter's msg_replace(), and the limits
 * (very long lines, an oversized header, read errors).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../../interp/message/message.h"
#include "../../interp/message/msg_internal.h"
#include "unit.h"

/* A message from bytes, through a pipe as stdin would be (a writer
   child, so messages larger than the pipe buffer work). */
static struct message *
from_bytes(const char *p, size_t n, const char *const *extra, size_t nextra,
    const char *tmpdir)
{
	struct message *m;
	int fd[2], saved;
	pid_t pid;

	if (pipe(fd) < 0)
		return NULL;
	if ((pid = fork()) == 0) {
		close(fd[0]);
		while (n > 0) {
			ssize_t w = write(fd[1], p, n);

			if (w <= 0)
				_exit(1);
			p += w;
			n -= (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	m = msg_read(fd[0], extra, nextra, tmpdir);
	saved = errno;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	errno = saved;
	return m;
}

static int
gather(void *arg, const char *p, size_t n)
{
	struct buf *b = arg;

	if (n > MSG_CHUNK)
		return 99;	/* chunks must be bounded */
	buf_add(b, p, n);
	return 0;
}

static int
stop_at_first(void *arg, const char *p, size_t n)
{
	(*(int *)arg)++;
	return 7;
}

static void
raw_back(struct message *m, struct buf *out)
{
	buf_reset(out);
	buf_add(out, "", 0);
	(void)msg_each_chunk(m, gather, out);
}

static int
lines_cb(void *arg, const char *p, size_t n)
{
	struct buf *b = arg;

	buf_add(b, p, n);
	buf_addc(b, '\n');
	return 0;
}

static void
test_small(void)
{
	static const char msg[] =
	    "From sender@example.org Mon Jan  1 00:00:00 2024\n"
	    "Return-Path: <rp@example.com>\n"
	    "Subject: hello\n"
	    "X-Folded: first\r\n"
	    "\tsecond\r\n"
	    "Return-Path: <second@example.com>\n"
	    "\n"
	    "body\n"
	    "last";
	static const char *const extra[] = { "X-Added: one", "X-Two: 2" };
	struct message *m;
	const struct msg_header *h;
	struct buf b = BUF_INIT;

	m = from_bytes(msg, sizeof(msg) - 1, extra, 2, NULL);
	unit_check(m != NULL, "read small", "msg_read failed: %s",
	    strerror(errno));
	if (m == NULL)
		return;
	unit_check(msg_size(m) == (off_t)(sizeof(msg) - 1 + 13 + 9), "SIZE",
	    "SIZE %lld", (long long)msg_size(m));
	/* maildrop counts stdin's lines only: the -A lines are not in it. */
	unit_check(msg_lines(m) == 8, "LINES counts newline-ended lines only",
	    "LINES %zu", msg_lines(m));
	unit_check(msg_nheaders(m) == 7, "header count (-A lines, From_ line)",
	    "%zu headers", msg_nheaders(m));
	h = msg_header_at(m, 0);
	unit_check(h != NULL && h->namelen == 7 &&
	    memcmp(h->name, "X-Added", 7) == 0 && h->valuelen == 4 &&
	    memcmp(h->value, " one", 4) == 0, "-A line is the first header",
	    "got %.*s", h ? (int)h->namelen : 0, h ? h->name : "");
	h = msg_header_at(m, 2);
	unit_check(h != NULL && h->namelen == 37 &&
	    memcmp(h->name, "From sender@example.org Mon Jan  1 00", 37) == 0 &&
	    h->valuelen == 10 && memcmp(h->value, "00:00 2024", 10) == 0,
	    "From_ line is a field named up to its first colon", "got %.*s", h ?
	    (int)h->namelen : 0, h ? h->name : "");
	h = msg_header_at(m, 5);
	unit_check(h != NULL && h->valuelen == 15 &&
	    memcmp(h->value, " first\r\n\tsecond", 15) == 0,
	    "folded value kept raw, final CR dropped", "got [%.*s]", h ?
	    (int)h->valuelen : 0, h ? h->value : "");
	unit_check(msg_header_at(m, 7) == NULL, "header past the end is NULL",
	    "not NULL");
	msg_header_unfold(m, 5, &b);
	unit_check(strcmp(buf_cstr(&b), "first\tsecond") == 0,
	    "msg_header_unfold", "got [%s]", buf_cstr(&b));
	buf_reset(&b);
	unit_check(msg_return_path(m, &b) == 0 &&
	    strcmp(buf_cstr(&b), "rp@example.com") == 0,
	    "first Return-Path wins", "got [%s]", buf_cstr(&b));
	raw_back(m, &b);
	unit_check(b.len == (size_t)msg_size(m) &&
	    memcmp(b.p, "X-Added: one\nX-Two: 2\n", 22) == 0 &&
	    memcmp(b.p + 22, msg, sizeof(msg) - 1) == 0,
	    "raw bytes unchanged, CRs and From_ kept", "differs");
	msg_free(m);
	buf_free(&b);
}

static void
test_return_path(void)
{
	static const struct {
		const char	*msg;
		int		 rc;
		const char	*want;
	} t[] = {
		{ "Return-Path: <>\n\n", 0, "" },
		{ "Return-Path:   <rp@x.com> (c)\n\n", 0, "rp@x.com" },
		{ "return-path: plain@x.com\n\n", 0, "plain@x.com" },
		{ "Return-Path: <a b@c>\n\n", 0, "a" },
		{ "Return-Path:\n <folded@x>\n\n", 0, "" },
		{ "Subject: none\n\nReturn-Path: <body@x>\n", -1, "" },
	};
	struct message *m;
	struct buf b = BUF_INIT;
	char name[64];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		m = from_bytes(t[i].msg, strlen(t[i].msg), NULL, 0, NULL);
		buf_reset(&b);
		rc = msg_return_path(m, &b);
		snprintf(name, sizeof(name), "Return-Path case %zu", i);
		unit_check(rc == t[i].rc &&
		    strcmp(buf_cstr(&b), t[i].want) == 0, name,
		    "rc %d [%s], want %d [%s]", rc, buf_cstr(&b), t[i].rc,
		    t[i].want);
		msg_free(m);
	}
	buf_free(&b);
}

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
test_large(void)
{
	struct buf msg = BUF_INIT, b = BUF_INIT, lines = BUF_INIT;
	char dir[] = "/tmp/runnel-msgtest.XXXXXX";
	struct message *m;
	size_t i, nlines = 0;
	int calls = 0, fd;

	if (mkdtemp(dir) == NULL) {
		unit_check(0, "large: mkdtemp", "%s", strerror(errno));
		return;
	}
	buf_adds(&msg, "Subject: big\n\n");
	for (i = 0; msg.len < 3 * 1024 * 1024; i++) {
		buf_printf(&msg, "line %zu of a large message\n", i);
		nlines++;
	}
	m = from_bytes(msg.p, msg.len, NULL, 0, dir);
	unit_check(m != NULL && m->fd >= 0 && m->mem == NULL,
	    "3 MB message goes to the temp file", "not spilled");
	if (m == NULL)
		return;
	unit_check(count_files(dir) == 0, "temp file is unlinked",
	    "%d files left in %s", count_files(dir), dir);
	unit_check(msg_size(m) == (off_t)msg.len && msg_lines(m) == nlines + 2,
	    "large SIZE and LINES", "SIZE %lld LINES %zu",
	    (long long)msg_size(m), msg_lines(m));
	raw_back(m, &b);
	unit_check(b.len == msg.len && memcmp(b.p, msg.p, msg.len) == 0,
	    "large raw bytes back in bounded chunks", "differs (%zu bytes)",
	    b.len);
	unit_check(msg_each_chunk(m, stop_at_first, &calls) == 7 && calls == 1,
	    "msg_each_chunk stops on non-zero", "calls %d", calls);

	/* msg_write_fd into a file, then compare. */
	fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	if (fd >= 0) {
		unit_check(msg_write_fd(m, fd) == 0, "msg_write_fd", "%s",
		    strerror(errno));
		buf_reset(&b);
		lseek(fd, 0, SEEK_SET);
		char tmp[65536];
		ssize_t n;
		while ((n = read(fd, tmp, sizeof(tmp))) > 0)
			buf_add(&b, tmp, (size_t)n);
		close(fd);
		unit_check(b.len == msg.len && memcmp(b.p, msg.p, msg.len) == 0,
		    "msg_write_fd writes every byte", "differs");
	}
	unit_check(msg_write_fd(m, -1) == -1 && errno == EBADF,
	    "msg_write_fd reports a write error", "errno %d", errno);

	/* The body scan of a spilled message is every line, in order. */
	msg_scan(m, MSG_BODY, lines_cb, &lines);
	unit_check(lines.len == msg.len - 14 &&
	    memcmp(lines.p, msg.p + 14, lines.len) == 0,
	    "large body scanned line by line", "%zu bytes scanned", lines.len);
	msg_free(m);
	rmdir(dir);
	buf_free(&msg);
	buf_free(&b);
	buf_free(&lines);
}

static void
test_long_lines(void)
{
	struct buf msg = BUF_INIT, lines = BUF_INIT, joined = BUF_INIT;
	struct message *m;
	size_t i, n, maxlen = 0, start = 0;

	/* A 300 KB body line of 2-byte UTF-8 chars, then a short line. */
	buf_adds(&msg, "Subject: long\n\n");
	for (i = 0; i < 150 * 1024; i++)
		buf_adds(&msg, "\xc3\xa9");
	buf_adds(&msg, "\nshort\n");
	m = from_bytes(msg.p, msg.len, NULL, 0, NULL);
	msg_scan(m, MSG_BODY, lines_cb, &lines);
	for (i = 0, n = 0; i < lines.len; i++) {
		if (lines.p[i] != '\n')
			continue;
		if (i - start > maxlen)
			maxlen = i - start;
		buf_add(&joined, lines.p + start, i - start);
		start = i + 1;
		n++;
	}
	unit_check(maxlen <= MSG_LINE_MAX && n == 6,
	    "long line cut into pieces", "%zu pieces, longest %zu", n, maxlen);
	unit_check(joined.len == 300 * 1024 + 5 &&
	    memcmp(joined.p, msg.p + 15, 300 * 1024) == 0,
	    "pieces cut on character boundaries, nothing lost",
	    "joined %zu bytes", joined.len);
	msg_free(m);

	/* A header longer than MSG_HEAD_MAX: what follows is body. */
	buf_reset(&msg);
	buf_adds(&msg, "Subject: first\nX-Huge: ");
	for (i = 0; i < MSG_HEAD_MAX; i++)
		buf_addc(&msg, 'x');
	buf_adds(&msg, "\nX-After: y\n\nbody\n");
	m = from_bytes(msg.p, msg.len, NULL, 0, NULL);
	unit_check(m != NULL && msg_nheaders(m) == 1 &&
	    msg_size(m) == (off_t)msg.len, "oversized header ends the header",
	    "%zu headers", m ? msg_nheaders(m) : 0);
	msg_free(m);

	/*
	 * At the limit: a header of exactly MSG_HEAD_MAX bytes, its last
	 * newline included, is whole; one byte more and its last line is
	 * body.  The header is read a line at a time, so the edge is where
	 * a line stops, not where a byte does.
	 */
	for (i = 0; i < 2; i++) {
		size_t fill = MSG_HEAD_MAX - strlen("Subject: first\nX-Big: \n")
		    + i;

		buf_reset(&msg);
		buf_adds(&msg, "Subject: first\nX-Big: ");
		while (fill-- > 0)
			buf_addc(&msg, 'x');
		buf_adds(&msg, "\n\nbody\n");
		m = from_bytes(msg.p, msg.len, NULL, 0, NULL);
		unit_check(m != NULL && msg_nheaders(m) == 2 - i &&
		    m->body_off == (i == 0 ? MSG_HEAD_MAX + 1 :
		    (off_t)strlen("Subject: first\n")),
		    i == 0 ? "header of MSG_HEAD_MAX bytes is whole" :
		    "header one byte over MSG_HEAD_MAX ends before its line",
		    "%zu headers, body at %lld", m ? msg_nheaders(m) : 0,
		    m ? (long long)m->body_off : -1LL);
		msg_free(m);
	}
	buf_free(&msg);
	buf_free(&lines);
	buf_free(&joined);
}

static void
test_replace_and_errors(void)
{
	static const char first[] = "Subject: one\n\nbody one\n";
	static const char second[] = "Subject: two\nX-New: yes\n\nbody 2\n";
	struct message *m;
	struct buf b = BUF_INIT;
	int fd[2];

	m = from_bytes(first, sizeof(first) - 1, NULL, 0, NULL);
	if (pipe(fd) < 0)
		return;
	if (write(fd[1], second, sizeof(second) - 1) < 0)
		return;
	close(fd[1]);
	unit_check(msg_replace(m, fd[0]) == 0 && msg_nheaders(m) == 2 &&
	    msg_size(m) == (off_t)(sizeof(second) - 1) && msg_lines(m) == 4,
	    "msg_replace re-reads and re-indexes", "size %lld",
	    (long long)msg_size(m));
	close(fd[0]);
	raw_back(m, &b);
	unit_check(strcmp(buf_cstr(&b), second) == 0, "replaced raw bytes",
	    "got [%s]", buf_cstr(&b));
	unit_check(msg_replace(m, -1) == -1 &&
	    msg_size(m) == (off_t)(sizeof(second) - 1),
	    "failed msg_replace keeps the message", "size %lld",
	    (long long)msg_size(m));
	msg_free(m);

	errno = 0;
	unit_check(msg_read(-1, NULL, 0, NULL) == NULL && errno == EBADF,
	    "read error gives NULL and errno", "errno %d", errno);
	m = from_bytes("", 0, NULL, 0, NULL);
	unit_check(m != NULL && msg_size(m) == 0 && msg_lines(m) == 0 &&
	    msg_nheaders(m) == 0, "empty message", "not empty");
	raw_back(m, &b);
	unit_check(b.len == 0, "empty message has no bytes", "%zu", b.len);
	msg_free(m);

	{
		struct buf big = BUF_INIT;
		size_t i;

		for (i = 0; i < 400; i++)
			buf_adds(&big, "0123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789\n");
		errno = 0;
		m = from_bytes(big.p, big.len, NULL, 0,
		    "/nonexistent/runnel-dir");
		unit_check(m == NULL && errno != 0,
		    "temp file that cannot be made is an error",
		    "m %p errno %d", (void *)m, errno);
		msg_free(m);
		buf_free(&big);
	}
	buf_free(&b);
}

/*
 * Which Mime-Version values make 2.9.3 honour Content-Type; observed with
 * a quoted-printable ISO-8859-1 "caf=E9": "caf\xc3\xa9" when honoured,
 * "caf" when only the transfer encoding is undone.
 */
static void
test_mime_version(void)
{
	static const struct {
		const char	*version;
		const char	*want;
	} t[] = {
		{ "1.0", "caf\xc3\xa9\n" }, { "1", "caf\xc3\xa9\n" },
		{ "1.1", "caf\xc3\xa9\n" }, { "1.x", "caf\xc3\xa9\n" },
		{ "(c) 1.0", "caf\xc3\xa9\n" }, { " 1. 0", "caf\xc3\xa9\n" },
		{ "2.0", "caf\n" }, { "0.9", "caf\n" }, { "foo", "caf\n" },
		{ "", "caf\n" },
	};
	struct buf msg = BUF_INIT, got = BUF_INIT;
	struct message *m;
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&msg);
		buf_printf(&msg, "Mime-Version: %s\nContent-Type: text/plain;"
		    " charset=iso-8859-1\nContent-Transfer-Encoding: "
		    "quoted-printable\n\ncaf=E9\n", t[i].version);
		m = from_bytes(msg.p, msg.len, NULL, 0, NULL);
		buf_reset(&got);
		buf_add(&got, "", 0);
		msg_scan(m, MSG_BODY, lines_cb, &got);
		snprintf(name, sizeof(name), "Mime-Version: [%s]",
		    t[i].version);
		unit_check(strcmp(got.p, t[i].want) == 0, name, "got [%s]",
		    got.p);
		msg_free(m);
	}
	buf_free(&msg);
	buf_free(&got);
}

int
main(void)
{
	test_small();
	test_return_path();
	test_large();
	test_long_lines();
	test_replace_and_errors();
	test_mime_version();
	return unit_done();
}
