/*
 * regex.h: PCRE2 compiled once, matched under limits.  Shared by the
 * pattern matcher (match.c) and lookup(); callers never see pcre2_match
 * error codes beyond "matched", "no match" and "gave up".
 */
#ifndef REGEX_H
#define REGEX_H

#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../../grammar/buf.h"
#include "literal.h"

struct regex {
	pcre2_code	 *code;		/* NULL until first needed */
	char		 *src;		/* the pattern, until then */
	size_t		  srclen;
	unsigned	  how;		/* regex_compile()'s flags */
	unsigned	  ncap;		/* groups + 1: MATCH, MATCH1.. */
	int		  may_jit;	/* JIT once it has been used enough */
	int		  jit;		/* JIT code is present */
	int		  valid_utf8;	/* subjects need no UTF-8 check */
	int		  first;	/* an anchored match's first byte, or -1 */
	int		  anchored;	/* one start position only */
	unsigned long	  uses;		/* subjects tried so far */
	struct literals	  lits;		/* one of them is in every match */
	struct regex	 *next;		/* the list of kept regexes */
};

/* How regex_compile() compiles: flags, or 0 for caseless. */
#define REGEX_CASE	0x1	/* case sensitive (the D flag) */
/*
 * JIT code is allowed, made once the regex has been tried on
 * REGEX_JIT_AFTER subjects: compiling it costs more than a few
 * interpreted matches, so a pattern used once on a short header never
 * pays for it, a loop or a long body does.
 */
#define REGEX_JIT	0x2
/* Every subject will be valid UTF-8, so PCRE2 need not check. */
#define REGEX_VALID_UTF8 0x4

/*
 * Compile re (UTF-8).  On error returns NULL and puts maildrop's line,
 * "Invalid regular expression, offset N of: RE: REASON", in err.  A
 * pattern that surely compiles (literal.h) is compiled only when a
 * subject holding its literals is first searched.
 */
struct regex	*regex_compile(const char *re, size_t len, unsigned how,
		    struct buf *err);
void		 regex_free(struct regex *);
/*
 * Only check that re compiles as regex_compile(re, len, how) would: 0
 * when it does, else -1 with PCRE2's reason in reason and the byte
 * offset into re where it gave up.
 */
int		 regex_check(const char *re, size_t len, unsigned how,
		    struct buf *reason, size_t *offset);

/*
 * Search s[start..len).  1 on a match (regex_span gives the groups), 0
 * when there is none, REGEX_GAVE_UP when the match gave up on this
 * subject: the match or depth limit was reached or memory ran out
 * (regex_why says which), REGEX_NO_TIME when the time set by
 * regex_stop_at() has passed, before or during the search.
 */
#define REGEX_GAVE_UP	(-1)
#define REGEX_NO_TIME	(-2)
int		 regex_exec(struct regex *, const char *s, size_t len,
		    size_t start);
/*
 * The moment (CLOCK_MONOTONIC) after which regex_exec stops searching,
 * or NULL for none.  It is looked at before every pcre2_match call, and
 * a long subject is searched in slices of start positions (PCRE2's
 * offset limit) so that a search cannot run far past it.
 */
struct timespec;
void		 regex_stop_at(const struct timespec *);
/*
 * Group i of the last match, which must be the last regex_exec() of any
 * regex; 0 when the group did not take part.
 */
int		 regex_span(const struct regex *, unsigned i, size_t *so,
		    size_t *eo);
/*
 * 0 when no match can lie in s[0, n): it holds none of the literals
 * every match contains (literal.h).  A quick look, for skipping text;
 * pairs (or NULL) are the byte pairs of s, for a quicker one.
 */
int		 regex_may_match(const struct regex *, const char *s, size_t n,
		    const struct byte_pairs *pairs);
/* What the last -1 from regex_exec was about, in words. */
const char	*regex_why(void);

/*
 * Limits.  The match limit is PCRE2's default, which 4.x runs with, so a
 * pattern that works under maildrop works here; the heap limit replaces
 * PCRE2's default of 20 GB with something a delivery can afford.
 */
#define REGEX_MATCH_LIMIT	10000000
#define REGEX_HEAP_LIMIT_KIB	(64 * 1024)
#define REGEX_JIT_AFTER		256
/*
 * A subject longer than this many bytes past the start is searched in
 * slices: the match limit counts work at one start position, so the
 * work of a whole search grows with the subject's length.
 */
#define REGEX_SLICE		1024

#endif
