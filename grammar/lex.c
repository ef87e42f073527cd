/*
 * lex.c: maildrop's lexer, rule for rule (LANGUAGE.md §1), because filters
 * written for maildrop depend on its accidents: a newline is a statement
 * terminator, a word may hold '/' and '-', '/' after '=' starts a word,
 * '=~' is read greedily.  Positions are counted here once (line, byte
 * column, offset) and every node of the tree inherits them.  The lexer
 * never stops: a bad byte is a TK_ERROR token and the parser decides what
 * to say, so one --check reports every error.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

struct keyword {
	const char	*name;
	enum tok_kind	 kind;
};

/*
 * Sorted by name for bsearch(3); LANGUAGE.md §1.4.  The names of the
 * built-in functions are keywords too, and come from their own table
 * (struct fn_table, fn.h).
 */
static const struct keyword keywords[] = {
	{ "cc",		TK_CC },
	{ "dotlock",	TK_DOTLOCK },
	{ "echo",	TK_ECHO },
	{ "else",	TK_ELSE },
	{ "elsif",	TK_ELSIF },
	{ "eq",		TK_SEQ },
	{ "exception",	TK_EXCEPTION },
	{ "exit",	TK_EXIT },
	{ "flock",	TK_FLOCK },
	{ "foreach",	TK_FOREACH },
	{ "ge",		TK_SGE },
	{ "gt",		TK_SGT },
	{ "if",		TK_IF },
	{ "import",	TK_IMPORT },
	{ "include",	TK_INCLUDE },
	{ "le",		TK_SLE },
	{ "log",	TK_LOG },
	{ "logfile",	TK_LOGFILE },
	{ "lt",		TK_SLT },
	{ "ne",		TK_SNE },
	{ "system",	TK_SYSTEM },
	{ "to",		TK_TO },
	{ "unset",	TK_UNSET },
	{ "while",	TK_WHILE },
	{ "xfilter",	TK_XFILTER },
};

static const char missing_quote[] = "maildrop: Missing ', \", or `.";

static unsigned char	 classes[256];
static void		 make_classes(void);

void
lex_init(struct lexer *l, struct arena *a, const char *file, const char *src,
    size_t len, int embedded, const struct fn_table *fns)
{
	memset(l, 0, sizeof(*l));
	if (classes[0] == 0)		/* NUL is in no word once made */
		make_classes();
	l->arena = a;
	l->file = file;
	l->src = src;
	l->len = len;
	l->line = 1;
	l->last = TK_SEP;	/* so an empty file is just EOF */
	l->embedded = embedded;
	l->fns = fns;
}

void
lex_free(struct lexer *l)
{
	buf_free(&l->scratch);
}

static int
cur(const struct lexer *l)
{
	return l->off < l->len ? (unsigned char)l->src[l->off] : -1;
}

static int
peek(const struct lexer *l, size_t n)
{
	return l->off + n < l->len ? (unsigned char)l->src[l->off + n] : -1;
}

static void
adv(struct lexer *l)
{
	if (l->off >= l->len)
		return;
	if (l->src[l->off++] == '\n') {
		l->line++;
		l->linestart = l->off;
	}
}

static struct pos
here(const struct lexer *l)
{
	struct pos p;

	p.file = l->file;
	p.line = l->line;
	p.col = (unsigned)(l->off - l->linestart + 1);
	p.off = l->off;
	return p;
}

/* isspace(3) in the C locale, which is what maildrop runs under. */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * Byte classes for the loops that run over every byte of a filter: a
 * table lookup per byte.  make_classes() fills it from §1.4's word
 * characters before the first token.
 */
#define CL_NOTWORD	1	/* not in a word */
#define CL_PATSTOP	2	/* ends a plain run in a pattern: / \ CR LF */
#define CL_STRSTOP	4	/* ends a plain run in a string: \ CR LF */

static void
make_classes(void)
{
	/* §1.4: letters, digits and these; '{' and '}' not first */
	static const char punct[] = "_-@.:/${}";
	const char *p;
	int c;

	memset(classes, CL_NOTWORD, sizeof(classes));
	for (c = 0; c < 26; c++)
		classes['a' + c] = classes['A' + c] = 0;
	for (c = 0; c < 10; c++)
		classes['0' + c] = 0;
	for (p = punct; *p != '\0'; p++)
		classes[(unsigned char)*p] = 0;
	classes['/'] |= CL_PATSTOP;
	classes['\\'] |= CL_PATSTOP | CL_STRSTOP;
	classes['\r'] |= CL_PATSTOP | CL_STRSTOP;
	classes['\n'] |= CL_PATSTOP | CL_STRSTOP;
}

/* §1.4: the characters a word may continue with ... */
static int
word_char(int c)
{
	return c >= 0 && (classes[c] & CL_NOTWORD) == 0;
}

/* ... and start with: not '{' and '}', which are there for ${NAME}. */
static int
word_start(int c)
{
	return word_char(c) && c != '{' && c != '}';
}

/* Past the run of bytes from off that are not of class cl. */
static size_t
run_until(const struct lexer *l, size_t off, unsigned cl)
{
	while (off < l->len && (classes[(unsigned char)l->src[off]] & cl) == 0)
		off++;
	return off;
}

/* The token's text against a keyword, in one pass: no strlen. */
static int
kwcmp(const void *key, const void *elem)
{
	const struct token *t = key;
	const char *name = ((const struct keyword *)elem)->name;
	size_t i;

	for (i = 0; i < t->len && name[i] != '\0'; i++)
		if (t->text[i] != name[i])
			return (unsigned char)t->text[i] -
			    (unsigned char)name[i];
	return i < t->len ? 1 : name[i] != '\0' ? -1 : 0;
}

static void
error_tok(struct token *t, const char *msg, const char *hint,
    const char *pre)
{
	t->kind = TK_ERROR;
	t->msg = msg;
	t->hint = hint;
	t->pre = pre;
}

/*
 * A quoted string (§1.3).  Inside any quote kind: "\\" is one backslash,
 * backslash-quote is the quote, backslash-other keeps both bytes, and a
 * backslash followed by blanks and then a newline or '#' joins the lines,
 * eating the leading white space (blank lines too) of what follows.  A raw
 * newline or the end of the file before the closing quote is maildrop's
 * "Missing ', \", or `." error.
 */
static void
quoted(struct lexer *l, struct token *t)
{
	struct buf *b = &l->scratch;
	int quote = cur(l), q;
	size_t keep;

	t->kind = quote == '"' ? TK_DQ : quote == '\'' ? TK_SQ : TK_BT;
	buf_reset(b);
	adv(l);
	while ((q = cur(l)) != quote) {
		if (q < 0 || q == '\n' || q == '\r')
			goto missing;
		if (q != '\\') {
			/* copy a run of plain bytes at once */
			size_t start = l->off, end;
			const char *qp;

			end = run_until(l, start, CL_STRSTOP);
			qp = memchr(l->src + start, quote, end - start);
			l->off = qp != NULL ? (size_t)(qp - l->src) : end;
			buf_add(b, l->src + start, l->off - start);
			continue;
		}
		adv(l);
		q = cur(l);
		if (q < 0)
			goto missing;
		if (!is_space(q)) {
			if (q != quote && q != '\\')
				buf_addc(b, '\\');
			buf_addc(b, q);
			adv(l);
			continue;
		}
		/* backslash, blanks: a continuation only before a newline */
		keep = b->len;
		buf_addc(b, '\\');
		while ((q = cur(l)) >= 0 && is_space(q) && q != '\r' &&
		    q != '\n') {
			buf_addc(b, q);
			adv(l);
		}
		if (q < 0)
			goto missing;
		if (q != '#' && q != '\r' && q != '\n')
			continue;
		buf_truncate(b, keep);
		while (q != '\n') {
			if (q < 0)
				goto missing;
			adv(l);
			q = cur(l);
		}
		adv(l);
		while ((q = cur(l)) >= 0 && is_space(q))
			adv(l);
		if (q < 0)
			goto missing;
	}
	adv(l);
	t->text = arena_strndup(l->arena, buf_cstr(b), b->len);
	t->len = b->len;
	return;
missing:
	error_tok(t, quote == '"' ? "unterminated string: missing '\"'" :
	    quote == '\'' ? "unterminated string: missing \"'\"" :
	    "unterminated command: missing '`'",
	    "a string cannot hold a raw new line; close it on this line, or "
	    "end the line with a backslash to continue it on the next",
	    missing_quote);
}

/*
 * A pattern /re/:opts (§1.7 case 3): up to the next '/' not protected by
 * a backslash, on the same line.  The token text is the raw "/re/:opts";
 * the parser takes it apart.
 */
static void
pattern(struct lexer *l, struct token *t)
{
	size_t start = l->off;
	int c;

	/* it never holds a newline: the offset moves, the line does not */
	l->off++;
	for (;;) {
		l->off = run_until(l, l->off, CL_PATSTOP);
		if ((c = cur(l)) == '/')
			break;
		if (c < 0 || c == '\r' || c == '\n')
			goto unterminated;
		/* a backslash and the byte it protects */
		l->off++;
		c = cur(l);
		if (c < 0 || c == '\r' || c == '\n')
			goto unterminated;
		l->off++;
	}
	l->off++;
	if (cur(l) == ':') {
		adv(l);
		while ((c = cur(l)) >= 0 && (is_alnum(c) || c == '-' ||
		    c == '+' || c == '.' || c == ','))
			adv(l);
	}
	t->kind = TK_PATTERN;
	t->text = l->src + start;
	t->len = l->off - start;
	return;
unterminated:
	error_tok(t, "unterminated pattern: missing the closing '/'",
	    "a pattern ends at the next '/' on the same line; write a "
	    "literal '/' inside it as '\\/'", NULL);
}

/*
 * The '/' question, LANGUAGE.md §1.7:
 * 1. after '=', 'to' or 'cc' it starts a word (MAILDIR=/var/mail/x);
 * 2. else before white space, a newline or the end it is division;
 * 3. else it starts a pattern.
 * Returns 1 when it handled the token (cases 2 and 3).
 */
static int
slash(struct lexer *l, struct token *t)
{
	int c;

	if (l->last == TK_ASSIGN || l->last == TK_TO || l->last == TK_CC)
		return 0;
	c = peek(l, 1);
	if (c < 0 || is_space(c)) {
		adv(l);
		t->kind = TK_DIV;
		return 1;
	}
	pattern(l, t);
	return 1;
}

static void
word(struct lexer *l, struct token *t)
{
	size_t start = l->off;
	const struct keyword *k;
	int c;

	/* no newline in a word: the offset moves, the line does not */
	l->off = run_until(l, l->off + 1, CL_NOTWORD);
	t->text = l->src + start;
	t->len = l->off - start;
	/* blanks after a word belong to it (maildrop skips them here) */
	while ((c = cur(l)) >= 0 && is_space(c) && c != '\r' && c != '\n')
		adv(l);
	k = bsearch(t, keywords, nitems(keywords), sizeof(keywords[0]),
	    kwcmp);
	if (k != NULL)
		t->kind = k->kind;
	else if (l->fns != NULL &&
	    (t->fn = l->fns->find(t->text, t->len)) != NULL)
		t->kind = TK_FUNC;
	else if (t->len == 1 && t->text[0] == '-')
		t->kind = TK_MINUS;
	else {
		t->kind = TK_WORD;
		t->text = arena_strndup(l->arena, t->text, t->len);
	}
}

/* Operators and punctuation; 1 when c was one of them. */
static int
punct(struct lexer *l, struct token *t, int c)
{
	int n = peek(l, 1);

	switch (c) {
	case '&':
		t->kind = n == '&' ? TK_AND : TK_BITAND;
		break;
	case '|':
		t->kind = n == '|' ? TK_OR : TK_BITOR;
		break;
	case '<':
		t->kind = n == '=' ? TK_LE : TK_LT;
		break;
	case '>':
		t->kind = n == '=' ? TK_GE : TK_GT;
		break;
	case '!':
		t->kind = n == '=' ? TK_NE : TK_NOT;
		break;
	case '=':
		t->kind = n == '~' ? TK_MATCH : n == '=' ? TK_EQ : TK_ASSIGN;
		break;
	case '{': t->kind = TK_LBRACE; break;
	case '}': t->kind = TK_RBRACE; break;
	case '(': t->kind = TK_LPAREN; break;
	case ')': t->kind = TK_RPAREN; break;
	case ';': t->kind = TK_SEP; break;
	case '+': t->kind = TK_PLUS; break;
	case '*': t->kind = TK_MUL; break;
	case '~': t->kind = TK_BITNOT; break;
	case ',': t->kind = TK_COMMA; break;
	default:
		return 0;
	}
	adv(l);
	switch (t->kind) {
	case TK_AND: case TK_OR: case TK_LE: case TK_GE: case TK_NE:
	case TK_MATCH: case TK_EQ:
		adv(l);
		break;
	default:
		break;
	}
	t->text = l->src + t->pos.off;
	t->len = l->off - t->pos.off;
	return 1;
}

/*
 * White space, comments and continuations before a token.  Returns 1 and
 * fills t when a newline or comment made a separator.
 */
static int
skip(struct lexer *l, struct token *t)
{
	const char *nl;
	int c;

	for (;;) {
		while ((c = cur(l)) >= 0 && is_space(c)) {
			if (c == '\n' || c == '\r') {
				t->pos = here(l);
				adv(l);
				t->kind = TK_SEP;
				return 1;
			}
			adv(l);
		}
		if (c == '\\') {
			/* §1.2: backslash-blank skips to the next line */
			c = peek(l, 1);
			if (c < 0 || !is_space(c))
				return 0;
			adv(l);
			while ((c = cur(l)) >= 0 && c != '\n')
				adv(l);
			adv(l);
			continue;
		}
		if (c != '#')
			return 0;
		t->pos = here(l);
		/* the comment runs to the newline, found by memchr */
		nl = memchr(l->src + l->off, '\n', l->len - l->off);
		l->off = nl != NULL ? (size_t)(nl - l->src) : l->len;
		if (nl != NULL) {
			adv(l);
			t->kind = TK_SEP;
			return 1;
		}
	}
}

static void
next(struct lexer *l, struct token *t)
{
	static char bad[] = "unexpected character";
	int c;

	memset(t, 0, sizeof(*t));
	if (skip(l, t))
		return;
	t->pos = here(l);
	c = cur(l);
	if (c < 0) {
		/* §1.1: an implied ';' ends the last line */
		t->kind = l->last == TK_SEP || l->last == TK_EOF ? TK_EOF :
		    TK_SEP;
		return;
	}
	if (c == '"' || c == '\'' || c == '`') {
		quoted(l, t);
		return;
	}
	if (c == '/' && slash(l, t))
		return;
	if (word_start(c)) {
		word(l, t);
		return;
	}
	if (punct(l, t, c))
		return;
	adv(l);
	if (c == '\\')
		error_tok(t, "unexpected '\\' outside quotes",
		    "a backslash outside quotes must be followed by a space "
		    "and continues the line; quote text that holds one", NULL);
	else if (c >= 0x80)
		error_tok(t, "unexpected non-ASCII byte outside quotes",
		    "put text like this inside quotes", NULL);
	else
		error_tok(t, bad, "quote the text if it is meant as a string",
		    NULL);
}

static const char *
embedded_forbidden(struct lexer *l, const struct token *t)
{
	const char *name;
	char *s;
	size_t n;

	switch (t->kind) {
	case TK_BT:
		/* maildrop names a backtick string by its text */
		n = t->len + 64;
		s = arena_alloc(l->arena, n);
		snprintf(s, n, "maildrop: 'string: `%.*s`' disabled in "
		    "embedded mode.", (int)t->len, t->text);
		return s;
	case TK_TO: case TK_CC: case TK_XFILTER: case TK_SYSTEM:
	case TK_DOTLOCK: case TK_FLOCK: case TK_LOGFILE: case TK_LOG:
		name = lex_keyword_name(t->kind);
		n = strlen(name) + 64;
		s = arena_alloc(l->arena, n);
		snprintf(s, n, "maildrop: '%s' disabled in embedded mode.",
		    name);
		return s;
	default:
		return NULL;
	}
}

void
lex_next(struct lexer *l, struct token *t)
{
	const char *pre;

	next(l, t);
	l->last = t->kind;
	/* maildrop's line counter has moved past a newline SEP already */
	t->endline = l->line;
	if (l->embedded && (pre = embedded_forbidden(l, t)) != NULL) {
		const char *msg = "command substitution (`...`) is disabled "
		    "in embedded mode";
		char *buf;
		size_t n = strlen(pre) + 32;

		if (t->kind != TK_BT) {
			buf = arena_alloc(l->arena, n);
			snprintf(buf, n, "'%s' is disabled in embedded mode",
			    lex_keyword_name(t->kind));
			msg = buf;
		}
		error_tok(t, msg, "embedded filters (-m, -M) cannot deliver, "
		    "run commands or lock files", pre);
	}
}

const char *
lex_keyword_name(enum tok_kind k)
{
	/* keywords[] by kind, made at the first call: one per statement */
	static const char *by_kind[TK_XFILTER + 1];
	static int made;
	size_t i;

	if (!made) {
		for (i = 0; i < nitems(keywords); i++)
			by_kind[keywords[i].kind] = keywords[i].name;
		made = 1;
	}
	return (unsigned)k <= TK_XFILTER ? by_kind[k] : NULL;
}

const char *
lex_name(const struct token *t)
{
	return t->kind == TK_FUNC ? t->fn->name : lex_keyword_name(t->kind);
}

const char *
lex_describe(enum tok_kind k)
{
	switch (k) {
	case TK_EOF:	return "the end of the file";
	case TK_ERROR:	return "a bad token";
	case TK_SEP:	return "the end of the line";
	case TK_WORD:	return "a word";
	case TK_DQ:	return "a \"string\"";
	case TK_SQ:	return "a 'string'";
	case TK_BT:	return "a `command`";
	case TK_PATTERN: return "a /pattern/";
	case TK_ASSIGN:	return "'='";
	case TK_MATCH:	return "'=~'";
	case TK_LBRACE:	return "'{'";
	case TK_RBRACE:	return "'}'";
	case TK_LPAREN:	return "'('";
	case TK_RPAREN:	return "')'";
	case TK_COMMA:	return "','";
	case TK_PLUS:	return "'+'";
	case TK_MINUS:	return "'-'";
	case TK_MUL:	return "'*'";
	case TK_DIV:	return "'/'";
	case TK_LT:	return "'<'";
	case TK_LE:	return "'<='";
	case TK_GT:	return "'>'";
	case TK_GE:	return "'>='";
	case TK_EQ:	return "'=='";
	case TK_NE:	return "'!='";
	case TK_OR:	return "'||'";
	case TK_AND:	return "'&&'";
	case TK_BITOR:	return "'|'";
	case TK_BITAND:	return "'&'";
	case TK_NOT:	return "'!'";
	case TK_BITNOT:	return "'~'";
	case TK_FUNC:	return "a function";
	default:
		break;
	}
	return "a keyword";
}
