/*
 * ast.h: the tree the parser builds and the evaluator walks.  Every node
 * keeps the position of the token it starts at, so run-time errors, the
 * dry-run trace and --check can all name FILE:LINE:COL.  Nodes live in the
 * parse arena until exit.
 */
#ifndef AST_H
#define AST_H

#include <stddef.h>

struct pos {				/* where a token or node came from */
	const char	*file;		/* as opened: "./f", ".mailfilter" */
	unsigned	 line, col;	/* 1-based; col counts bytes */
	size_t		 off;		/* byte offset, for the caret line */
};

/* One string token; adjacent ones concatenate (LANGUAGE.md §1.3). */
enum part_kind {
	P_WORD,		/* unquoted word: $ substitution (§1.4) */
	P_DQ,		/* "...": $ substitution */
	P_SQ,		/* '...': literal */
	P_BT		/* `...`: command substitution (§1.6) */
};

struct part {
	enum part_kind	 kind;
	const char	*text;		/* after the lexer's backslash rules */
	size_t		 len;
	struct pos	 pos;
};

/* Pattern option letters (LANGUAGE.md §5.1). */
#define PAT_H		0x01	/* 'h': headers, MIME part headers too */
#define PAT_TOPH	0x02	/* 'H': top-level header only */
#define PAT_B		0x04	/* 'b': decoded bodies */
#define PAT_D		0x08	/* 'D': case sensitive */
#define PAT_W		0x10	/* 'w': legacy, adds body when no h/H/b */

struct pattern {
	struct pos	 pos;		/* the opening '/' */
	const char	*re;		/* between the slashes, $ not substituted */
	size_t		 relen;
	const char	*opts;		/* after ':', "" when none */
	unsigned	 flags;		/* PAT_* */
	int		 weighted;	/* a number was given */
	double		 weight;	/* xxx */
	double		 factor;	/* yyy, 1 when not given */
	int		 has_dollar;	/* re needs substitution before compiling */
	void		*compiled;	/* owned by interp/match.c: cache */
};

enum expr_kind {
	E_STRING,	/* parts[] concatenated */
	E_PATTERN,	/* /re/:opts against the message */
	E_MATCH,	/* lhs =~ /re/:opts */
	E_ASSIGN,	/* name = rhs */
	E_OR,		/* ||: a value, not 1/0; rhs only if needed */
	E_AND,		/* && */
	E_LT, E_LE, E_GT, E_GE, E_EQ, E_NE,		/* numeric */
	E_SLT, E_SLE, E_SGT, E_SGE, E_SEQ, E_SNE,	/* lt le gt ge eq ne */
	E_BITOR, E_BITAND,
	E_ADD, E_SUB, E_MUL, E_DIV,
	E_NOT,		/* ! */
	E_BITNOT,	/* ~ */
	E_CALL		/* built-in function: name, args */
};

struct expr {
	enum expr_kind	 kind;
	struct pos	 pos;
	struct expr	*lhs, *rhs;	/* binary operators, E_MATCH lhs,
					   unary operand in lhs */
	struct part	*parts;		/* E_STRING */
	size_t		 nparts;
	struct pattern	*pat;		/* E_PATTERN, E_MATCH */
	const char	*name;		/* E_ASSIGN: variable name, literal;
					   E_CALL: function name */
	size_t		 namelen;
	struct expr	**args;		/* E_CALL */
	size_t		 nargs;
};

enum stmt_kind {
	S_EXPR,		/* expression statement, assignment included */
	S_IF,		/* cond, body, otherwise (elsif is a nested S_IF) */
	S_WHILE,	/* cond, body */
	S_FOREACH,	/* expr (E_PATTERN or E_MATCH), body */
	S_BLOCK,	/* { body... } */
	S_TO, S_CC,
	S_EXCEPTION,	/* body */
	S_ECHO, S_LOG, S_LOGFILE, S_XFILTER, S_SYSTEM,
	S_INCLUDE, S_IMPORT, S_UNSET,
	S_DOTLOCK, S_FLOCK,	/* expr, body */
	S_EXIT
};

struct stmt {
	enum stmt_kind	 kind;
	struct pos	 pos;		/* the keyword, or the expression */
	struct expr	*expr;		/* argument or condition */
	struct stmt	*body;		/* first statement of a body; NULL
					   for an empty body (§3.3) */
	struct stmt	*otherwise;	/* S_IF: else branch, or NULL */
	struct stmt	*next;		/* next statement in the same list */
};

struct program {
	const char	*file;
	const char	*text;		/* the source, kept for caret lines */
	size_t		 len;
	struct stmt	*body;		/* first top-level statement */
};

#endif
