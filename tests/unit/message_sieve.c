/*
 * message_sieve.c: msg_scan_sieved() hands a pattern the same lines as
 * msg_scan() wherever they could match, and skips the rest.  The sieve
 * here looks for "needle"; the lines holding it must be the same with
 * and without the sieve, on large messages that take every path (plain
 * body read in blocks, CRLF, invalid UTF-8 that repair joins, base64
 * text decoded a window at a time, a charset iconv converts, a line
 * longer than a block) and on every message of tests/messages/.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../../interp/message/bytepairs.h"
#include "../../interp/message/message.h"
#include "unit.h"

static const char *needle = "needle";
static size_t handed;		/* lines handed to the pattern */

static int
keep_needles(void *arg, const char *line, size_t len)
{
	struct buf *out = arg;

	handed++;
	if (memmem(line, len, needle, strlen(needle)) != NULL) {
		buf_add(out, line, len);
		buf_addc(out, '\n');
	}
	return 0;
}

/* The needle's byte pairs first, when the block comes with its pairs. */
static int
may(void *arg, const char *text, size_t n, const struct byte_pairs *pairs)
{
	size_t i;

	for (i = 0; pairs != NULL && needle[i + 1] != '\0'; i++)
		if (!byte_pairs_may(pairs, (unsigned char)needle[i],
		    (unsigned char)needle[i + 1]))
			return 0;
	return memmem(text, n, needle, strlen(needle)) != NULL;
}

static struct message *
message_of(const struct buf *b)
{
	char path[] = "/tmp/message_sieve.XXXXXX";
	struct message *m;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, b->p, b->len) != (ssize_t)b->len)
		return NULL;
	unlink(path);
	lseek(fd, 0, SEEK_SET);
	m = msg_read(fd, NULL, 0, NULL);
	close(fd);
	return m;
}

/* Both scans of m; returns the share of lines the sieve handed on. */
static double
compare(const char *name, struct message *m, unsigned what)
{
	struct buf plain = BUF_INIT, sieved = BUF_INIT;
	size_t all;

	handed = 0;
	msg_scan(m, what, keep_needles, &plain);
	all = handed;
	handed = 0;
	msg_scan_sieved(m, what, keep_needles, may, &sieved);
	unit_check(plain.len == sieved.len && (plain.len == 0 ||
	    memcmp(plain.p, sieved.p, plain.len) == 0), name,
	    "without the sieve:\n%s\nwith it:\n%s", buf_cstr(&plain),
	    buf_cstr(&sieved));
	buf_free(&plain);
	buf_free(&sieved);
	return all > 0 ? (double)handed / (double)all : 0;
}

static void
filler(struct buf *b, size_t bytes)
{
	size_t i;

	for (i = 0; b->len < bytes; i++)
		buf_printf(b, "%06zu the body of a long message, line after line\n", i);
}

static void
b64(struct buf *out, const char *p, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, col = 0;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned char)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)p[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)p[i + 2];
		buf_addc(out, a[v >> 18 & 63]);
		buf_addc(out, a[v >> 12 & 63]);
		buf_addc(out, i + 1 < n ? a[v >> 6 & 63] : '=');
		buf_addc(out, i + 2 < n ? a[v & 63] : '=');
		if ((col += 4) >= 76) {
			buf_addc(out, '\n');
			col = 0;
		}
	}
	buf_addc(out, '\n');
}

/* A message with body (text) as a base64 part in charset cs. */
static struct message *
base64_message(const struct buf *text, const char *cs)
{
	struct buf b = BUF_INIT;
	struct message *m;

	buf_printf(&b, "From: a@example.org\nMime-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
	    "Content-Type: text/plain; charset=%s\n"
	    "Content-Transfer-Encoding: base64\n\n", cs);
	b64(&b, text->p, text->len);
	buf_adds(&b, "--b--\n");
	m = message_of(&b);
	buf_free(&b);
	return m;
}

static void
plain_cases(void)
{
	struct buf b = BUF_INIT;
	struct message *m;
	double share;
	size_t i;

	buf_adds(&b, "From: a@example.org\nSubject: hello\n\n");
	filler(&b, 300000);
	buf_adds(&b, "a needle in the middle\n");
	filler(&b, 600000);
	buf_adds(&b, "nee\rdle, a CR inside\nnee\xff" "dle, a byte repair drops\n");
	filler(&b, 900000);
	/* a line longer than a block, the needle far into it */
	for (i = 0; i < 150000; i++)
		buf_addc(&b, i == 100000 ? '!' : 'x');
	buf_adds(&b, "needle\n");
	filler(&b, 1200000);
	buf_adds(&b, "the last line holds the needle");	/* no newline */
	m = message_of(&b);
	share = compare("plain body in blocks", m, MSG_BODY);
	unit_check(share > 0 && share < 0.5, "plain body: blocks skipped",
	    "%.0f %% of the lines handed on", share * 100);
	compare("plain body with headers", m, MSG_TOP_HEADER | MSG_BODY);
	msg_free(m);

	buf_reset(&b);
	filler(&b, 200000);
	buf_adds(&b, "nee\r\ndle across a CRLF, then a needle\r\n");
	filler(&b, 400000);
	buf_adds(&b, "the needle at the end\n");
	m = base64_message(&b, "utf-8");
	share = compare("base64 utf-8 part", m, MSG_BODY);
	unit_check(share > 0 && share < 0.5, "base64: windows skipped",
	    "%.0f %% of the lines handed on", share * 100);
	msg_free(m);

	/* UTF-16: the needle is there only once iconv has converted it */
	buf_reset(&b);
	for (i = 0; i < 100000; i++)
		buf_add(&b, i % 40 == 39 ? "\n\0" : "x\0", 2);
	buf_add(&b, "n\0e\0e\0d\0l\0e\0\n\0", 14);
	m = base64_message(&b, "utf-16le");
	compare("base64 utf-16 part", m, MSG_BODY);
	msg_free(m);
	buf_free(&b);
}

/* Every test message, the sieve looking for "e" and for "needle". */
static void
corpus(void)
{
	char path[1024];
	struct dirent *d;
	struct message *m;
	DIR *dir = opendir("tests/messages");
	int fd;

	if (dir == NULL) {
		unit_skip("tests/messages", "not found from here");
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (strstr(d->d_name, ".eml") == NULL)
			continue;
		snprintf(path, sizeof(path), "tests/messages/%s", d->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		m = msg_read(fd, NULL, 0, NULL);
		close(fd);
		if (m == NULL)
			continue;
		needle = "e";
		compare(path, m, MSG_TOP_HEADER | MSG_PART_HEADERS | MSG_BODY);
		needle = "needle";
		msg_free(m);
	}
	closedir(dir);
}

int
main(void)
{
	plain_cases();
	corpus();
	return unit_done();
}
