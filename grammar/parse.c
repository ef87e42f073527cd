/*
 * parse.c: tokens -> AST by recursive descent, statements and the file,
 * one function per rule of LANGUAGE.md §3.1 with the rule in a comment
 * above it, as in Lua's lparser.c; expressions are in parse_expr.c.  The
 * grammar, its layout rules and its error texts are maildrop's
 * (recipeparse.C): a filter maildrop accepts parses to the same meaning
 * here, and one it rejects is rejected with the same "Syntax error after
 * )" line.  Unlike maildrop the parser does not stop at the first error:
 * it reports it on the offending token, skips to the next separator or
 * '}' (clox's synchronize) and goes on, so one --check shows every error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

static struct stmt	*statement(struct parser *);
static struct stmt	*stmt_list(struct parser *);

/* Skip to where a statement can start again: a separator or '}'. */
static void
synchronize(struct parser *p)
{
	p->panic = 0;
	while (p->tok.kind != TK_SEP && p->tok.kind != TK_RBRACE &&
	    p->tok.kind != TK_EOF)
		parse_advance(p);
}

/*
 * A statement's end: a separator, consumed.  kw names the statement
 * (NULL: a plain one); the message is built only when there is an error.
 */
static int
end_statement(struct parser *p, const char *kw)
{
	const char *what;

	if (p->panic)
		return 0;	/* leave the SEP to synchronize() */
	if (p->tok.kind == TK_SEP) {
		parse_advance(p);
		return 1;
	}
	what = kw != NULL ? parse_fmt(p, "'%s' statement", kw) : "statement";
	parse_error(p, &p->tok, parse_fmt(p, "expected the end of the %s, "
	    "found %s", what, parse_describe(p, &p->tok)), parse_hint(p,
	    &p->tok), PARSE_SYNTAX);
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
		parse_advance(p);
		return;
	}
	parse_error(p, &p->tok, parse_fmt(p, "expected a new line after '%s', "
	    "found %s", what, parse_describe(p, &p->tok)),
	    p->tok.kind == TK_LBRACE ? "maildrop needs the '{' on the next "
	    "line" : p->tok.kind == TK_IF ? "write 'elsif (...)' for "
	    "'else if (...)'" : parse_fmt(p, "put the statement on the line "
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
		parse_warn(p, p->tok.pos, parse_fmt(p, "empty body: the CR "
		    "before this new line ends the '%s'", what), "the file "
		    "has CRLF (DOS) line ends and maildrop reads CR and LF as "
		    "two line ends, so the next statement runs whatever the "
		    "condition; convert the file to LF line ends (dos2unix)");
	else
		parse_warn(p, p->tok.pos, parse_fmt(p, "empty body: this "
		    "blank or comment line ends the '%s'", what), "the "
		    "statement after it runs whatever the condition; remove "
		    "the blank or comment line (DIFFERENCES.md B3)");
	parse_advance(p);
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
	const char *head = p->tok.kind == TK_IF ? "if (...)" : "elsif (...)";
	struct token open;

	parse_advance(p);
	if (p->tok.kind != TK_LPAREN) {
		parse_error(p, &p->tok, parse_fmt(p, "expected '(' after "
		    "'%s', found %s", kw, parse_describe(p, &p->tok)),
		    parse_fmt(p, "write %s (condition)", kw),
		    "Syntax error after if");
		return NULL;
	}
	open = p->tok;
	parse_advance(p);
	s->expr = parse_expr(p);
	if (!parse_close_paren(p, &open, "Missing )"))
		return NULL;
	head_sep(p, head, "Syntax error after )");
	if (p->panic)
		return NULL;
	s->body = substmt(p, head);
	if (p->panic)
		return s;
	if (p->tok.kind == TK_ELSE) {
		parse_advance(p);
		head_sep(p, "else", "Syntax error after else");
		if (p->panic)
			return s;
		s->otherwise = substmt(p, "else");
	} else if (p->tok.kind == TK_ELSIF) {
		if (parse_enter(p)) {
			s->otherwise = if_stmt(p);
			parse_leave(p);
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

	parse_advance(p);
	if (p->tok.kind != TK_LPAREN) {
		parse_error(p, &p->tok, parse_fmt(p, "expected '(' after "
		    "'while', found %s", parse_describe(p, &p->tok)), "write "
		    "while (condition)", "Syntax error after while");
		return NULL;
	}
	open = p->tok;
	parse_advance(p);
	s->expr = parse_expr(p);
	if (!parse_close_paren(p, &open, "Missing )"))
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

	parse_advance(p);
	at = p->tok;
	s->expr = parse_expr(p);
	if (s->expr == NULL)
		return NULL;
	if (s->expr->kind != E_PATTERN && s->expr->kind != E_MATCH) {
		at.endline = p->tok.endline;
		at.kind = TK_WORD;
		parse_error(p, &at, "expected a /pattern/ or 'x =~ /pattern/' "
		    "after 'foreach'", "foreach loops over the matches of a "
		    "pattern: foreach /re/ or foreach (x) =~ /re/",
		    PARSE_SYNTAX);
		return NULL;
	}
	if (p->panic)
		return NULL;
	if (p->tok.kind != TK_SEP) {
		parse_error(p, &p->tok, parse_fmt(p, "expected a new line "
		    "after 'foreach /.../', found %s", parse_describe(p,
		    &p->tok)), p->tok.kind == TK_LBRACE ? "maildrop needs the "
		    "'{' on the next line" : NULL, PARSE_SYNTAX);
		if (p->tok.kind != TK_LBRACE)
			return NULL;
		p->panic = 0;
	} else
		parse_advance(p);
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

	parse_advance(p);
	s->body = stmt_list(p);
	if (p->tok.kind != TK_RBRACE) {
		parse_error(p, &p->tok, parse_fmt(p, "expected '}' to close "
		    "the '{' at %u:%u, found %s", open.pos.line, open.pos.col,
		    parse_describe(p, &p->tok)), NULL, "Missing }");
		return s;
	}
	parse_advance(p);
	if (p->panic)
		return s;
	if (p->tok.kind == TK_SEP) {
		parse_advance(p);
		return s;
	}
	parse_error(p, &p->tok, parse_fmt(p, "expected a new line after '}', "
	    "found %s", parse_describe(p, &p->tok)), p->tok.kind == TK_ELSE ||
	    p->tok.kind == TK_ELSIF ? parse_fmt(p, "put '%s' on its own line "
	    "after the '}'", lex_keyword_name(p->tok.kind)) : "end the line "
	    "after '}', or put a ';' after it", "Syntax error after }");
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

	parse_advance(p);
	if (kind != S_EXCEPTION) {
		s->expr = parse_expr(p);
		if (s->expr == NULL)
			return NULL;
	}
	if (p->tok.kind != TK_LBRACE) {
		parse_error(p, &p->tok, parse_fmt(p, "expected '{' after "
		    "'%s%s', found %s", kw, kind == S_EXCEPTION ? "" : " ...",
		    parse_describe(p, &p->tok)), p->tok.kind == TK_SEP ?
		    parse_fmt(p, "maildrop needs the '{' on the same line as "
		    "'%s'", kw) : parse_hint(p, &p->tok), PARSE_SYNTAX);
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
	static const char tilde_msg[] = "'~' is not the home directory in "
	    "a filter", tilde_hint[] = "write \"$HOME/...\" instead of ~/...";
	struct stmt *s = new_stmt(p, kind, p->tok.pos);
	const char *kw = lex_keyword_name(p->tok.kind);
	const char *src = p->lex.src;
	struct pos at;
	size_t n = p->d->n;
	int tilde;

	parse_advance(p);
	/* §3.3: '~' is bitwise not, never the home directory */
	at = p->tok.pos;
	tilde = p->tok.kind == TK_BITNOT && at.off + 1 < p->lex.len &&
	    src[at.off + 1] == '/';
	if (tilde && kind == S_INCLUDE) {
		parse_error(p, &p->tok, tilde_msg, tilde_hint, PARSE_SYNTAX);
		return NULL;
	}
	s->expr = parse_expr(p);
	if (s->expr == NULL ||
	    !end_statement(p, kw))
		s = NULL;
	if (tilde && p->d->n > n && p->d->v[n].level == DIAG_ERROR) {
		/* "~/Mail" read as ~ /Mail...: say what went wrong */
		p->d->v[n].pos = at;
		p->d->v[n].msg = tilde_msg;
		p->d->v[n].hint = tilde_hint;
	} else if (tilde)
		parse_warn(p, at, "'~/' here is a bitwise not of a pattern "
		    "match, not the home directory", tilde_hint);
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
	struct pos at = p->tok.pos, outer = p->stmt_at;
	const char *outer_kw = p->stmt_kw;

	if (!parse_enter(p))
		return NULL;
	/* a block is only its braces; its statements speak for themselves */
	if (p->tok.kind != TK_LBRACE) {
		p->stmt_at = at;
		p->stmt_kw = lex_name(&p->tok);
	}
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
		parse_advance(p);
		if (p->tok.kind == TK_SEP)
			parse_advance(p);
		else {
			parse_error(p, &p->tok, parse_fmt(p, "expected the "
			    "end of the line after 'exit', found %s",
			    parse_describe(p, &p->tok)), "'exit' takes no "
			    "argument; set EXITCODE=N on the line before",
			    PARSE_SYNTAX);
			s = NULL;
		}
		break;
	case TK_ELSE:
	case TK_ELSIF:
		parse_error(p, &p->tok, parse_fmt(p, "'%s' without an 'if' "
		    "before it", lex_keyword_name(p->tok.kind)), "a blank or "
		    "comment line between the if's body and 'else' ends the "
		    "if; remove it", PARSE_SYNTAX);
		break;
	default:
		s = new_stmt(p, S_EXPR, at);
		s->expr = parse_expr(p);
		if (s->expr == NULL || !end_statement(p, NULL))
			s = NULL;
		break;
	}
	p->stmt_at = outer;
	p->stmt_kw = outer_kw;
	parse_leave(p);
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
			parse_advance(p);
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
    size_t len, unsigned flags, const struct fn_table *fns, struct diags *d)
{
	struct parser p;
	struct program *prog = arena_alloc(a, sizeof(*prog));
	struct stmt **tail = &prog->body;

	memset(&p, 0, sizeof(p));
	p.arena = a;
	p.d = d;
	d->text = text;
	d->len = len;
	lex_init(&p.lex, a, file, text, len, (flags & PARSE_EMBEDDED) != 0,
	    fns);
	prog->file = file;
	prog->text = text;
	prog->len = len;
	parse_advance(&p);
	for (;;) {
		*tail = stmt_list(&p);
		while (*tail != NULL)
			tail = &(*tail)->next;
		if (p.tok.kind == TK_EOF)
			break;
		/* a '}' with no '{' open */
		parse_error(&p, &p.tok, "unexpected '}': no '{' is open",
		    "remove it, or look for a '{' that is missing above",
		    PARSE_SYNTAX);
		parse_advance(&p);
		p.panic = 0;
	}
	lex_free(&p.lex);
	return d->nerrors > 0 ? NULL : prog;
}
