/*
 * address_parse.c: addr_parse() against maildrop 2.9.3's getaddr and
 * addr_render() against what 2.9.3 shows a pattern for a To: field.
 * Every expected value below was printed by maildrop itself
 * (`A=getaddr "..."` and `foreach /^To: .*$/`).
 */
#include <stdio.h>
#include <string.h>

#include "../../grammar/buf.h"
#include "../../interp/message/address.h"
#include "unit.h"

static const struct {
	const char	*in;
	const char	*addrs;		/* getaddr: each address, then '|' */
	const char	*render;	/* the To: line after "To: " */
} cases[] = {
	{ "bob@example.org",
	    "bob@example.org|",
	    "bob@example.org" },
	{ "\"Alice\" <alice@example.net>",
	    "alice@example.net|",
	    "Alice <alice@example.net>" },
	{ "carol@example.org (Carol)",
	    "carol@example.org|",
	    "Carol <carol@example.org>" },
	{ "(Carol) <c@d>",
	    "c@d|",
	    "\"(Carol)\" <c@d>" },
	{ "G: a@b, c@d;, e@f",
	    "a@b|c@d|e@f|",
	    "G: a@b, c@d;e@f" },
	{ "To: x@y",
	    "x@y|",
	    "To: x@y" },
	{ "Joe Q. Public <j@p>, a@b c@d",
	    "j@p|a@b|c@d|",
	    "\"Joe Q. Public\" <j@p>, a@b, c@d" },
	{ "<>",
	    "|",
	    "" },
	{ "joe @ example . com",
	    "joe@example.com|",
	    "joe@example.com" },
	{ "\"john doe\"@x",
	    "\"john doe\"@x|",
	    "\"john doe\"@x" },
	{ "<@r1,@r2:r@s>",
	    "@r1,@r2:r@s|",
	    "@r1,@r2:r@s" },
	{ "x (C)",
	    "x|",
	    "C <x>" },
	{ "undisclosed-recipients:;",
	    "",
	    "undisclosed-recipients: ;" },
	{ "\"Last, First\" <lf@x>, \"Quote \\\"inner\\\"\" <qi@x>",
	    "lf@x|qi@x|",
	    "\"Last, First\" <lf@x>, \"Quote \\\"inner\\\"\" <qi@x>" },
	{ "=?utf-8?q?J=C3=B6rg?= <j@x>",
	    "j@x|",
	    "Jörg <j@x>" },
	{ "a@b,,,c@d",
	    "a@b|c@d|",
	    "a@b, c@d" },
	{ "\"unterminated <u@x>",
	    "\"unterminated <u@x>\"|",
	    "\"unterminated <u@x>\"" },
	{ "broken <a@b",
	    "a@b|",
	    "broken <a@b>" },
	{ "a@b>",
	    "a@b|",
	    "a@b" },
	{ "<a@b> trailing",
	    "a@b|trailing|",
	    "a@b, trailing" },
	{ "Name <a@b> (comment)",
	    "a@b|",
	    "Name <a@b>, comment " },
	{ "a.b.c@d.e.f",
	    "a.b.c@d.e.f|",
	    "a.b.c@d.e.f" },
	{ " spaced  @  x.y",
	    "spaced@x.y|",
	    "spaced@x.y" },
	{ "@nolocal",
	    "@nolocal|",
	    "@nolocal" },
	{ "plain",
	    "plain|",
	    "plain" },
	{ "\"\" <q@r>",
	    "q@r|",
	    "q@r" },
};

static void
add_addr(void *arg, const struct address *a)
{
	struct buf *b = arg;

	buf_add(b, a->addr, a->addrlen);
	buf_addc(b, '|');
}

static const struct {
	const char	*in;
	const char	*names;		/* each display name, then '|' */
} names[] = {
	{ "\"Alice\" <a@b>", "Alice|" },
	{ "c@d (Carol)", "Carol|" },
	{ "x@y (A) (B)", "B|" },
	{ "=?utf-8?q?J=C3=B6rg?= =?utf-8?q?_X?= <j@x>", "J\xc3\xb6rg X|" },
	{ "a@b, \"Joe Q. Public\" <j@p>", "-|Joe Q. Public|" },
};

static void
add_name(void *arg, const struct address *a)
{
	struct buf *b = arg;

	if (a->name != NULL)
		buf_add(b, a->name, a->namelen);
	else
		buf_addc(b, '-');
	buf_addc(b, '|');
}

int
main(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_add(&b, "", 0);
		addr_parse(cases[i].in, strlen(cases[i].in), add_addr, &b);
		unit_str(unit_name("addr_parse %s", cases[i].in), b.p,
		    cases[i].addrs);
		buf_reset(&b);
		buf_add(&b, "", 0);
		addr_render(cases[i].in, strlen(cases[i].in), &b);
		unit_str(unit_name("addr_render %s", cases[i].in), b.p,
		    cases[i].render);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_reset(&b);
		buf_add(&b, "", 0);
		addr_parse(names[i].in, strlen(names[i].in), add_name, &b);
		unit_str(unit_name("addr_parse name %s", names[i].in), b.p,
		    names[i].names);
	}
	buf_free(&b);
	return unit_done();
}
