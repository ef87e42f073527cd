/*
 * parse_expr.c: expressions, one function per rule of LANGUAGE.md §3.1
 * from assign down to element, lowest precedence first, as maildrop's
 * recipeparse.C nests them: comparisons do not chain, the right side of
 * '*' and '/' is an element, '=~' binds tighter than both, and only
 * strings concatenate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

static struct expr	*element(struct parser *);

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
 * Is s[at] protected by a backslash?  A backslash protects the byte
 * after it, so it is when an odd number of them stand right before it
 * (back to s[from]).
 */
static int
escaped(const char *s, size_t from, size_t at)
{
	size_t k = at;

	while (k > from && s[k - 1] == '\\')
		k--;
	return (at - k) % 2 == 1;
}

/* The first c in s[from, len) not protected by a backslash, or len. */
static size_t
unescaped(const char *s, size_t from, size_t len, char c)
{
	const char *q;
	size_t i = from;

	while ((q = memchr(s + i, c, len - i)) != NULL) {
		i = (size_t)(q - s);
		if (!escaped(s, from, i))
			return i;
		i++;
	}
	return len;
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

	for (i = 0; (i = unescaped(re, i, len, '$')) + 1 < len; i++) {
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

	pat->pos = t->pos;
	i = unescaped(t->text, 1, t->len, '/');
	pat->re = arena_strndup(p->arena, t->text + 1, i - 1);
	pat->relen = i - 1;
	i++;			/* the closing '/' */
	if (i < t->len && t->text[i] == ':')
		i++;
	pat->opts = arena_strndup(p->arena, t->text + i, t->len - i);
	pattern_opts(pat);
	pat->has_dollar = pattern_has_dollar(pat->re, pat->relen);
	e->pat = pat;
	parse_advance(p);
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

/*
 * string = DQSTRING | SQSTRING | BTSTRING | WORD ;
 * and in element: string { string }, adjacent strings concatenate.
 */
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
		parse_advance(p);
	}
	e->parts = arena_alloc(p->arena, n * sizeof(*e->parts));
	memcpy(e->parts, v, n * sizeof(*e->parts));
	e->nparts = n;
	return e;
}

/*
 * A function with parentheses (FN_CALL): its row says how many arguments
 * it takes, and which of maildrop's texts an error gets ("Missing (" for
 * substr and lookup, "Missing (." for the gdbm functions: FN_DOTTED).
 *   call = NAME "(" expr { "," expr } ")" ;  min to max exprs
 */
static struct expr *
call_args(struct parser *p, const struct fn_syntax *fn)
{
	const char *name = fn->name;
	size_t min = fn->min_args, max = fn->max_args, n = 0;
	int dotted = (fn->flags & FN_DOTTED) != 0;
	struct pos at = p->tok.pos;
	struct expr **args, *e;
	struct token open;

	parse_advance(p);
	if (p->tok.kind != TK_LPAREN) {
		parse_error(p, &p->tok, parse_fmt(p, "expected '(' after "
		    "'%s', found %s", name, parse_describe(p, &p->tok)),
		    parse_fmt(p, "write %s(...) with its arguments in "
		    "parentheses", name), dotted ? "Missing (." : "Missing (");
		return NULL;
	}
	open = p->tok;
	parse_advance(p);
	args = arena_alloc(p->arena, max * sizeof(*args));
	args[n++] = parse_expr(p);
	while (n < max && (n < min || p->tok.kind == TK_COMMA)) {
		if (p->tok.kind != TK_COMMA) {
			parse_error(p, &p->tok, parse_fmt(p, "expected ',' "
			    "and argument %zu of '%s', found %s", n + 1, name,
			    parse_describe(p, &p->tok)), min == max ?
			    parse_fmt(p, "'%s' takes %zu arguments", name, min)
			    : parse_fmt(p, "'%s' takes %zu to %zu arguments",
			    name, min, max), dotted ? "Missing ,." :
			    "Missing ,");
			return NULL;
		}
		parse_advance(p);
		args[n++] = parse_expr(p);
	}
	if (!parse_close_paren(p, &open, "Missing )"))
		return NULL;
	e = call(p, name, at, NULL, 0);
	e->args = args;
	e->nargs = n;
	return e;
}

/* A unary function or operator: keyword element. */
static struct expr *
unary(struct parser *p, const char *name, enum expr_kind kind)
{
	struct pos at = p->tok.pos;
	struct expr *arg, *e;

	parse_advance(p);
	arg = element(p);
	if (kind == E_CALL)
		return call(p, name, at, &arg, 1);
	e = new_expr(p, kind, at);
	e->lhs = arg;
	return e;
}

/* A built-in function, written as its row in the table says. */
static struct expr *
function(struct parser *p)
{
	const struct fn_syntax *fn = p->tok.fn;
	struct expr *e;

	switch (fn->form) {
	case FN_UNARY:
		return unary(p, fn->name, E_CALL);
	case FN_CALL:
		return call_args(p, fn);
	case FN_BARE:
		break;
	}
	e = call(p, fn->name, p->tok.pos, NULL, 0);
	parse_advance(p);
	return e;
}

/*
 * element = FUNC element | FUNC "(" ... ")" | FUNC  (as its row says:
 *           "length" element, "substr" "(" ... ")", "time")
 *         | "!" element | "~" element
 *         | PATTERN | "(" expr ")" | string { string } ;
 */
static struct expr *
element(struct parser *p)
{
	struct expr *e = NULL;
	struct token open;

	if (!parse_enter(p))
		return NULL;
	switch (p->tok.kind) {
	case TK_FUNC:	e = function(p); break;
	case TK_NOT:	e = unary(p, "!", E_NOT); break;
	case TK_BITNOT:	e = unary(p, "~", E_BITNOT); break;
	case TK_PATTERN:
		e = pattern(p);
		break;
	case TK_LPAREN:
		open = p->tok;
		parse_advance(p);
		e = parse_expr(p);
		if (!parse_close_paren(p, &open, "Missing )"))
			e = NULL;
		break;
	case TK_WORD: case TK_DQ: case TK_SQ: case TK_BT:
		e = string(p);
		break;
	default:
		parse_error(p, &p->tok, parse_fmt(p, "expected a value (a "
		    "string, $VARIABLE, /pattern/, function or '('), found %s",
		    parse_describe(p, &p->tok)), p->tok.kind == TK_PLUS ||
		    p->tok.kind == TK_MINUS ? "there is no unary '+' or '-'; "
		    "write 0 - x, or quote a signed number (\"-3\")" :
		    p->tok.kind == TK_SEP || p->tok.kind == TK_EOF ? "the "
		    "expression stops at the end of the line; end the line "
		    "with a backslash to continue it" : NULL, PARSE_SYNTAX);
		break;
	}
	parse_leave(p);
	return e;
}

/* match = element { "=~" PATTERN } ; */
static struct expr *
match(struct parser *p)
{
	struct expr *e = element(p);
	unsigned saved = p->depth;
	struct pos at;

	while (p->tok.kind == TK_MATCH) {
		if (!parse_enter(p))
			break;	/* a long chain is a deep tree */
		at = p->tok.pos;
		parse_advance(p);
		if (p->tok.kind != TK_PATTERN) {
			parse_error(p, &p->tok, parse_fmt(p, "expected a "
			    "/pattern/ after '=~', found %s", parse_describe(p,
			    &p->tok)), "'=~' is read as one operator; to "
			    "assign a bitwise not, write NAME= ~x with a space",
			    "Syntax error after =~");
			p->depth = saved;
			return NULL;
		}
		e = binary(p, E_MATCH, at, e, NULL);
		e->pat = pattern(p)->pat;
	}
	p->depth = saved;
	return e;
}

/* muldiv = match { ("*" | "/") element } ;  (the right side is an element) */
static struct expr *
muldiv(struct parser *p)
{
	struct expr *e = match(p);
	unsigned saved = p->depth;
	enum expr_kind kind;
	struct pos at;

	while (p->tok.kind == TK_MUL || p->tok.kind == TK_DIV) {
		if (!parse_enter(p))
			break;	/* a long chain is a deep tree */
		kind = p->tok.kind == TK_MUL ? E_MUL : E_DIV;
		at = p->tok.pos;
		parse_advance(p);
		e = binary(p, kind, at, e, element(p));
	}
	p->depth = saved;
	return e;
}

/* addsub = muldiv { ("+" | "-") muldiv } ; */
static struct expr *
addsub(struct parser *p)
{
	struct expr *e = muldiv(p);
	unsigned saved = p->depth;
	enum expr_kind kind;
	struct pos at;

	while (p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS) {
		if (!parse_enter(p))
			break;	/* a long chain is a deep tree */
		kind = p->tok.kind == TK_PLUS ? E_ADD : E_SUB;
		at = p->tok.pos;
		parse_advance(p);
		e = binary(p, kind, at, e, muldiv(p));
	}
	p->depth = saved;
	return e;
}

/*
 * One level of left-associative operators: operand { op operand }.  A
 * long chain builds a deep tree, so each link counts toward the depth.
 */
static struct expr *
left_assoc(struct parser *p, struct expr *(*operand)(struct parser *),
    enum tok_kind op, enum expr_kind kind)
{
	struct expr *e = operand(p);
	unsigned saved = p->depth;
	struct pos at;

	while (p->tok.kind == op) {
		if (!parse_enter(p))
			break;
		at = p->tok.pos;
		parse_advance(p);
		e = binary(p, kind, at, e, operand(p));
	}
	p->depth = saved;
	return e;
}

/* band = addsub { "&" addsub } ; */
static struct expr *
band(struct parser *p)
{
	return left_assoc(p, addsub, TK_BITAND, E_BITAND);
}

/* bor = band { "|" band } ; */
static struct expr *
bor(struct parser *p)
{
	return left_assoc(p, band, TK_BITOR, E_BITOR);
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
	parse_advance(p);
	return binary(p, kind, at, e, bor(p));
}

/* land = cmp { "&&" cmp } ; */
static struct expr *
land(struct parser *p)
{
	return left_assoc(p, cmp, TK_AND, E_AND);
}

/* lor = land { "||" land } ; */
static struct expr *
lor(struct parser *p)
{
	return left_assoc(p, land, TK_OR, E_OR);
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
		parse_advance(p);
		if (lhs == NULL)
			return NULL;
		if (lhs->kind != E_STRING || lhs->nparts != 1 ||
		    (lhs->parts[0].kind != P_WORD &&
		    lhs->parts[0].kind != P_DQ)) {
			/* maildrop reads the token after '=' first */
			eq.endline = p->tok.endline;
			parse_error(p, &eq, "expected a variable name before "
			    "'='", lhs->kind == E_ASSIGN ? "chained assignment "
			    "is not allowed; write one assignment per statement"
			    : lhs->kind == E_STRING && lhs->nparts == 1 ? "a "
			    "variable name is a bare word or a \"...\" string, "
			    "not '...' or `...`" : "a variable name is one "
			    "bare word or one \"...\" string",
			    "Syntax error before =");
			return NULL;
		}
		name = &lhs->parts[0];
		if (name->kind == P_DQ && has_blank(name->text, name->len))
			parse_warn(p, name->pos, "this variable name holds "
			    "white space, so ${...} cannot read it back",
			    "use a name without spaces (DIFFERENCES.md B20)");
		e = new_expr(p, E_ASSIGN, name->pos);
		e->name = name->text;
		e->namelen = name->len;
		e->rhs = lor(p);
		if (looks_like_pattern(e->rhs))
			parse_warn(p, e->rhs->pos, parse_fmt(p, "this assigns "
			    "the text '%s', not the result of a pattern match",
			    e->rhs->parts[0].text), parse_fmt(p, "after '=' a "
			    "'/' starts a word; write %.*s=(%s) for the match "
			    "result, or quote the text", (int)e->namelen,
			    e->name, e->rhs->parts[0].text));
		lhs = e;
	}
	return lhs;
}

/* expr = assign ; */
struct expr *
parse_expr(struct parser *p)
{
	return assign(p);
}
