/*
 * parse_limits.c: the hostile inputs that cannot sit in tests/errors as
 * files: 100,000 nested blocks and parentheses, a 10 MB line, a missing
 * quote at the end of a huge file.  Each must give one positioned error
 * and no crash.  Also maildrop's form of a diagnostic (compat line,
 * compat_pre), which --check never prints, checked against texts taken
 * from maildrop 2.9.3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../builtins/builtins.h"
#include "../../grammar/buf.h"
#include "../../grammar/parse.h"
#include "unit.h"

/* Parse text; the first diagnostic, or NULL. */
static const struct diag *
first(struct arena *a, struct diags *d, const char *text, size_t len,
    unsigned flags)
{
	memset(d, 0, sizeof(*d));
	parse_program(a, "t", text, len, flags, &builtin_fns, d);
	return d->n > 0 ? &d->v[0] : NULL;
}

static void
expect_error(const char *name, const char *text, size_t len, unsigned line,
    unsigned col, const char *msg)
{
	struct arena a;
	struct diags d;
	const struct diag *dg;

	arena_init(&a);
	dg = first(&a, &d, text, len, 0);
	if (dg == NULL)
		unit_check(0, name, "no diagnostic");
	else if (dg->level != DIAG_ERROR || dg->pos.line != line ||
	    dg->pos.col != col || strcmp(dg->msg, msg) != 0) {
		unit_check(0, name, "got %u:%u %.150s", dg->pos.line,
		    dg->pos.col, dg->msg);
	} else
		unit_pass(name);
	diag_free(&d);
	arena_free(&a);
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail,
    size_t *len)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, head);
	for (i = 0; i < n; i++)
		buf_adds(&b, unit);
	buf_adds(&b, tail);
	*len = b.len;
	return b.p;
}

static void
deep(void)
{
	char *s;
	size_t len;

	/* A=( x 100000: statement 1, element 2..; level 1001 at col 1002 */
	s = repeat("A=", "(", 100000, "1\n", &len);
	expect_error("parens-100000", s, len, 1, 1002,
	    "nested too deeply (more than 1000 levels)");
	free(s);
	s = repeat("", "{\n", 100000, "", &len);
	expect_error("blocks-100000", s, len, 1001, 1,
	    "nested too deeply (more than 1000 levels)");
	free(s);
	s = repeat("A=", "!", 100000, "1\n", &len);
	expect_error("not-100000", s, len, 1, 1002,
	    "nested too deeply (more than 1000 levels)");
	free(s);
	/* a chain of operators is a deep tree too: at the 999th operand */
	s = repeat("A=1", " + 1", 100000, "\n", &len);
	expect_error("sum-100000", s, len, 1, 3999,
	    "nested too deeply (more than 1000 levels)");
	free(s);
	s = repeat("A=1", " =~ /x/", 100000, "\n", &len);
	expect_error("match-chain-100000", s, len, 1, 3 + 7 * 999 + 2,
	    "nested too deeply (more than 1000 levels)");
	free(s);
	/* 999 levels of blocks are fine */
	{
		struct arena a;
		struct diags d;
		char *t, *u;
		size_t n1, n2;
		struct buf b = BUF_INIT;

		t = repeat("", "{\n", 999, "", &n1);
		u = repeat("", "}\n", 999, "", &n2);
		buf_add(&b, t, n1);
		buf_add(&b, u, n2);
		arena_init(&a);
		unit_check(first(&a, &d, b.p, b.len, 0) == NULL, "blocks-999",
		    "999 nested blocks should parse");
		diag_free(&d);
		arena_free(&a);
		free(t);
		free(u);
		buf_free(&b);
	}
}

static void
huge(void)
{
	size_t n = 10 * 1024 * 1024, len;
	char *s = malloc(n + 16);
	struct arena a;
	struct diags d;
	const struct diag *dg;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	if (s == NULL) {
		unit_check(0, "unterminated-10mb", "out of memory");
		return;
	}
	/* a 10 MB string with no closing quote */
	memcpy(s, "A=\"", 3);
	memset(s + 3, 'x', n);
	len = n + 3;
	expect_error("unterminated-10mb", s, len, 1, 3,
	    "unterminated string: missing '\"'");

	/* a 10 MB word parses, and the caret line stays short */
	memcpy(s, "A=x", 3);
	memcpy(s + len, " (\n", 3);
	len += 3;
	arena_init(&a);
	dg = first(&a, &d, s, len, 0);
	unit_check(dg != NULL && dg->pos.col == n + 5, "error-after-10mb-word",
	    "expected an error at the '(' after the word");
	fp = open_memstream(&out, &outlen);
	if (dg != NULL)
		diag_print_compiler(fp, dg, s, len);
	fclose(fp);
	unit_check(outlen > 0 && outlen < 1000, "caret-window-10mb",
	    "the caret line should be a window, not 10 MB");
	free(out);
	diag_free(&d);
	arena_free(&a);
	free(s);
}

/* maildrop's form, lines checked against maildrop 2.9.3 */
static void
maildrop_form(const char *name, const char *text, unsigned flags,
    const char *want)
{
	struct arena a;
	struct diags d;
	const struct diag *dg;
	char *out = NULL, *nl;
	size_t outlen = 0, i;
	FILE *fp;

	arena_init(&a);
	memset(&d, 0, sizeof(d));
	parse_program(&a, "./f", text, strlen(text), flags, &builtin_fns,
	    &d);
	dg = NULL;
	for (i = 0; i < d.n && dg == NULL; i++)
		if (d.v[i].level == DIAG_ERROR)
			dg = &d.v[i];
	fp = open_memstream(&out, &outlen);
	if (dg != NULL)
		diag_print_maildrop(fp, dg, text, strlen(text));
	fclose(fp);
	/* maildrop's lines are the unindented ones at the start */
	for (nl = out; nl != NULL && *nl != '\0' && *nl != ' ';) {
		nl = strchr(nl, '\n');
		if (nl != NULL)
			nl++;
	}
	if (nl != NULL)
		*nl = '\0';
	unit_check(out != NULL && strcmp(out, want) == 0, name, "%s", out ?
	    out : "");
	free(out);
	diag_free(&d);
	arena_free(&a);
}

int
main(void)
{
	deep();
	huge();
	maildrop_form("md-missing-quote", "A=\"abc\nexit\n", 0,
	    "maildrop: Missing ', \", or `.\n./f(1): Syntax error.\n");
	maildrop_form("md-brace-after-if", "if (1) {\n}\nexit\n", 0,
	    "./f(1): Syntax error after )\n");
	maildrop_form("md-next-line", "A=1\n\nB=(2\n\nexit\n", 0,
	    "./f(4): Missing )\n");
	maildrop_form("md-while-else", "while (1) {\n}\nexit\n", 0,
	    "./f(1): Syntax error after else\n");
	maildrop_form("md-before-eq", "'A'=1\nexit\n", 0,
	    "./f(1): Syntax error before =\n");
	maildrop_form("md-missing-brace", "{\nA=1\nexit\n", 0,
	    "./f(4): Missing }\n");
	maildrop_form("md-embedded-to", "to \"x\"\nexit\n", PARSE_EMBEDDED,
	    "maildrop: 'to' disabled in embedded mode.\n./f(1): Syntax "
	    "error.\n");
	maildrop_form("md-embedded-bt", "A=`echo hi`\nexit\n", PARSE_EMBEDDED,
	    "maildrop: 'string: `echo hi`' disabled in embedded mode.\n"
	    "./f(1): Syntax error.\n");
	return unit_done();
}
