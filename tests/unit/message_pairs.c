/*
 * message_pairs.c: byte_pairs_may() answers exactly whether a text
 * holds two bytes one after the other, ASCII letters in either case:
 * checked for every pair of byte values, on random texts.
 */
#include <stdlib.h>
#include <string.h>

#include "../../interp/message/bytepairs.h"
#include "unit.h"

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Does s[0, n) hold a then b, letters folded? */
static int
naive(const unsigned char *s, size_t n, int a, int b)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (fold(s[i]) == fold(a) && fold(s[i + 1]) == fold(b))
			return 1;
	return 0;
}

int
main(void)
{
	static const char alphabet[] = "aAbBzZ09:-\n\0\xc3\xa9\x7f\x80";
	struct byte_pairs p;
	unsigned char s[64];
	int a, b, want, bad = 0, seen = 0, t;
	size_t n, i;

	srand(1);
	for (t = 0; t < 40 && !bad; t++) {
		n = (size_t)t < 3 ? (size_t)t : (size_t)(rand() % 64);
		for (i = 0; i < n; i++)
			s[i] = (unsigned char)alphabet[rand() %
			    (int)(sizeof(alphabet) - 1)];
		byte_pairs_make(&p, (const char *)s, n);
		for (a = 0; a < 256 && !bad; a++)
			for (b = 0; b < 256 && !bad; b++) {
				want = naive(s, n, a, b);
				seen += want;
				if (byte_pairs_may(&p, (unsigned char)a,
				    (unsigned char)b) != want)
					bad = unit_check(0, "byte pairs",
					    "pair %02x %02x of a text of %zu "
					    "bytes: said %d", a, b, n,
					    !want) == 0;
			}
	}
	if (!bad)
		unit_check(seen > 500, "byte pairs", "only %d pairs were there",
		    seen);
	return unit_done();
}
