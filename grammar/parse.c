/*
 * parse.c: tokens -> AST by recursive descent, one function per rule of
 * LANGUAGE.md §3.1 with the rule in a comment above it, as in Lua's
 * lparser.c.  The grammar, its precedence and its error texts are
 * maildrop's (recipeparse.C): a filter maildrop accepts parses to the same
 * meaning here, and one it rejects is rejected with the same "Syntax
 * error after )" line.  Unlike maildrop the parser does not stop at the
 * first error: it reports it on the offending token, skips to the next
 * separator or '}' (clox's synchronize) and goes on, so one --check shows
 * every error.  Depth is counted like Lua's enterlevel: hostile nesting
 * gives a positioned error, never a stack overflow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "parse.h"

#define MAX_DEPTH	1000	/* nested blocks, parentheses, unary ops */
#define MAX_ERRORS	100	/* then stop: the rest is noise */

struct parser {
	struct arena	*arena;
	struct lexer	 lex;
	struct token	 tok;		/* the current token */
	enum tok_kind	 prev;		/* the one before it */
	struct diags	*d;
	unsigned	 depth;
	int		 panic;		/* an error is being recovered from */
	int		 stop;		/* give up: the lexer reads as EOF */
};

static struct stmt	*statement(struct parser *);
static struct stmt	*stmt_list(struct parser *);
static struct expr	*expr(struct parser *);
static struct expr	*element(struct parser *);

static const char SYNTAX[] = "Syntax error.";

static void
advance(struct parser *p)
{
	if (p->stop) {
		p->tok.kind = TK_EOF;
		return;
	}
	p->prev = p->tok.kind;
	lex_next(&p->lex, &p->tok);
}

static const char *
afmt(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *
afmt(struct parser *p, const char *fmt, ...)
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
static const char *
describe(struct parser *p, const struct token *t)
{
	const char *kw = lex_keyword_name(t->kind);

	if (kw != NULL)
		return afmt(p, "'%s'", kw);
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
static void
error_tok(struct parser *p, const struct token *t, const char *msg,
    const char *hint, const char *compat)
{
	if (p->panic)
		return;
	p->panic = 1;
	if (t->kind == TK_ERROR) {
		msg = t->msg;
		hint = t->hint;
	}
	record(p, DIAG_ERROR, t->pos, msg, hint, compat, t->endline, t->pre);
	if (p->d->nerrors >= MAX_ERRORS) {
		record(p, DIAG_ERROR, t->pos, "too many errors; stopping here",
		    NULL, NULL, t->endline, NULL);
		p->stop = 1;
		p->tok.kind = TK_EOF;
	}
}

static void
warn(struct parser *p, struct pos at, const char *msg, const char *hint)
{
	record(p, DIAG_WARNING, at, msg, hint, NULL, 0, NULL);
}

/* Lua's enterlevel: every recursion goes through here. */
static int
enter(struct parser *p)
{
	if (++p->depth <= MAX_DEPTH)
		return 1;
	error_tok(p, &p->tok, "nested too deeply (more than 1000 levels)",
	    "split the filter into smaller blocks or include files", SYNTAX);
	p->stop = 1;
	p->tok.kind = TK_EOF;
	return 0;
}

static void
leave(struct parser *p)
{
	p->depth--;
}

/* Skip to where a statement can start again: a separator or '}'. */
static void
synchronize(struct parser *p)
{
	p->panic = 0;
	while (p->tok.kind != TK_SEP && p->tok.kind != TK_RBRACE &&
	    p->tok.kind != TK_EOF)
		advance(p);
}

static int
is_cmpop(enum tok_kind k)
{
	return (k >= TK_LT && k <= TK_NE) || (k >= TK_SLT && k <= TK_SNE);
}

static int
starts_element(enum tok_kind k)
{
	switch (k) {
	case TK_WORD: case TK_DQ: case TK_SQ: case TK_BT: case TK_PATTERN:
	case TK_LPAREN: case TK_NOT: case TK_BITNOT: case TK_LENGTH:
	case TK_GETADDR: case TK_ESCAPE: case TK_TOLOWER: case TK_TOUPPER:
	case TK_HASADDR: case TK_SUBSTR: case TK_LOOKUP: case TK_GDBMOPEN:
	case TK_GDBMFETCH: case TK_GDBMSTORE: case TK_GDBMCLOSE: case TK_TIME:
		return 1;
	default:
		return 0;
	}
}

/*
 * What to do about an unexpected token where an expression has ended:
 * the usual mistakes each have a known way out.
 */
static const char *
hint_after_expr(struct parser *p, const struct token *t)
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
	if (t->kind == TK_LPAREN && p->prev == TK_TIME)
		return "'time' takes no argument list; write just 'time'";
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

/* A statement's end: a separator, consumed. */
static int
end_statement(struct parser *p, const char *what)
{
	if (p->panic)
		return 0;	/* leave the SEP to synchronize() */
	if (p->tok.kind == TK_SEP) {
		advance(p);
		return 1;
	}
	error_tok(p, &p->tok, afmt(p, "expected the end of the %s, found %s",
	    what, describe(p, &p->tok)), hint_after_expr(p, &p->tok), SYNTAX);
	return 0;
}

/* "expected ')' to close the '(' at 4:1", as Lua's check_match. */
static int
close_paren(struct parser *p, const struct token *open, const char *compat)
{
	const struct token *t = &p->tok;

	if (t->kind == TK_RPAREN) {
		advance(p);
		return 1;
	}
	error_tok(p, t, afmt(p, "expected ')' to close the '(' at %u:%u, "
	    "found %s", open->pos.line, open->pos.col, describe(p, t)),
	    hint_after_expr(p, t), compat);
	return 0;
}

static struct stmt *
new_stmt(struct parser *p, enum stmt_kind kind, struct pos at)
{
	struct stmt *s = arena_alloc(p->arena, sizeof(*s));

	s->kind = kind;
	s->pos = at;
	return s;
}

static struct expr *
new_expr(struct parser *p, enum expr_kind kind, struct pos at)
{
	struct expr *e = arena_alloc(p->arena, sizeof(*e));

	e->kind = kind;
	e->pos = at;
	return e;
}

static struct expr *
binary(struct parser *p, enum expr_kind kind, struct pos at,
    struct expr *lhs, struct expr *rhs)
{
	struct expr *e = new_expr(p, kind, at);

	e->lhs = lhs;
	e->rhs = rhs;
	return e;
}

static struct expr *
call(struct parser *p, const char *name, struct pos at, struct expr **args,
    size_t nargs)
{
	struct expr *e = new_expr(p, E_CALL, at);

	e->name = name;
	e->namelen = strlen(name);
	if (nargs > 0) {
		e->args = arena_alloc(p->arena, nargs * sizeof(*e->args));
		memcpy(e->args, args, nargs * sizeof(*e->args));
	}
	e->nargs = nargs;
	return e;
}

/*
 * The option string of a pattern (§5.1): letters anywhere, and the
 * weights: the first number starts at the first of "0-9.+-", the second
 * after the next comma.
 */
static void
pattern_opts(struct pattern *pat)
{
	const char *o = pat->opts, *num, *comma;

	for (; *o != '\0'; o++)
		switch (*o) {
		case 'h': pat->flags |= PAT_H; break;
		case 'H': pat->flags |= PAT_TOPH; break;
		case 'b': pat->flags |= PAT_B; break;
		case 'D': pat->flags |= PAT_D; break;
		case 'w': pat->flags |= PAT_W; break;
		default: break;
		}
	/* §5.1: no h, H or b means h; legacy w adds the body to that */
	if ((pat->flags & (PAT_H | PAT_TOPH | PAT_B)) == 0)
		pat->flags |= pat->flags & PAT_W ? PAT_H | PAT_B : PAT_H;
	pat->factor = 1;
	num = strpbrk(pat->opts, "0123456789.+-");
	if (num == NULL)
		return;
	pat->weighted = 1;
	pat->weight = strtod(num, NULL);
	if ((comma = strchr(num, ',')) != NULL)
		pat->factor = strtod(comma + 1, NULL);
}

/*
 * §1.5: a '$' the evaluator will expand: one followed by a name character
 * or '{', not protected by a backslash.
 */
static int
pattern_has_dollar(const char *re, size_t len)
{
	size_t i;
	int c;

	for (i = 0; i < len; i++) {
		if (re[i] == '\\') {
			i++;
			continue;
		}
		if (re[i] != '$' || i + 1 >= len)
			continue;
		c = (unsigned char)re[i + 1];
		if (c == '{' || c == '_' || (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return 1;
	}
	return 0;
}

/* PATTERN token -> struct pattern; the lexer has checked its shape. */
static struct expr *
pattern(struct parser *p)
{
	const struct token *t = &p->tok;
	struct expr *e = new_expr(p, E_PATTERN, t->pos);
	struct pattern *pat = arena_alloc(p->arena, sizeof(*pat));
	size_t i;

	for (i = 1; i < t->len && t->text[i] != '/'; i++)
		if (t->text[i] == '\\')
			i++;
	pat->re = arena_strndup(p->arena, t->text + 1, i - 1);
	pat->relen = i - 1;
	i++;			/* the closing '/' */
	if (i < t->len && t->text[i] == ':')
		i++;
	pat->opts = arena_strndup(p->arena, t->text + i, t->len - i);
	pattern_opts(pat);
	pat->has_dollar = pattern_has_dollar(pat->re, pat->relen);
	e->pat = pat;
	advance(p);
	return e;
}

static enum part_kind
part_kind(enum tok_kind k)
{
	switch (k) {
	case TK_DQ:	return P_DQ;
	case TK_SQ:	return P_SQ;
	case TK_BT:	return P_BT;
	default:	return P_WORD;
	}
}

static int
is_string(enum tok_kind k)
{
	return k == TK_WORD || k == TK_DQ || k == TK_SQ || k == TK_BT;
}

/* string = DQSTRING | SQSTRING | BTSTRING | WORD ;  element: string { string } */
static struct expr *
string(struct parser *p)
{
	struct expr *e = new_expr(p, E_STRING, p->tok.pos);
	struct part one[8], *v = one;
	size_t n = 0, cap = nitems(one);

	while (is_string(p->tok.kind)) {
		if (n == cap) {
			struct part *nv = arena_alloc(p->arena,
			    2 * cap * sizeof(*nv));

			memcpy(nv, v, n * sizeof(*nv));
			v = nv;
			cap *= 2;
		}
		v[n].kind = part_kind(p->tok.kind);
		v[n].text = p->tok.text;
		v[n].len = p->tok.len;
		v[n].pos = p->tok.pos;
		n++;
		advance(p);
	}
	e->parts = arena_alloc(p->arena, n * sizeof(*e->parts));
	memcpy(e->parts, v, n * sizeof(*e->parts));
	e->nparts = n;
	return e;
}

/*
 * Argument lists of the functions with parentheses.  min and max count
 * the arguments; maildrop's texts differ between them ("Missing (" for
 * substr and lookup, "Missing (." for the gdbm functions).
 *   "substr" "(" expr "," expr [ "," expr ] ")"
 *   "lookup" "(" expr "," expr [ "," expr ] ")"
 *   "gdbmopen" "(" expr [ "," expr ] ")"
 *   "gdbmfetch" "(" expr [ "," expr [ "," expr ] ] ")"
 *   "gdbmstore" "(" expr "," expr ")"
 */
static struct expr *
call_args(struct parser *p, const char *name, size_t min, size_t max,
    int gdbm)
{
	struct pos at = p->tok.pos;
	struct expr *args[3];
	struct token open;
	size_t n = 0;

	advance(p);
	if (p->tok.kind != TK_LPAREN) {
		error_tok(p, &p->tok, afmt(p, "expected '(' after '%s', "
		    "found %s", name, describe(p, &p->tok)),
		    afmt(p, "write %s(...) with its arguments in parentheses",
		    name), gdbm ? "Missing (." : "Missing (");
		return NULL;
	}
	open = p->tok;
	advance(p);
	args[n++] = expr(p);
	while (n < max && (n < min || p->tok.kind == TK_COMMA)) {
		if (p->tok.kind != TK_COMMA) {
			error_tok(p, &p->tok, afmt(p, "expected ',' and "
			    "argument %zu of '%s', found %s", n + 1, name,
			    describe(p, &p->tok)),
			    min == max ? afmt(p, "'%s' takes %zu arguments",
			    name, min) : afmt(p, "'%s' takes %zu to %zu "
			    "arguments", name, min, max),
			    gdbm ? "Missing ,." : "Missing ,");
			return NULL;
		}
		advance(p);
		args[n++] = expr(p);
	}
	if (!close_paren(p, &open, "Missing )"))
		return NULL;
	return call(p, name, at, args, n);
}

/* A unary function or operator: keyword element. */
static struct expr *
unary(struct parser *p, const char *name, enum expr_kind kind)
{
	struct pos at = p->tok.pos;
	struct expr *arg, *e;

	advance(p);
	arg = element(p);
	if (kind == E_CALL)
		return call(p, name, at, &arg, 1);
	e = new_expr(p, kind, at);
	e->lhs = arg;
	return e;
}

/*
 * element = "length" element | "getaddr" element | "escape" element
 *         | "tolower" element | "toupper" element | "hasaddr" element
 *         | "!" element | "~" element
 *         | "substr" ... | "lookup" ... | "gdbmopen" ... | "gdbmfetch" ...
 *         | "gdbmstore" ... | "gdbmclose" | "time"
 *         | PATTERN | "(" expr ")" | string { string } ;
 */
static struct expr *
element(struct parser *p)
{
	struct expr *e = NULL;
	struct token open;

	if (!enter(p))
		return NULL;
	switch (p->tok.kind) {
	case TK_LENGTH:	e = unary(p, "length", E_CALL); break;
	case TK_GETADDR: e = unary(p, "getaddr", E_CALL); break;
	case TK_ESCAPE:	e = unary(p, "escape", E_CALL); break;
	case TK_TOLOWER: e = unary(p, "tolower", E_CALL); break;
	case TK_TOUPPER: e = unary(p, "toupper", E_CALL); break;
	case TK_HASADDR: e = unary(p, "hasaddr", E_CALL); break;
	case TK_NOT:	e = unary(p, "!", E_NOT); break;
	case TK_BITNOT:	e = unary(p, "~", E_BITNOT); break;
	case TK_SUBSTR:	e = call_args(p, "substr", 2, 3, 0); break;
	case TK_LOOKUP:	e = call_args(p, "lookup", 2, 3, 0); break;
	case TK_GDBMOPEN: e = call_args(p, "gdbmopen", 1, 2, 1); break;
	case TK_GDBMFETCH: e = call_args(p, "gdbmfetch", 1, 3, 1); break;
	case TK_GDBMSTORE: e = call_args(p, "gdbmstore", 2, 2, 1); break;
	case TK_GDBMCLOSE:
		e = call(p, "gdbmclose", p->tok.pos, NULL, 0);
		advance(p);
		break;
	case TK_TIME:
		e = call(p, "time", p->tok.pos, NULL, 0);
		advance(p);
		break;
	case TK_PATTERN:
		e = pattern(p);
		break;
	case TK_LPAREN:
		open = p->tok;
		advance(p);
		e = expr(p);
		if (!close_paren(p, &open, "Missing )"))
			e = NULL;
		break;
	case TK_WORD: case TK_DQ: case TK_SQ: case TK_BT:
		e = string(p);
		break;
	default:
		error_tok(p, &p->tok, afmt(p, "expected a value (a string, "
		    "$VARIABLE, /pattern/, function or '('), found %s",
		    describe(p, &p->tok)),
		    p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS ?
		    "there is no unary '+' or '-'; write 0 - x, or quote a "
		    "signed number (\"-3\")" :
		    p->tok.kind == TK_SEP || p->tok.kind == TK_EOF ?
		    "the expression stops at the end of the line; end the "
		    "line with a backslash to continue it" : NULL, SYNTAX);
		break;
	}
	leave(p);
	return e;
}

/* match = element { "=~" PATTERN } ; */
static struct expr *
match(struct parser *p)
{
	struct expr *e = element(p);
	struct pos at;

	while (p->tok.kind == TK_MATCH) {
		at = p->tok.pos;
		advance(p);
		if (p->tok.kind != TK_PATTERN) {
			error_tok(p, &p->tok, afmt(p, "expected a /pattern/ "
			    "after '=~', found %s", describe(p, &p->tok)),
			    "'=~' is read as one operator; to assign a "
			    "bitwise not, write NAME= ~x with a space",
			    "Syntax error after =~");
			return NULL;
		}
		e = binary(p, E_MATCH, at, e, NULL);
		e->pat = pattern(p)->pat;
	}
	return e;
}

/* muldiv = match { ("*" | "/") element } ;  (the right side is an element) */
static struct expr *
muldiv(struct parser *p)
{
	struct expr *e = match(p);
	enum expr_kind kind;
	struct pos at;

	while (p->tok.kind == TK_MUL || p->tok.kind == TK_DIV) {
		kind = p->tok.kind == TK_MUL ? E_MUL : E_DIV;
		at = p->tok.pos;
		advance(p);
		e = binary(p, kind, at, e, element(p));
	}
	return e;
}

/* addsub = muldiv { ("+" | "-") muldiv } ; */
static struct expr *
addsub(struct parser *p)
{
	struct expr *e = muldiv(p);
	enum expr_kind kind;
	struct pos at;

	while (p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS) {
		kind = p->tok.kind == TK_PLUS ? E_ADD : E_SUB;
		at = p->tok.pos;
		advance(p);
		e = binary(p, kind, at, e, muldiv(p));
	}
	return e;
}

/* band = addsub { "&" addsub } ; */
static struct expr *
band(struct parser *p)
{
	struct expr *e = addsub(p);
	struct pos at;

	while (p->tok.kind == TK_BITAND) {
		at = p->tok.pos;
		advance(p);
		e = binary(p, E_BITAND, at, e, addsub(p));
	}
	return e;
}

/* bor = band { "|" band } ; */
static struct expr *
bor(struct parser *p)
{
	struct expr *e = band(p);
	struct pos at;

	while (p->tok.kind == TK_BITOR) {
		at = p->tok.pos;
		advance(p);
		e = binary(p, E_BITOR, at, e, band(p));
	}
	return e;
}

static enum expr_kind
cmp_kind(enum tok_kind k)
{
	switch (k) {
	case TK_LT:	return E_LT;
	case TK_LE:	return E_LE;
	case TK_GT:	return E_GT;
	case TK_GE:	return E_GE;
	case TK_EQ:	return E_EQ;
	case TK_NE:	return E_NE;
	case TK_SLT:	return E_SLT;
	case TK_SLE:	return E_SLE;
	case TK_SGT:	return E_SGT;
	case TK_SGE:	return E_SGE;
	case TK_SEQ:	return E_SEQ;
	default:	return E_SNE;
	}
}

/*
 * cmp = bor [ cmpop bor ] ;  non-associative: "a < b < c" stops after
 * "a < b" and the caller reports the second operator.
 */
static struct expr *
cmp(struct parser *p)
{
	struct expr *e = bor(p);
	enum expr_kind kind;
	struct pos at;

	if (!is_cmpop(p->tok.kind))
		return e;
	kind = cmp_kind(p->tok.kind);
	at = p->tok.pos;
	advance(p);
	return binary(p, kind, at, e, bor(p));
}

/* land = cmp { "&&" cmp } ; */
static struct expr *
land(struct parser *p)
{
	struct expr *e = cmp(p);
	struct pos at;

	while (p->tok.kind == TK_AND) {
		at = p->tok.pos;
		advance(p);
		e = binary(p, E_AND, at, e, cmp(p));
	}
	return e;
}

/* lor = land { "||" land } ; */
static struct expr *
lor(struct parser *p)
{
	struct expr *e = land(p);
	struct pos at;

	while (p->tok.kind == TK_OR) {
		at = p->tok.pos;
		advance(p);
		e = binary(p, E_OR, at, e, land(p));
	}
	return e;
}

static int
has_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\v' || s[i] == '\f')
			return 1;
	return 0;
}

/*
 * DIFFERENCES.md B4: "A=/re/" stores the text "/re/", because '/' after
 * '=' starts a word.  Warn when the word has the shape of a pattern:
 * exactly /text/ or /text/:opts.
 */
static int
looks_like_pattern(const struct expr *e)
{
	const char *s, *end;

	if (e == NULL || e->kind != E_STRING || e->nparts != 1 ||
	    e->parts[0].kind != P_WORD)
		return 0;
	s = e->parts[0].text;
	if (e->parts[0].len < 3 || s[0] != '/')
		return 0;
	end = strchr(s + 1, '/');
	if (end == NULL || end == s + 1)
		return 0;
	return end[1] == '\0' || end[1] == ':';
}

/*
 * assign = lor [ "=" lor ] ;  the left side is one bare word or one "..."
 * string, taken literally; a=b=c is an error (LANGUAGE.md §3.2).
 */
static struct expr *
assign(struct parser *p)
{
	struct expr *lhs = lor(p), *e;
	struct token eq;
	const struct part *name;

	while (p->tok.kind == TK_ASSIGN) {
		eq = p->tok;
		advance(p);
		if (lhs == NULL)
			return NULL;
		if (lhs->kind != E_STRING || lhs->nparts != 1 ||
		    (lhs->parts[0].kind != P_WORD &&
		    lhs->parts[0].kind != P_DQ)) {
			/* maildrop reads the token after '=' first */
			eq.endline = p->tok.endline;
			error_tok(p, &eq, "expected a variable name before '='",
			    lhs->kind == E_ASSIGN ? "chained assignment is not "
			    "allowed; write one assignment per statement" :
			    lhs->kind == E_STRING && lhs->nparts == 1 ?
			    "a variable name is a bare word or a \"...\" "
			    "string, not '...' or `...`" :
			    "a variable name is one bare word or one \"...\" "
			    "string", "Syntax error before =");
			return NULL;
		}
		name = &lhs->parts[0];
		if (name->kind == P_DQ && has_blank(name->text, name->len))
			warn(p, name->pos, "this variable name holds white "
			    "space, so ${...} cannot read it back",
			    "use a name without spaces (DIFFERENCES.md B20)");
		e = new_expr(p, E_ASSIGN, name->pos);
		e->name = name->text;
		e->namelen = name->len;
		e->rhs = lor(p);
		if (looks_like_pattern(e->rhs))
			warn(p, e->rhs->pos, afmt(p, "this assigns the text "
			    "'%s', not the result of a pattern match",
			    e->rhs->parts[0].text),
			    afmt(p, "after '=' a '/' starts a word; write "
			    "%.*s=(%s) for the match result, or quote the text",
			    (int)e->namelen, e->name, e->rhs->parts[0].text));
		lhs = e;
	}
	return lhs;
}

/* expr = assign ; */
static struct expr *
expr(struct parser *p)
{
	return assign(p);
}

/*
 * The separator after "if (...)", "else", "while (...)": required, and a
 * '{' on the same line is the usual mistake (LANGUAGE.md §3.3).  After
 * reporting a '{' here, parsing goes on as if the newline were there.
 */
static void
head_sep(struct parser *p, const char *what, const char *compat)
{
	if (p->panic)
		return;
	if (p->tok.kind == TK_SEP) {
		advance(p);
		return;
	}
	error_tok(p, &p->tok, afmt(p, "expected a new line after '%s', "
	    "found %s", what, describe(p, &p->tok)),
	    p->tok.kind == TK_LBRACE ? "maildrop needs the '{' on the next "
	    "line" : p->tok.kind == TK_IF ? "write 'elsif (...)' for "
	    "'else if (...)'" : afmt(p, "put the statement on the line "
	    "after '%s'", what), compat);
	if (p->tok.kind == TK_LBRACE)
		p->panic = 0;
}

/*
 * substmt = SEP | statement ;
 * A second separator is an EMPTY body, so the block after a blank or
 * comment line runs unconditionally (LANGUAGE.md §3.3, DIFFERENCES.md
 * B3).  maildrop does that; we do it too, and warn.
 */
static struct stmt *
substmt(struct parser *p, const char *what)
{
	const char *src = p->lex.src;
	size_t off = p->tok.pos.off;

	if (p->panic)
		return NULL;
	if (p->tok.kind != TK_SEP)
		return statement(p);
	if (off > 0 && off < p->lex.len && src[off] == '\n' &&
	    src[off - 1] == '\r')
		warn(p, p->tok.pos, afmt(p, "empty body: the CR before this "
		    "new line ends the '%s'", what),
		    "the file has CRLF (DOS) line ends and maildrop reads CR "
		    "and LF as two line ends, so the next statement runs "
		    "whatever the condition; convert the file to LF line ends "
		    "(dos2unix)");
	else
		warn(p, p->tok.pos, afmt(p, "empty body: this blank or comment line "
	    "ends the '%s'", what),
	    "the statement after it runs whatever the condition; remove the "
	    "blank or comment line (DIFFERENCES.md B3)");
	advance(p);
	return NULL;
}

/*
 * if_stmt = ("if" | "elsif") "(" expr ")" SEP substmt
 *           [ "else" SEP substmt | "elsif" ... ] ;
 * elsif is a nested if in the else branch, as maildrop rewrites it.
 */
static struct stmt *
if_stmt(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_IF, p->tok.pos);
	const char *kw = p->tok.kind == TK_IF ? "if" : "elsif";
	struct token open;

	advance(p);
	if (p->tok.kind != TK_LPAREN) {
		error_tok(p, &p->tok, afmt(p, "expected '(' after '%s', found "
		    "%s", kw, describe(p, &p->tok)),
		    afmt(p, "write %s (condition)", kw),
		    "Syntax error after if");
		return NULL;
	}
	open = p->tok;
	advance(p);
	s->expr = expr(p);
	if (!close_paren(p, &open, "Missing )"))
		return NULL;
	head_sep(p, afmt(p, "%s (...)", kw), "Syntax error after )");
	if (p->panic)
		return NULL;
	s->body = substmt(p, afmt(p, "%s (...)", kw));
	if (p->panic)
		return s;
	if (p->tok.kind == TK_ELSE) {
		advance(p);
		head_sep(p, "else", "Syntax error after else");
		if (p->panic)
			return s;
		s->otherwise = substmt(p, "else");
	} else if (p->tok.kind == TK_ELSIF) {
		if (enter(p)) {
			s->otherwise = if_stmt(p);
			leave(p);
		}
	}
	return s;
}

/* while_stmt = "while" "(" expr ")" SEP substmt ; */
static struct stmt *
while_stmt(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_WHILE, p->tok.pos);
	struct token open;

	advance(p);
	if (p->tok.kind != TK_LPAREN) {
		error_tok(p, &p->tok, afmt(p, "expected '(' after 'while', "
		    "found %s", describe(p, &p->tok)),
		    "write while (condition)", "Syntax error after while");
		return NULL;
	}
	open = p->tok;
	advance(p);
	s->expr = expr(p);
	if (!close_paren(p, &open, "Missing )"))
		return NULL;
	/* sic: maildrop says "after else" here */
	head_sep(p, "while (...)", "Syntax error after else");
	if (p->panic)
		return NULL;
	s->body = substmt(p, "while (...)");
	return s;
}

/*
 * foreach_stmt = "foreach" expr SEP substmt ;
 * the expression must be a pattern or "x =~ pattern" (§4.14).
 */
static struct stmt *
foreach_stmt(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_FOREACH, p->tok.pos);
	struct token at;

	advance(p);
	at = p->tok;
	s->expr = expr(p);
	if (s->expr == NULL)
		return NULL;
	if (s->expr->kind != E_PATTERN && s->expr->kind != E_MATCH) {
		at.endline = p->tok.endline;
		at.kind = TK_WORD;
		error_tok(p, &at, "expected a /pattern/ or 'x =~ /pattern/' "
		    "after 'foreach'", "foreach loops over the matches of a "
		    "pattern: foreach /re/ or foreach (x) =~ /re/", SYNTAX);
		return NULL;
	}
	if (p->panic)
		return NULL;
	if (p->tok.kind != TK_SEP) {
		error_tok(p, &p->tok, afmt(p, "expected a new line after "
		    "'foreach /.../', found %s", describe(p, &p->tok)),
		    p->tok.kind == TK_LBRACE ? "maildrop needs the '{' on the "
		    "next line" : NULL, SYNTAX);
		if (p->tok.kind != TK_LBRACE)
			return NULL;
		p->panic = 0;
	} else
		advance(p);
	s->body = substmt(p, "foreach");
	return s;
}

/*
 * block = "{" stmt_list "}" SEP ;  the SEP after '}' is mandatory, so
 * "} else" on one line is an error (LANGUAGE.md §3.3).
 */
static struct stmt *
block(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_BLOCK, p->tok.pos);
	struct token open = p->tok;

	advance(p);
	s->body = stmt_list(p);
	if (p->tok.kind != TK_RBRACE) {
		error_tok(p, &p->tok, afmt(p, "expected '}' to close the '{' "
		    "at %u:%u, found %s", open.pos.line, open.pos.col,
		    describe(p, &p->tok)), NULL, "Missing }");
		return s;
	}
	advance(p);
	if (p->panic)
		return s;
	if (p->tok.kind == TK_SEP) {
		advance(p);
		return s;
	}
	error_tok(p, &p->tok, afmt(p, "expected a new line after '}', found "
	    "%s", describe(p, &p->tok)),
	    p->tok.kind == TK_ELSE || p->tok.kind == TK_ELSIF ?
	    afmt(p, "put '%s' on its own line after the '}'",
	    lex_keyword_name(p->tok.kind)) :
	    "end the line after '}', or put a ';' after it",
	    "Syntax error after }");
	/* "} else": report it, then read the else as intended */
	if (p->tok.kind == TK_ELSE || p->tok.kind == TK_ELSIF)
		p->panic = 0;
	return s;
}

/*
 * "exception" block_nosep | "dotlock" expr block_nosep
 * | "flock" expr block_nosep ;  the '{' is on the keyword's line.
 */
static struct stmt *
block_stmt(struct parser *p, enum stmt_kind kind)
{
	struct stmt *s = new_stmt(p, kind, p->tok.pos), *b;
	const char *kw = lex_keyword_name(p->tok.kind);

	advance(p);
	if (kind != S_EXCEPTION) {
		s->expr = expr(p);
		if (s->expr == NULL)
			return NULL;
	}
	if (p->tok.kind != TK_LBRACE) {
		error_tok(p, &p->tok, afmt(p, "expected '{' after '%s%s', "
		    "found %s", kw, kind == S_EXCEPTION ? "" : " ...",
		    describe(p, &p->tok)),
		    p->tok.kind == TK_SEP ? afmt(p, "maildrop needs the '{' "
		    "on the same line as '%s'", kw) : hint_after_expr(p,
		    &p->tok), SYNTAX);
		return NULL;
	}
	b = block(p);
	s->body = b->body;
	return s;
}

/*
 * "to" expr SEP | "cc" expr SEP | "echo" expr SEP | "log" expr SEP
 * | "logfile" expr SEP | "xfilter" expr SEP | "system" expr SEP
 * | "include" expr SEP | "import" expr SEP | "unset" expr SEP ;
 */
static struct stmt *
simple(struct parser *p, enum stmt_kind kind)
{
	struct stmt *s = new_stmt(p, kind, p->tok.pos);
	const char *kw = lex_keyword_name(p->tok.kind);
	const char *src = p->lex.src;

	advance(p);
	/* §3.3: '~' is bitwise not, never the home directory */
	if (p->tok.kind == TK_BITNOT && p->tok.pos.off + 1 < p->lex.len &&
	    src[p->tok.pos.off + 1] == '/' && kind == S_INCLUDE) {
		error_tok(p, &p->tok, "'~' is not the home directory in a "
		    "filter", "write \"$HOME/...\" instead of ~/...", SYNTAX);
		return NULL;
	}
	s->expr = expr(p);
	if (s->expr == NULL)
		return NULL;
	if (!end_statement(p, afmt(p, "'%s' statement", kw)))
		return NULL;
	return s;
}

/*
 * statement = if_stmt | while_stmt | foreach_stmt | block
 *           | "to" expr SEP | ... | "exit" SEP | expr SEP ;
 */
static struct stmt *
statement(struct parser *p)
{
	struct stmt *s = NULL;
	struct pos at = p->tok.pos;

	if (!enter(p))
		return NULL;
	switch (p->tok.kind) {
	case TK_IF:	s = if_stmt(p); break;
	case TK_WHILE:	s = while_stmt(p); break;
	case TK_FOREACH: s = foreach_stmt(p); break;
	case TK_LBRACE:	s = block(p); break;
	case TK_TO:	s = simple(p, S_TO); break;
	case TK_CC:	s = simple(p, S_CC); break;
	case TK_ECHO:	s = simple(p, S_ECHO); break;
	case TK_LOG:	s = simple(p, S_LOG); break;
	case TK_LOGFILE: s = simple(p, S_LOGFILE); break;
	case TK_XFILTER: s = simple(p, S_XFILTER); break;
	case TK_SYSTEM:	s = simple(p, S_SYSTEM); break;
	case TK_INCLUDE: s = simple(p, S_INCLUDE); break;
	case TK_IMPORT:	s = simple(p, S_IMPORT); break;
	case TK_UNSET:	s = simple(p, S_UNSET); break;
	case TK_EXCEPTION: s = block_stmt(p, S_EXCEPTION); break;
	case TK_DOTLOCK: s = block_stmt(p, S_DOTLOCK); break;
	case TK_FLOCK:	s = block_stmt(p, S_FLOCK); break;
	case TK_EXIT:
		s = new_stmt(p, S_EXIT, at);
		advance(p);
		if (p->tok.kind == TK_SEP)
			advance(p);
		else {
			error_tok(p, &p->tok, afmt(p, "expected the end of the "
			    "line after 'exit', found %s",
			    describe(p, &p->tok)), "'exit' takes no argument; "
			    "set EXITCODE=N on the line before", SYNTAX);
			s = NULL;
		}
		break;
	case TK_ELSE:
	case TK_ELSIF:
		error_tok(p, &p->tok, afmt(p, "'%s' without an 'if' before "
		    "it", lex_keyword_name(p->tok.kind)),
		    "a blank or comment line between the if's body and "
		    "'else' ends the if; remove it", SYNTAX);
		break;
	default:
		s = new_stmt(p, S_EXPR, at);
		s->expr = expr(p);
		if (s->expr == NULL || !end_statement(p, "statement"))
			s = NULL;
		break;
	}
	leave(p);
	return s;
}

/* stmt_list = { SEP | statement } ;  it stops at '}' or EOF. */
static struct stmt *
stmt_list(struct parser *p)
{
	struct stmt *head = NULL, **tail = &head, *s;

	for (;;) {
		if (p->tok.kind == TK_RBRACE || p->tok.kind == TK_EOF)
			break;
		if (p->tok.kind == TK_SEP) {
			advance(p);
			continue;
		}
		s = statement(p);
		if (s != NULL) {
			*tail = s;
			tail = &s->next;
		}
		if (p->panic)
			synchronize(p);
	}
	return head;
}

/* file = stmt_list EOF ; */
struct program *
parse_program(struct arena *a, const char *file, const char *text,
    size_t len, unsigned flags, struct diags *d)
{
	struct parser p;
	struct program *prog = arena_alloc(a, sizeof(*prog));
	struct stmt **tail = &prog->body;

	memset(&p, 0, sizeof(p));
	p.arena = a;
	p.d = d;
	d->text = text;
	d->len = len;
	lex_init(&p.lex, a, file, text, len, (flags & PARSE_EMBEDDED) != 0);
	prog->file = file;
	prog->text = text;
	prog->len = len;
	advance(&p);
	for (;;) {
		*tail = stmt_list(&p);
		while (*tail != NULL)
			tail = &(*tail)->next;
		if (p.tok.kind == TK_EOF)
			break;
		/* a '}' with no '{' open */
		error_tok(&p, &p.tok, "unexpected '}': no '{' is open",
		    "remove it, or look for a '{' that is missing above",
		    SYNTAX);
		advance(&p);
		p.panic = 0;
	}
	lex_free(&p.lex);
	return d->nerrors > 0 ? NULL : prog;
}
