/*
 * bytepairs.c: the set of adjacent byte pairs of a text (bytepairs.h),
 * one bit per pair of bytes as they stand, so that making it is a load
 * and a store per byte; a letter is looked up in both cases.
 */
#include <string.h>

#include "bytepairs.h"

void
byte_pairs_make(struct byte_pairs *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned k;
	size_t i;

	memset(p, 0, sizeof(*p));
	/* four pairs a step: the loop's own cost is a third of a pair's */
	for (i = 0; i + 4 < n; i += 4) {
		k = (unsigned)u[i] << 8 | u[i + 1];
		p->bit[k >> 6] |= (uint64_t)1 << (k & 63);
		k = (unsigned)u[i + 1] << 8 | u[i + 2];
		p->bit[k >> 6] |= (uint64_t)1 << (k & 63);
		k = (unsigned)u[i + 2] << 8 | u[i + 3];
		p->bit[k >> 6] |= (uint64_t)1 << (k & 63);
		k = (unsigned)u[i + 3] << 8 | u[i + 4];
		p->bit[k >> 6] |= (uint64_t)1 << (k & 63);
	}
	for (; i + 1 < n; i++) {
		k = (unsigned)u[i] << 8 | u[i + 1];
		p->bit[k >> 6] |= (uint64_t)1 << (k & 63);
	}
}

static int
has(const struct byte_pairs *p, unsigned a, unsigned b)
{
	unsigned k = a << 8 | b;

	return (p->bit[k >> 6] >> (k & 63)) & 1;
}

/* c's other case, or c when it is not an ASCII letter */
static unsigned
other_case(unsigned c)
{
	if (c >= 'a' && c <= 'z')
		return c - ('a' - 'A');
	if (c >= 'A' && c <= 'Z')
		return c + ('a' - 'A');
	return c;
}

int
byte_pairs_may(const struct byte_pairs *p, unsigned char a, unsigned char b)
{
	unsigned a2 = other_case(a), b2 = other_case(b);

	return has(p, a, b) || has(p, a, b2) || has(p, a2, b) ||
	    has(p, a2, b2);
}
