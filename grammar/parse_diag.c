/*
 * parse_diag.c: the parser's shared machinery: reading the next token,
 * reporting an error on the offending token with maildrop's text beside
 * it (and suppressing the cascade that follows until the parser is back
 * in step), counting depth, and the hints for the usual mistakes.  Kept
 * apart from the grammar rules so parse.c and parse_expr.c read like the
 * grammar.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define MAX_DEPTH	1000	/* nested blocks, parentheses, unary ops */
#define MAX_ERRORS	100	/* then stop: the rest is noise */

void
parse_advance(struct parser *p)
{
	if (p->stop) {
		p->tok.kind = TK_EOF;
		return;
	}
	p->prev = p->tok.kind;
	p->prev_fn = p->tok.fn;
	lex_next(&p->lex, &p->tok);
}

const char *
parse_fmt(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char *s, probe[1];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	s = arena_alloc(p->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* "'if'", "')'", "a \"string\"": the token as a message names it. */
const char *
parse_describe(struct parser *p, const struct token *t)
{
	const char *kw = lex_name(t);

	if (kw != NULL)
		return parse_fmt(p, "'%s'", kw);
	if (t->kind == TK_SEP && t->len == 1)
		return "';'";
	if (t->kind == TK_SEP && t->pos.off >= p->lex.len)
		return "the end of the file";
	return lex_describe(t->kind);
}

static void
record(struct parser *p, enum diag_level level, struct pos at,
    const char *msg, const char *hint, const char *compat, unsigned line,
    const char *pre)
{
	struct diag *dg;

	diag_add(p->d, level, at, msg, hint, compat);
	dg = &p->d->v[p->d->n - 1];
	dg->compat_line = line;
	dg->compat_pre = pre;
}

/*
 * Report an error on token t (the offending one).  compat is what
 * maildrop says in the same place; its line is maildrop's line counter
 * after reading t, which is the next line when t is a newline (B13).
 * A bad token speaks for itself: its own message, maildrop's context.
 */
void
parse_error(struct parser *p, const struct token *t, const char *msg,
    const char *hint, const char *compat)
{
	if (p->panic)
		return;
	p->panic = 1;
	if (t->kind == TK_ERROR) {
		msg = t->msg;
		hint = t->hint;
	}
	/*
	 * DIFFERENCES.md B13: a statement continued over several lines is
	 * easier to find by its start.
	 */
	if (p->stmt_at.line != 0 && t->pos.line > p->stmt_at.line &&
	    t->kind != TK_EOF && t->pos.off < p->lex.len)
		msg = p->stmt_kw != NULL ? parse_fmt(p, "%s (in the '%s' at "
		    "%u:%u)", msg, p->stmt_kw, p->stmt_at.line,
		    p->stmt_at.col) : parse_fmt(p, "%s (in the statement at "
		    "%u:%u)", msg, p->stmt_at.line, p->stmt_at.col);
	record(p, DIAG_ERROR, t->pos, msg, hint, compat, t->endline, t->pre);
	if (p->d->nerrors >= MAX_ERRORS) {
		record(p, DIAG_ERROR, t->pos, "too many errors; stopping here",
		    NULL, NULL, t->endline, NULL);
		p->stop = 1;
		p->tok.kind = TK_EOF;
	}
}

void
parse_warn(struct parser *p, struct pos at, const char *msg, const char *hint)
{
	record(p, DIAG_WARNING, at, msg, hint, NULL, 0, NULL);
}

/* Lua's enterlevel: every recursion goes through here. */
int
parse_enter(struct parser *p)
{
	if (++p->depth <= MAX_DEPTH)
		return 1;
	parse_error(p, &p->tok, "nested too deeply (more than 1000 levels)",
	    "split the filter into smaller blocks or include files",
	    PARSE_SYNTAX);
	p->stop = 1;
	p->tok.kind = TK_EOF;
	return 0;
}

void
parse_leave(struct parser *p)
{
	p->depth--;
}



static int
starts_element(enum tok_kind k)
{
	switch (k) {
	case TK_WORD: case TK_DQ: case TK_SQ: case TK_BT: case TK_PATTERN:
	case TK_LPAREN: case TK_NOT: case TK_BITNOT: case TK_FUNC:
		return 1;
	default:
		return 0;
	}
}

/*
 * What to do about an unexpected token where an expression has ended:
 * the usual mistakes each have a known way out.
 */
const char *
parse_hint(struct parser *p, const struct token *t)
{
	const char *src = p->lex.src;
	size_t off = t->pos.off;

	if (t->kind == TK_NOT && off + 1 < p->lex.len && src[off + 1] == '~')
		return "there is no '!~' operator; write !(x =~ /re/)";
	if (is_cmpop(t->kind))
		return "comparisons do not chain; join two comparisons "
		    "with '&&'";
	if (t->kind == TK_SEP && off >= p->lex.len)
		return NULL;
	if (t->kind == TK_SEP)
		return "an expression ends at the end of the line; end the "
		    "line with a backslash to continue it on the next";
	if (t->kind == TK_RBRACE)
		return "a statement needs a ';' or a new line before the '}'";
	if (t->kind == TK_LPAREN && p->prev == TK_FUNC &&
	    (p->prev_fn->flags & FN_NO_LIST))
		return parse_fmt(p, "'%s' takes no argument list; write just "
		    "'%s'", p->prev_fn->name, p->prev_fn->name);
	if (t->kind == TK_ASSIGN)
		return "only one '=' per statement; write two assignments";
	if (t->kind == TK_PLUS || t->kind == TK_MINUS || t->kind == TK_MUL ||
	    t->kind == TK_DIV)
		return "an operator needs a value on each side; '-' and '/' "
		    "need spaces around them (5 - 1, not 5-1)";
	if (starts_element(t->kind))
		return "only strings join by being written side by side; put "
		    "a function's or pattern's value in a variable first, or "
		    "join them with an operator";
	if (t->kind == TK_LBRACE)
		return "the '{' must start its own line here";
	return NULL;
}

/* "expected ')' to close the '(' at 4:1", as Lua's check_match. */
int
parse_close_paren(struct parser *p, const struct token *open,
    const char *compat)
{
	const struct token *t = &p->tok;

	if (t->kind == TK_RPAREN) {
		parse_advance(p);
		return 1;
	}
	parse_error(p, t, parse_fmt(p, "expected ')' to close the '(' at "
	    "%u:%u, found %s", open->pos.line, open->pos.col, parse_describe(p,
	    t)), t->kind == TK_LBRACE ?
	    "add the missing ')'; then the '{' goes on the next line" :
	    parse_hint(p, t), compat);
	return 0;
}
