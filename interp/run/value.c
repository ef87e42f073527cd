/*
 * value.c: every filter value is a byte string; numbers exist only for
 * the length of an operator.  Parsing is C atof on the bytes and
 * formatting is maildrop's "%.22g" (LANGUAGE.md §2), so arithmetic prints
 * what maildrop prints.  The truth test is the intended rule, not
 * maildrop's off-by-one (DIFFERENCES.md B1).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../grammar/arena.h"
#include "value.h"

/*
 * False iff, after leading blanks, the value is empty or a zero written
 * "0", "0.", "0.000" or ".000", followed by blanks only.  "00", "-0",
 * "0e0" and "." are true, as in maildrop.
 */
int
value_true(const char *s, size_t n)
{
	size_t i = 0, zeros = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n)
		return 0;
	if (s[i] == '0') {
		i++;
		zeros++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] == '0') {
			i++;
			zeros++;
		}
	}
	if (zeros == 0)
		return 1;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i != n;
}

double
value_number(const char *s, size_t n)
{
	char small[64], *p;
	double d;

	/* atof stops at the first byte that is no part of a number. */
	if (n < sizeof(small))
		p = small;
	else
		p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	d = strtod(p, NULL);
	if (p != small)
		free(p);
	return d;
}

void
value_format(double d, struct buf *out)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long long u;

	buf_reset(out);
	/*
	 * A whole number below 10^15 (scores, sizes, counts) is its digits
	 * under "%.22g": written here, without the cost of printf.  -0 and
	 * the rest go to printf.
	 */
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d &&
	    (d != 0 || !signbit(d))) {
		u = d < 0 ? (unsigned long long)-(long long)d :
		    (unsigned long long)d;
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (d < 0)
			*--p = '-';
		buf_add(out, p, (size_t)(digits + sizeof(digits) - p));
		return;
	}
	buf_printf(out, "%.22g", d);
}
