/*
 * literal.h: the literal text a match must contain, read off a
 * pattern's source.  A line without it cannot match, so it is ruled out
 * with a memchr/memmem-speed search instead of a call into PCRE2; a
 * whole block of lines without it is skipped at once.
 */
#ifndef LITERAL_H
#define LITERAL_H

#include <stddef.h>

struct byte_pairs;

/*
 * What a match must contain: one of the alternatives (a|b|c), and for
 * the alternative every one of its terms, and for a term one of its
 * strings (a group such as (alice|bob)).  v[] holds the strings in
 * order of alternative and term, at most LIT_MAX of them, each at most
 * LIT_LEN bytes; an alternative has at most LIT_TERMS terms.
 */
#define LIT_MAX		16
#define LIT_LEN		32
#define LIT_TERMS	4

struct literal {
	char		 s[LIT_LEN];
	unsigned char	 len;
	unsigned char	 at;		/* the rarest byte, searched first */
	unsigned char	 alt, term;	/* whose it is */
};

struct literals {
	unsigned	 n;		/* 0: nothing is required */
	int		 caseless;	/* ASCII letters compare either case */
	struct literal	 v[LIT_MAX];
};

/*
 * Fill lits from the pattern re[0, len): for each top-level alternative
 * the best few runs of plain characters every match of it contains, and
 * of groups it must match.  When an alternative has none, or the pattern uses anything whose reading
 * is in doubt (option settings, verbs, \Q), lits->n is 0.  caseless is
 * the pattern's PCRE2_CASELESS in UTF mode, where k and s also match
 * non-ASCII letters (tests/unit/literal.c checks which with PCRE2).
 */
void	literals_of(const char *re, size_t len, int caseless,
	    struct literals *lits);

/*
 * 1 when PCRE2 surely compiles re: it keeps to a plain part of the
 * syntax (characters, escaped punctuation, \d \s \w \b and the like,
 * simple classes, plain and (?: groups, alternatives, quantifiers on
 * what can repeat).  0 says nothing: the pattern may still compile.
 * Such a pattern need not be compiled before a line could match it.
 */
int	literals_compiles(const char *re, size_t len);

/*
 * Does s[0, n) contain one of the literals?  1 also when lits->n is 0.
 * pairs, when not NULL, holds the byte pairs of s (bytepairs.h): a
 * literal with a pair missing there is not searched for.
 */
int	literals_in(const struct literals *lits, const char *s, size_t n,
	    const struct byte_pairs *pairs);

#endif
