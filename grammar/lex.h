/*
 * lex.h: filter bytes -> tokens.  The lexer is maildrop's, rule for rule
 * (LANGUAGE.md §1): a newline is a token, the three quote kinds decode
 * their backslashes here, and whether '/' starts a word, a division or a
 * pattern depends on the token before it (§1.7).  Only parse.c uses it.
 */
#ifndef LEX_H
#define LEX_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "fn.h"

enum tok_kind {
	TK_EOF,
	TK_ERROR,	/* a byte or construct the lexer cannot take */
	TK_SEP,		/* newline, ';', comment line, implied at EOF */
	TK_WORD, TK_DQ, TK_SQ, TK_BT,	/* strings, text decoded */
	TK_PATTERN,	/* /re/:opts, text is the whole raw token */
	TK_ASSIGN,	/* = */
	TK_MATCH,	/* =~ */
	TK_LBRACE, TK_RBRACE, TK_LPAREN, TK_RPAREN, TK_COMMA,
	TK_PLUS, TK_MINUS, TK_MUL, TK_DIV,
	TK_LT, TK_LE, TK_GT, TK_GE, TK_EQ, TK_NE,
	TK_SLT, TK_SLE, TK_SGT, TK_SGE, TK_SEQ, TK_SNE,
	TK_OR, TK_AND, TK_BITOR, TK_BITAND, TK_NOT, TK_BITNOT,
	TK_FUNC,	/* a built-in function's name: token.fn says which */
	/* keywords */
	TK_CC, TK_DOTLOCK, TK_ECHO, TK_ELSE, TK_ELSIF, TK_EXCEPTION,
	TK_EXIT, TK_FLOCK, TK_FOREACH, TK_IF, TK_IMPORT, TK_INCLUDE,
	TK_LOG, TK_LOGFILE, TK_SYSTEM, TK_TO, TK_UNSET, TK_WHILE,
	TK_XFILTER
};

struct token {
	enum tok_kind	 kind;
	struct pos	 pos;		/* first byte of the token */
	const char	*text;		/* strings: decoded, else raw */
	size_t		 len;
	unsigned	 endline;	/* maildrop's line counter after the
					   token, for its FILE(LINE) text */
	/* TK_ERROR, and TK_SEP for a warning-worthy case */
	const char	*msg, *hint;
	const char	*pre;		/* "maildrop: ..." line first */
	const struct fn_syntax *fn;	/* TK_FUNC */
};

struct lexer {
	struct arena	*arena;
	const char	*file;
	const char	*src;
	size_t		 len, off;
	unsigned	 line;
	size_t		 linestart;	/* offset where line starts */
	enum tok_kind	 last;		/* previous token: '/' (§1.7) */
	int		 embedded;	/* LANGUAGE.md §8 */
	const struct fn_table *fns;	/* names that are TK_FUNC */
	struct buf	 scratch;	/* a quoted string being decoded */
};

void		 lex_init(struct lexer *, struct arena *, const char *file,
		    const char *src, size_t len, int embedded,
		    const struct fn_table *);
void		 lex_next(struct lexer *, struct token *);
void		 lex_free(struct lexer *);
/* "'if'", "a new line", "a string": for messages. */
const char	*lex_describe(enum tok_kind);
/* The keyword text of a keyword kind, else NULL. */
const char	*lex_keyword_name(enum tok_kind);
/* A keyword's or a function's name, else NULL. */
const char	*lex_name(const struct token *);

#endif
