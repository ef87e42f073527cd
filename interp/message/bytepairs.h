/*
 * bytepairs.h: which pairs of adjacent bytes a text holds.  Made once
 * for a text that many patterns search (a message's cached header or
 * body lines), it rules a literal out when one of its pairs is missing,
 * without a search.
 */
#ifndef BYTEPAIRS_H
#define BYTEPAIRS_H

#include <stddef.h>
#include <stdint.h>

struct byte_pairs {
	uint64_t	 bit[256 * 256 / 64];
};

/* Note every pair of s[0, n) in p, which is cleared first. */
void	byte_pairs_make(struct byte_pairs *p, const char *s, size_t n);

/*
 * Might the text hold a then b, ASCII letters in either case?  0 only
 * when it surely does not.
 */
int	byte_pairs_may(const struct byte_pairs *p, unsigned char a,
	    unsigned char b);

#endif
