/*
 * parser.h: what the parser's three files share, and nothing else uses:
 * the parser state and the helpers of parse_diag.c.  parse.h is the
 * public door.
 */
#ifndef PARSER_H
#define PARSER_H

#include "lex.h"
#include "parse.h"

#define PARSE_SYNTAX	"Syntax error."	/* maildrop's usual text */

struct parser {
	struct arena	*arena;
	struct lexer	 lex;
	struct token	 tok;		/* the current token */
	enum tok_kind	 prev;		/* the one before it */
	const struct fn_syntax *prev_fn; /* and its function, if TK_FUNC */
	struct diags	*d;
	unsigned	 depth;
	struct pos	 stmt_at;	/* start of the statement being read */
	const char	*stmt_kw;	/* its keyword, or NULL */
	int		 panic;		/* recovering from an error */
	int		 stop;		/* given up: read EOF from now on */
};

/* parse_diag.c */
void		 parse_advance(struct parser *);
const char	*parse_fmt(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*parse_describe(struct parser *, const struct token *);
/* An error on token t; compat is maildrop's text in the same place. */
void		 parse_error(struct parser *, const struct token *t,
		    const char *msg, const char *hint, const char *compat);
void		 parse_warn(struct parser *, struct pos, const char *msg,
		    const char *hint);
int		 parse_enter(struct parser *);	/* 0: too deep, stop */
void		 parse_leave(struct parser *);
const char	*parse_hint(struct parser *, const struct token *);
int		 parse_close_paren(struct parser *, const struct token *open,
		    const char *compat);

/* parse_expr.c */
struct expr	*parse_expr(struct parser *);

static inline int
is_cmpop(enum tok_kind k)
{
	return (k >= TK_LT && k <= TK_NE) || (k >= TK_SLT && k <= TK_SNE);
}

#endif
