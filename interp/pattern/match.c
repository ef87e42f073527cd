/*
 * match.c: /patterns/ against the message and against strings
 * (LANGUAGE.md §5, §4.14).  A pattern without $ substitution is compiled
 * once and kept in its AST node; one with $ is substituted at every
 * evaluation (§1.7) and compiled through a small cache keyed by the
 * substituted text, so a loop does not recompile.  The message is searched
 * line by line through msg_scan_sieved, which hands out decoded UTF-8
 * lines and skips the blocks of them that hold none of the pattern's
 * literals (literal.c); the scan state below is the only thing the
 * callbacks see.
 *
 * Matching has a budget: the match limit at each start position, and
 * RUNNEL_MATCH_TIME seconds for all the matching of one delivery.  A
 * subject is message text, the sender's, so a search that exhausts
 * either is not a failure: the line (or string) it gave up on does not
 * match, a warning says so on stderr and in the log, and delivery goes
 * on.  Only the watchdog (RUNNEL_TIMEOUT) ends the run from inside a
 * search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../grammar/arena.h"
#include "../run/effects.h"
#include "match.h"
#include "../message/message.h"
#include "regex.h"
#include "../run/run.h"
#include "../run/subst.h"
#include "../run/value.h"
#include "../run/vars.h"
#include "../run/vars.h"

/* Cache of compiled $-substituted patterns, most recently used first. */
#define LRU_SIZE	16

struct lru_entry {
	char		*text;
	size_t		 len;
	unsigned	 how;		/* regex_compile()'s flags */
	struct regex	*re;
};

static struct lru_entry	 lru[LRU_SIZE];
static size_t		 nlru;
/* Patterns cached in AST nodes, kept reachable for leak checkers. */
static struct regex	*kept;

/* Longest matched line shown in a dry-run note. */
#define NOTE_MAX	72

/*
 * Does re need $ substitution?  The parser's has_dollar says so (an
 * unescaped '$' followed by a name character or '{', LANGUAGE.md §1.5;
 * any other '$' is an anchor), once for the node.
 */
static int
needs_subst(const struct pattern *pat)
{
	return pat->has_dollar;
}

/*
 * regex_compile()'s flags for pat: the same for a delivery and for
 * --check.  A pattern node is used either on the message (whose lines
 * are valid UTF-8: on_message) or on strings, never both.
 */
static unsigned
regex_how(const struct pattern *pat, int on_message)
{
	unsigned how = REGEX_JIT;

	if (pat->flags & PAT_D)
		how |= REGEX_CASE;
	if (on_message)
		how |= REGEX_VALID_UTF8;
	return how;
}

int
match_check(const struct pattern *pat, int on_message, struct buf *reason,
    size_t *offset)
{
	if (needs_subst(pat))
		return 0;
	return regex_check(pat->re, pat->relen, regex_how(pat, on_message),
	    reason, offset);
}

/* maildrop's two lines (and its blank line) for a pattern that fails. */
static void
report_invalid(struct run *r, const struct expr *e, const struct buf *err)
{
	fprintf(stderr, "%s\n", err->p);
	run_warn(r, &e->pos, "Syntax error in /pattern/.");
	fputc('\n', stderr);
}

static struct regex *
lru_get(const char *text, size_t len, unsigned how)
{
	size_t i;
	struct lru_entry hit;

	for (i = 0; i < nlru; i++) {
		if (lru[i].len != len || lru[i].how != how ||
		    memcmp(lru[i].text, text, len) != 0)
			continue;
		hit = lru[i];
		memmove(&lru[1], &lru[0], i * sizeof(lru[0]));
		lru[0] = hit;
		return hit.re;
	}
	return NULL;
}

static void
lru_put(const char *text, size_t len, unsigned how, struct regex *re)
{
	if (nlru == LRU_SIZE) {
		nlru--;
		free(lru[nlru].text);
		regex_free(lru[nlru].re);
	}
	memmove(&lru[1], &lru[0], nlru * sizeof(lru[0]));
	lru[0].text = xstrndup(text, len);
	lru[0].len = len;
	lru[0].how = how;
	lru[0].re = re;
	nlru++;
}

/*
 * The regex as compiled, for messages: the pattern's own text, or the
 * substituted text held in sub.  Not copied when there is nothing to
 * substitute: most patterns never need it.
 */
struct retext {
	const char	*s;
	struct buf	 sub;
};

#define RETEXT_INIT	{ "", BUF_INIT }

/*
 * The compiled form of e's pattern, or NULL after maildrop's warning
 * (the pattern's value is then 0; not fatal), or NULL with *f set to
 * FLOW_FAIL when the substituted pattern is past RUNNEL_MAX_VALUE.
 * text gets the regex as compiled.
 */
static struct regex *
pattern_regex(struct run *r, const struct expr *e, struct retext *text,
    int on_message, enum flow *f)
{
	struct pattern *pat = e->pat;
	struct buf err = BUF_INIT;
	struct regex *re;
	unsigned how = regex_how(pat, on_message);

	/* compiled is set only for a pattern without substitution */
	if (pat->compiled != NULL || !needs_subst(pat)) {
		text->s = pat->re;
		if (pat->compiled != NULL)
			return pat->compiled;
		re = regex_compile(pat->re, pat->relen, how, &err);
		if (re != NULL) {
			re->next = kept;
			kept = re;
			pat->compiled = re;
		}
	} else {
		buf_reset(&text->sub);
		subst_vars(r, &e->pos, pat->re, pat->relen, &text->sub);
		text->s = buf_cstr(&text->sub);
		if ((*f = run_room(r, &e->pos, text->sub.len,
		    "this pattern")) != FLOW_NEXT)
			return NULL;
		if ((re = lru_get(text->s, text->sub.len, how)))
			return re;
		re = regex_compile(text->s, text->sub.len, how, &err);
		if (re != NULL)
			lru_put(text->s, text->sub.len, how, re);
	}
	if (re == NULL)
		report_invalid(r, e, &err);
	buf_free(&err);
	return re;
}

/*
 * The time one search may take: what is left of the matching budget,
 * and never past the watchdog.  clock_stop() adds what it took.
 */
struct clock {
	struct timespec	 t0;
	int		 watchdog;	/* the watchdog is the nearer end */
	int		 late;		/* begun after the budget was spent */
};

static int
before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec &&
	    a->tv_nsec < b->tv_nsec);
}

static void
clock_start(struct run *r, struct clock *c)
{
	struct timespec end;
	double left;
	int on = 0;

	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	c->watchdog = c->late = 0;
	if (r->match_time > 0) {
		/*
		 * Once the budget is spent a search still has a thousandth
		 * of it: a hostile subject exhausts that at once, while a
		 * pattern on an ordinary line still decides.  One search
		 * of a long line cannot be cut short, so the late searches
		 * may take the budget once more in all; past that none
		 * starts, or a body of many hostile lines, each searched in
		 * a loop, would run into the watchdog and defer the message.
		 */
		left = r->match_time - r->match_spent;
		c->late = left < r->match_time / 1000;
		if (c->late)
			left = r->match_late < r->match_time ?
			    r->match_time / 1000 : -1;	/* -1: a second ago */
		end.tv_sec = c->t0.tv_sec + (time_t)left;
		end.tv_nsec = c->t0.tv_nsec +
		    (long)((left - (double)(time_t)left) * 1e9);
		if (end.tv_nsec >= 1000000000L) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000L;
		}
		on = 1;
	}
	if (r->have_deadline && (!on || before(&r->deadline, &end))) {
		end = r->deadline;
		c->watchdog = on = 1;
	}
	regex_stop_at(on ? &end : NULL);
}

static void
clock_stop(struct run *r, const struct clock *c)
{
	struct timespec now;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &now);
	took = (double)(now.tv_sec - c->t0.tv_sec) +
	    (double)(now.tv_nsec - c->t0.tv_nsec) / 1e9;
	r->match_spent += took;
	if (c->late)
		r->match_late += took;
	regex_stop_at(NULL);
}

void
match_abandoned(struct run *r, const struct pos *at, const char *re,
    int out_of_time, const char *why, const char *where, size_t len)
{
	struct buf b = BUF_INIT;
	const char *file = at->file ? at->file : "";

	buf_printf(&b, "%s:%u:%u: /%s/: %s on a %s%s of %zu bytes; counted "
	    "as not matched\n", file, at->line, at->col, re, why, where,
	    strcmp(where, "string") == 0 || strcmp(where, "line") == 0 ?
	    "" : " line", len);
	fflush(stdout);
	fprintf(stderr, "%s(%u): Pattern match abandoned.\n  %s", file,
	    at->line, b.p);
	if (out_of_time)
		fprintf(stderr, "  all matching in one delivery may take "
		    "RUNNEL_MATCH_TIME seconds (%g)\n", r->match_time);
	else
		fputs("  nested repeats such as (a+)+ backtrack without end; "
		    "simplify the pattern\n", stderr);
	if (r->fx != NULL && r->fx->log != NULL) {
		struct buf line = BUF_INIT;

		buf_printf(&line, "runnel: %s", b.p);
		r->fx->log(r, at, line.p, line.len);
		buf_free(&line);
	}
	buf_free(&b);
}

/*
 * A search that gave up: rc is regex_exec's REGEX_GAVE_UP or
 * REGEX_NO_TIME on a subject of len bytes.  The watchdog ends the run;
 * otherwise the warning, and the search counts as not matched there.
 */
static enum flow
gave_up_at(struct run *r, const struct pos *at, const struct clock *c,
    const char *re, int rc, const char *why, const char *where, size_t len)
{
	if (rc == REGEX_NO_TIME && c->watchdog) {
		r->have_deadline = 0;
		r->timed_out = 1;
		return run_fail(r, at, "Timeout quota exceeded.",
		    "the limit is RUNNEL_TIMEOUT (seconds)", "the filter ran "
		    "out of time matching /%s/", re);
	}
	match_abandoned(r, at, re, rc == REGEX_NO_TIME, why, where, len);
	return FLOW_NEXT;
}

static enum flow
gave_up(struct run *r, const struct expr *e, const struct clock *c,
    const struct retext *text, int rc, const char *why, const char *where,
    size_t len)
{
	return gave_up_at(r, &e->pos, c, text->s, rc, why, where, len);
}

/*
 * Copy every group of the last match of re in s into c.  A group is
 * marked as message text where s was (subj; NULL: s is a line of the
 * message, all of it message text), DIFFERENCES.md B24.
 */
static void
caps_from(struct match_caps *c, const struct regex *re, const char *s,
    const struct buf *subj)
{
	unsigned i;
	size_t so, eo;

	c->ncaps = re->ncap;
	c->caps = xcalloc(re->ncap, sizeof(c->caps[0]));
	for (i = 0; i < re->ncap; i++) {
		if (!regex_span(re, i, &so, &eo))
			continue;
		buf_set(&c->caps[i], s + so, eo - so);
		if (subj == NULL)
			buf_mark(&c->caps[i], 0, eo - so);
		else
			buf_mark_like(&c->caps[i], 0, subj, so, eo - so);
	}
}

static void
caps_free(struct match_caps *c)
{
	size_t i;

	for (i = 0; i < c->ncaps; i++)
		buf_free(&c->caps[i]);
	free(c->caps);
	c->caps = NULL;
	c->ncaps = 0;
}

/* MATCH, MATCH1.. from the last match of re in s (LANGUAGE.md §5.4). */
static void
set_vars_from(struct run *r, const struct regex *re, const char *s,
    const struct buf *subj)
{
	struct match_caps c;

	caps_from(&c, re, s, subj);
	match_set_vars(r, &c);
	caps_free(&c);
}

void
match_set_vars(struct run *r, const struct match_caps *c)
{
	char name[32];
	size_t i;

	for (i = 0; i < c->ncaps; i++) {
		if (i == 0)
			snprintf(name, sizeof(name), "MATCH");
		else
			snprintf(name, sizeof(name), "MATCH%zu", i);
		vars_setb(r->vars, name, strlen(name), &c->caps[i]);
	}
}

/*
 * foreach holds every match before its first pass, so a pattern that
 * matches each line of a huge message, or an empty match at each
 * character of a long string, is held to the variables' budget: the
 * matches become variables.
 */
static enum flow
set_push(struct run *r, const struct expr *e, struct match_set *set,
    const struct regex *re, const char *s, const struct buf *subj)
{
	struct match_caps *c;
	size_t i;

	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 8;
		set->v = xrealloc(set->v, set->cap * sizeof(set->v[0]));
	}
	c = &set->v[set->n++];
	caps_from(c, re, s, subj);
	set->bytes += sizeof(*c) + c->ncaps * sizeof(c->caps[0]);
	for (i = 0; i < c->ncaps; i++)
		set->bytes += c->caps[i].len;
	return run_room_vars(r, &e->pos, vars_bytes(r->vars) + set->bytes,
	    "foreach's matches and the variables");
}

void
match_set_free(struct match_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		caps_free(&set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = set->cap = 0;
}

/* A line for a note: cut at NOTE_MAX bytes, on a UTF-8 boundary. */
static void
note_match(struct run *r, const struct expr *e, const char *where,
    const char *line, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i, n = len;
	unsigned char c;

	if (!r->notes || r->fx == NULL || r->fx->note == NULL)
		return;
	if (n > NOTE_MAX) {
		n = NOTE_MAX;
		while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
			n--;
	}
	buf_printf(&b, "matched %s: ", where);
	/* a string subject may hold newlines: keep the trace one line */
	for (i = 0; i < n; i++) {
		c = (unsigned char)line[i];
		if (c == '\n')
			buf_adds(&b, "\\n");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(&b, "\\x%02x", c);
		else
			buf_addc(&b, c);
	}
	if (n < len)
		buf_adds(&b, "...");
	r->fx->note(r, &e->pos, b.p);
	buf_free(&b);
}

/* What msg_scan is asked for (LANGUAGE.md §5.1; 'H' is 4.x, A4). */
static unsigned
scan_what(unsigned flags)
{
	unsigned what = 0;

	if (flags & PAT_H)
		what |= MSG_TOP_HEADER | MSG_PART_HEADERS;
	if (flags & PAT_TOPH)
		what |= MSG_TOP_HEADER;
	if (flags & PAT_B)
		what |= MSG_BODY;
	if (what == 0) {
		what = MSG_TOP_HEADER | MSG_PART_HEADERS;
		if (flags & PAT_W)
			what |= MSG_BODY;
	}
	return what;
}

static const char *
where_name(unsigned what)
{
	if ((what & MSG_BODY) == 0)
		return "header";
	if ((what & (MSG_TOP_HEADER | MSG_PART_HEADERS)) == 0)
		return "body";
	return "line";
}

/* One search of the message, seen from msg_scan's callback. */
struct scan {
	struct run		*r;
	const struct expr	*e;
	struct regex		*re;
	const char		*where;
	const char		*text;		/* the regex, for VERBOSE */
	int			 weighted;
	double			 score, w, factor;
	int			 matched;
	int			 gave_up;	/* regex_exec's code, or 0 */
	const char		*gave_up_why;	/* regex_why() then */
	enum flow		 fail;		/* FLOW_FAIL: pattern past budget */
	size_t			 gave_up_len;
	struct match_set	*collect;	/* foreach, else NULL */
};

static int
scan_line(void *arg, const char *line, size_t len)
{
	struct scan *s = arg;
	int rc;

	if (s->r->verbose > 2)
		fprintf(stderr, "Matching /%s/ against %.*s\n", s->text,
		    (int)len, line);
	rc = regex_exec(s->re, line, len, 0);
	if (rc == 0 && s->r->verbose > 2)
		fputs("Not matched.\n", stderr);
	if (rc < 0) {
		/* The first line given up on is reported; it does not match. */
		if (!s->gave_up) {
			s->gave_up = rc;
			s->gave_up_why = regex_why();
			s->gave_up_len = len;
		}
		return rc == REGEX_NO_TIME;	/* out of time: stop */
	}
	if (rc == 0)
		return 0;
	note_match(s->r, s->e, s->where, line, len);
	if (s->collect != NULL) {
		s->fail = set_push(s->r, s->e, s->collect, s->re, line, NULL);
		return s->fail != FLOW_NEXT;
	}
	if (s->weighted) {
		/* Every matching line counts once: xxx + xxx*yyy + ... */
		s->score += s->w;
		s->w *= s->factor;
		return 0;
	}
	s->matched = 1;
	set_vars_from(s->r, s->re, line, NULL);
	return 1;	/* the first matching line decides */
}

/*
 * msg_scan's sieve: a block of lines without the pattern's literal is
 * skipped whole.  Not under VERBOSE 3, which shows every line tried.
 */
static int
scan_may(void *arg, const char *text, size_t n,
    const struct byte_pairs *pairs)
{
	struct scan *s = arg;

	if (s->r->verbose > 2)
		return 1;
	return regex_may_match(s->re, text, n, pairs);
}

static void
scan_message(struct run *r, const struct expr *e, struct scan *s,
    struct retext *text)
{
	unsigned what = scan_what(e->pat->flags);

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->e = e;
	s->where = where_name(what);
	s->weighted = e->pat->weighted;
	s->w = e->pat->weight;
	s->factor = e->pat->factor;
	s->fail = FLOW_NEXT;
	s->re = pattern_regex(r, e, text, 1, &s->fail);
	s->text = text->s;
}

/* VERBOSE 4 and up: the value of a search, as maildrop reports it. */
static void
verbose_result(struct run *r, const struct expr *e,
    const struct retext *text, const struct buf *value)
{
	if (r->verbose > 3)
		fprintf(stderr, "%s(%u): Search of %s = %s\n",
		    e->pos.file ? e->pos.file : "", e->pos.line,
		    text->s, value->p ? value->p : "");
}

enum flow
match_message(struct run *r, const struct expr *e, struct buf *out)
{
	struct scan s;
	struct retext text = RETEXT_INIT;
	struct clock c;

	scan_message(r, e, &s, &text);
	if (s.re != NULL && r->msg != NULL) {
		clock_start(r, &c);
		msg_scan_sieved(r->msg, scan_what(e->pat->flags), scan_line,
		    scan_may, &s);
		clock_stop(r, &c);
	}
	if (s.fail != FLOW_NEXT || (s.gave_up && gave_up(r, e, &c, &text, s.gave_up, s.gave_up_why,
	    s.where, s.gave_up_len) != FLOW_NEXT)) {
		buf_free(&text.sub);
		return FLOW_FAIL;
	}
	buf_reset(out);
	if (s.weighted)
		value_format(s.score, out);
	else
		buf_adds(out, s.matched ? "1" : "0");
	if (s.re != NULL)
		verbose_result(r, e, &text, out);
	buf_free(&text.sub);
	return FLOW_NEXT;
}

/*
 * Where the next search through a string starts after a match at
 * [so, eo): at its end, or one character further when it was empty, so
 * that /x* / cannot loop for ever (4.x would).
 */
static size_t
next_start(const char *s, size_t len, size_t so, size_t eo)
{
	if (eo > so)
		return eo;
	if (eo >= len)
		return len + 1;
	eo++;
	while (eo < len && ((unsigned char)s[eo] & 0xc0) == 0x80)
		eo++;
	return eo;
}

enum flow
match_string(struct run *r, const struct expr *e, const struct buf *subj,
    struct buf *out)
{
	const char *subject = subj->p;
	size_t len = subj->len;
	struct retext text = RETEXT_INIT;
	struct regex *re;
	struct pattern *pat = e->pat;
	struct clock c;
	double score = 0, w = pat->weight;
	size_t start = 0, so, eo;
	int rc, matched = 0, gave = 0;
	const char *why = NULL;
	enum flow f = FLOW_NEXT;

	if ((re = pattern_regex(r, e, &text, 0, &f)) == NULL) {
		buf_free(&text.sub);
		buf_set(out, "0", 1);
		return f;
	}
	if (r->verbose > 2)
		fprintf(stderr, "Matching /%s/ against %.*s\n", text.s,
		    (int)len, subject ? subject : "");
	clock_start(r, &c);
	while (start <= len) {
		if ((rc = regex_exec(re, subject, len, start)) < 0) {
			gave = rc;
			why = regex_why();
		}
		if (rc <= 0)
			break;
		regex_span(re, 0, &so, &eo);
		note_match(r, e, "string", subject + so, eo - so);
		if (!pat->weighted) {
			matched = 1;
			set_vars_from(r, re, subject, subj);
			break;
		}
		/* Weighted: every non-overlapping match counts (§5.3). */
		score += w;
		w *= pat->factor;
		start = next_start(subject, len, so, eo);
	}
	clock_stop(r, &c);
	if (gave && gave_up(r, e, &c, &text, gave, why, "string", len) !=
	    FLOW_NEXT) {
		buf_free(&text.sub);
		return FLOW_FAIL;
	}
	buf_reset(out);
	if (pat->weighted)
		value_format(score, out);
	else
		buf_adds(out, matched ? "1" : "0");
	verbose_result(r, e, &text, out);
	buf_free(&text.sub);
	return FLOW_NEXT;
}

enum flow
match_collect(struct run *r, const struct expr *e, const struct buf *subj,
    struct match_set *out)
{
	const char *subject = subj != NULL ? subj->p : NULL;
	size_t len = subj != NULL ? subj->len : 0;
	struct scan s;
	struct retext text = RETEXT_INIT;
	struct clock c;
	size_t start = 0, so, eo;
	int rc, gave = 0;
	const char *why = NULL;
	enum flow f = FLOW_NEXT;

	if (subj == NULL) {
		/* Message form: at most one match per line. */
		scan_message(r, e, &s, &text);
		s.collect = out;
		if (s.re != NULL && r->msg != NULL) {
			clock_start(r, &c);
			msg_scan_sieved(r->msg, scan_what(e->pat->flags),
			    scan_line, scan_may, &s);
			clock_stop(r, &c);
		}
		if (s.fail != FLOW_NEXT)
			f = s.fail;
		else if (s.gave_up)
			f = gave_up(r, e, &c, &text, s.gave_up,
			    s.gave_up_why, s.where, s.gave_up_len);
		buf_free(&text.sub);
		return f;
	}
	/* String form: each search starts where the last match ended. */
	if ((s.re = pattern_regex(r, e, &text, 0, &f)) == NULL) {
		buf_free(&text.sub);
		return f;
	}
	clock_start(r, &c);
	while (start <= len) {
		if ((rc = regex_exec(s.re, subject, len, start)) < 0) {
			gave = rc;
			why = regex_why();
		}
		if (rc <= 0)
			break;
		regex_span(s.re, 0, &so, &eo);
		note_match(r, e, "string", subject + so, eo - so);
		if ((f = set_push(r, e, out, s.re, subject, subj)) != FLOW_NEXT)
			break;
		start = next_start(subject, len, so, eo);
	}
	clock_stop(r, &c);
	if (gave && f == FLOW_NEXT)
		f = gave_up(r, e, &c, &text, gave, why, "string", len);
	buf_free(&text.sub);
	return f;
}

int
match_lookup(struct run *r, const struct pos *at, struct regex *re,
    const char *retext, const struct buf *subj)
{
	struct clock c;
	int rc;

	clock_start(r, &c);
	rc = regex_exec(re, subj->p, subj->len, 0);
	clock_stop(r, &c);
	if (rc > 0) {
		set_vars_from(r, re, subj->p, subj);
		return 1;
	}
	if (rc == 0)
		return 0;
	if (gave_up_at(r, at, &c, retext, rc, regex_why(), "string",
	    subj->len) != FLOW_NEXT)
		return MATCH_FAILED;
	return rc == REGEX_NO_TIME ? MATCH_NO_TIME : 0;
}
