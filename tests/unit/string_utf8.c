/*
 * string_utf8.c: UNICODE=1's character helpers on every string of up to
 * four bytes drawn from valid lead and trail bytes, ASCII, NUL and bytes
 * that are never UTF-8.  Whatever the input, the one-character substr
 * pieces put the string back together, their number is the length, and
 * the case maps leave every byte but the letter 'a' as it was.
 */
#include <stdio.h>
#include <string.h>

#include "../../builtins/bi.h"
#include "unit.h"

/* A failure on the bytes of s. */
static void
report(const char *what, const unsigned char *s, size_t n)
{
	char hex[3 * 4 + 1] = "";
	size_t i;

	for (i = 0; i < n && i < 4; i++)
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, " %02x", s[i]);
	unit_check(0, what, "bytes%s", hex);
}

/* substr(s, i, 1) for every i rebuilds s, one piece per character. */
static void
check_pieces(const unsigned char *s, size_t n)
{
	const char *c = (const char *)s;
	struct buf cat = BUF_INIT;
	size_t from, keep, pieces = 0;
	long i;

	for (i = 0; i < 6; i++) {
		bi_utf8_span(c, n, i, 1, &from, &keep);
		if (keep == 0)
			break;
		buf_add(&cat, c + from, keep);
		pieces++;
	}
	if (cat.len != n || (n && memcmp(cat.p, s, n) != 0))
		report("pieces do not rebuild the string", s, n);
	if (pieces != bi_utf8_length(c, n))
		report("length differs from the substr pieces", s, n);
	bi_utf8_span(c, n, (long)pieces, -1, &from, &keep);
	if (keep != 0)
		report("substr past the last character is not empty", s, n);
	buf_free(&cat);
}

/* None of these bytes forms a cased letter, whatever the neighbours. */
static void
check_case(const unsigned char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;
	int ok;

	buf_set(&b, s, n);
	bi_utf8_case(&b, 1);
	ok = b.len == n;
	for (i = 0; ok && i < n; i++)
		ok = (unsigned char)b.p[i] == (s[i] == 'a' ? 'A' : s[i]);
	if (!ok)
		report("toupper changed more than 'a'", s, n);
	bi_utf8_case(&b, 0);
	if (b.len != n || (n && memcmp(b.p, s, n) != 0))
		report("tolower did not give the bytes back", s, n);
	buf_free(&b);
}

int
main(void)
{
	static const unsigned char bytes[] = {
		0x00, 'a', '-', 0x80, 0x82, 0x9f, 0xa0, 0xac, 0xbf,
		0xc2, 0xe2, 0xed, 0xf0, 0xff
	};
	enum { NB = sizeof(bytes) };
	unsigned char s[4];
	size_t n, i;
	unsigned long k, total;

	for (n = 0; n <= 4; n++) {
		total = 1;
		for (i = 0; i < n; i++)
			total *= NB;
		for (k = 0; k < total; k++) {
			unsigned long v = k;

			for (i = 0; i < n; i++, v /= NB)
				s[i] = bytes[v % NB];
			check_pieces(s, n);
			check_case(s, n);
		}
	}
	if (!unit_failed)
		unit_pass("every string of up to 4 bytes splits and maps "
		    "consistently");
	return unit_done();
}
