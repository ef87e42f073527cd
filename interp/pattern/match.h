/*
 * match.h: /patterns/ with PCRE2 (LANGUAGE.md §5).  UTF mode, caseless
 * unless D; a match limit so no pattern can hang a delivery.
 */
#ifndef MATCH_H
#define MATCH_H

#include <stddef.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"

/* E_PATTERN: search the message; value "1"/"0" or the weighted score. */
enum flow	 match_message(struct run *, const struct expr *,
		    struct buf *out);

/*
 * E_MATCH: search subject; value as above; sets MATCH variables, marked
 * as message text where the subject was (DIFFERENCES.md B24; a message
 * search marks them all).
 */
enum flow	 match_string(struct run *, const struct expr *,
		    const struct buf *subject, struct buf *out);

/* One match: caps[0] is MATCH, caps[i] is MATCHi. */
struct match_caps {
	struct buf	*caps;
	size_t		 ncaps;
};

struct match_set {
	struct match_caps *v;
	size_t		 n, cap;
	size_t		 bytes;	/* held, counted against RUNNEL_MAX_VARS */
};

/*
 * foreach: collect every match first (LANGUAGE.md §4.14): one per line in
 * the message (subject NULL), or repeated through the subject string.
 */
enum flow	 match_collect(struct run *, const struct expr *,
		    const struct buf *subject, struct match_set *out);
/*
 * --check: does the pattern compile, with the flags a delivery uses
 * (on_message: an E_PATTERN or a foreach over the message, else a
 * string =~)?  0 when it does, or when it has $ substitutions and cannot
 * be known before run time; else -1 with PCRE2's reason in reason and
 * the byte offset into the regex (pattern->pos is its opening '/').
 */
int		 match_check(const struct pattern *, int on_message,
		    struct buf *reason, size_t *offset);

/*
 * A search of the sender's text that gave up (out of time or at the
 * match limit) on a subject of len bytes: the warning, on stderr and
 * in the log.  where: "string", "line", "header", "body".  The caller
 * counts the search as not matched and goes on.
 */
void		 match_abandoned(struct run *, const struct pos *at,
		    const char *re, int out_of_time, const char *why,
		    const char *where, size_t len);

/*
 * lookup(): search subj (a string, often the sender's) with re, one
 * line of a file (retext, for the warning), under the delivery's
 * matching budget.  1 matched (MATCH.. set), 0 not (also when the
 * search gave up at the match limit: the warning is out),
 * MATCH_NO_TIME when it gave up because the budget is spent (the
 * warning is out; the lines after it need not be tried), MATCH_FAILED
 * when the watchdog ended the run (FLOW_FAIL).
 */
struct regex;
#define MATCH_NO_TIME	(-1)
#define MATCH_FAILED	(-2)
int		 match_lookup(struct run *, const struct pos *at,
		    struct regex *re, const char *retext,
		    const struct buf *subj);

/* Set MATCH, MATCH1.. from one match. */
void		 match_set_vars(struct run *, const struct match_caps *);
void		 match_set_free(struct match_set *);

#endif
