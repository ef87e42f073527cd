/*
 * echo.c: the escapes of echo and log (LANGUAGE.md §4.6).  They are done
 * at output time, not by the lexer, which is why "\$" keeps its backslash
 * in values but echo prints "$" (DIFFERENCES.md B2).
 */
#include "../../grammar/buf.h"
#include "eval_int.h"

void
echo_unescape(const char *s, size_t n, struct buf *out)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c != '\\' || i + 1 == n) {
			buf_addc(out, c);	/* a lone final \ stays */
			continue;
		}
		c = (unsigned char)s[++i];
		switch (c) {
		case 'n':
			buf_addc(out, '\n');
			break;
		case 'r':
			buf_addc(out, '\r');
			break;
		case 't':
			buf_addc(out, '\t');
			break;
		case 'f':
			buf_addc(out, '\f');
			break;
		case 'v':
			buf_addc(out, '\v');
			break;
		case 'c':
			if (i + 1 == n)
				return;		/* no final newline */
			buf_addc(out, 'c');
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			unsigned v = 0;

			/* maildrop reads every octal digit that follows. */
			while (i < n && s[i] >= '0' && s[i] <= '7')
				v = v * 8 + (unsigned)(s[i++] - '0');
			i--;
			buf_addc(out, (int)(v & 0xff));
			break;
		}
		default:
			buf_addc(out, c);
			break;
		}
	}
	buf_addc(out, '\n');
}
