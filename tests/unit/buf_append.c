/*
 * buf_append.c: the byte string's appends, whose fast paths skip work
 * only when it is safe to: buf_printf formats into the room there is and
 * formats again only when the text did not fit; buf_addc writes in place
 * only when there is room and no mark could need clipping.  Each result
 * is compared with the same bytes built another way.
 */
#include <stdio.h>
#include <string.h>

#include "../../grammar/buf.h"
#include "unit.h"

static void
test_printf(void)
{
	struct buf b = BUF_INIT;
	char want[1024];
	size_t i;
	int n;

	/* Into nothing, into room, and past the room there was. */
	buf_printf(&b, "%s=%d", "short", 7);
	unit_check(b.len == 7 && strcmp(b.p, "short=7") == 0,
	    "buf_printf into an empty buffer", "got %zu '%s'", b.len, b.p);
	for (i = 0; i < 20; i++)
		buf_printf(&b, "|%03zu %s|", i, "a field of some length");
	n = snprintf(want, sizeof(want), "short=7");
	for (i = 0; i < 20; i++)
		n += snprintf(want + n, sizeof(want) - (size_t)n, "|%03zu %s|",
		    i, "a field of some length");
	unit_check(b.len == (size_t)n && memcmp(b.p, want, b.len) == 0 &&
	    b.p[b.len] == '\0', "buf_printf appends past its room",
	    "got %zu bytes, want %d", b.len, n);

	/* One text longer than any room buf_printf keeps at hand. */
	buf_reset(&b);
	buf_addc(&b, '<');
	memset(want, 'q', 700);
	want[700] = '\0';
	buf_printf(&b, "%s>", want);
	unit_check(b.len == 702 && b.p[0] == '<' && b.p[701] == '>' &&
	    b.p[702] == '\0' && strspn(b.p + 1, "q") == 700,
	    "buf_printf of a long text formats it whole", "got %zu bytes",
	    b.len);
	buf_free(&b);
}

static void
test_addc(void)
{
	struct buf b = BUF_INIT, c = BUF_INIT;
	size_t i;

	for (i = 0; i < 1000; i++) {
		buf_addc(&b, 'a' + (int)(i % 26));
		buf_add(&c, &"abcdefghijklmnopqrstuvwxyz"[i % 26], 1);
	}
	unit_check(b.len == c.len && memcmp(b.p, c.p, b.len) == 0 &&
	    b.p[b.len] == '\0', "buf_addc grows as buf_add does",
	    "%zu against %zu bytes", b.len, c.len);

	/* A mark cut short by a truncate must not reach the new byte. */
	buf_reset(&b);
	buf_adds(&b, "plain");
	buf_mark(&b, 2, 3);
	buf_truncate(&b, 3);
	buf_addc(&b, 'X');
	unit_check(b.len == 4 && b.nmark == 1 && b.mark[0].off == 2 &&
	    b.mark[0].len == 1, "buf_addc clips a mark past the length",
	    "%zu marks, the last %zu+%zu", b.nmark,
	    b.nmark ? b.mark[b.nmark - 1].off : 0,
	    b.nmark ? b.mark[b.nmark - 1].len : 0);
	buf_free(&b);
	buf_free(&c);
}

int
main(void)
{
	test_printf();
	test_addc();
	return unit_done();
}
