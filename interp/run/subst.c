/*
 * subst.c: $NAME and ${NAME} in words, "..." strings and patterns
 * (LANGUAGE.md §1.5).  Done at evaluation time, every time, so a loop sees
 * the current values.  A backslash protects the next byte and stays in
 * the value, as maildrop keeps it (DIFFERENCES.md B2).  A value that
 * marks message text keeps its marks in the result (B24).
 */
#include <ctype.h>

#include "run.h"
#include "subst.h"
#include "vars.h"

static int
namechar(int c)
{
	return isalnum(c) || c == '_';
}

void
subst_vars(struct run *r, const struct pos *at, const char *s, size_t n,
    struct buf *out)
{
	const struct buf *v;
	size_t i = 0, j;

	buf_grow(out, n);
	/* Past RUNNEL_MAX_VALUE the rest is not built: the caller reports. */
	while (i < n && !(r->max_value > 0 && out->len > r->max_value)) {
		if (s[i] == '\\') {
			buf_add(out, s + i, i + 1 < n ? 2 : 1);
			i += 2;
			continue;
		}
		if (s[i] != '$' || i + 1 == n) {
			buf_addc(out, s[i++]);
			continue;
		}
		if (s[i + 1] == '{') {
			for (j = i + 2; j < n && s[j] != '}' &&
			    !isspace((unsigned char)s[j]); j++)
				;
			if (j == n || s[j] != '}') {
				/* B14: warn, keep the '$', carry on. */
				/* maildrop ends this one with a blank line. */
				run_warn(r, at, "Terminating } is missing.\n");
				buf_addc(out, s[i++]);
				continue;
			}
			v = vars_get(r->vars, s + i + 2, j - i - 2);
			i = j + 1;
		} else if (namechar((unsigned char)s[i + 1])) {
			for (j = i + 1; j < n && namechar((unsigned char)s[j]);
			    j++)
				;
			v = vars_get(r->vars, s + i + 1, j - i - 1);
			i = j;
		} else {
			buf_addc(out, s[i++]);
			continue;
		}
		if (v != NULL && v->len > 0)
			buf_addb(out, v);	/* with its message marks */
	}
}
