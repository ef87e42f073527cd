/*
 * regex.c: PCRE2 behind three calls.  Every match runs under one match
 * context with a match limit, a depth limit and a bounded JIT stack, so
 * no pattern can hang a delivery (LANGUAGE.md §5); a JIT stack overflow
 * is retried by the interpreter, which has the same limits.  The match
 * limit counts work at one start position only, so a long subject is
 * searched in slices of start positions (PCRE2's offset limit) with a
 * look at the clock between them: no search runs far past the time
 * regex_stop_at() set, and an ordinary line is still one call.  Subjects may
 * be any bytes: PCRE2_MATCH_INVALID_UTF lets invalid UTF-8 simply fail to
 * match instead of being an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../grammar/arena.h"
#include "regex.h"

static pcre2_match_context	*mctx;
static pcre2_jit_stack		*jstack;
static int			 last_error;

/* regex_stop_at()'s moment; last_error when it has passed. */
static struct timespec		 stop;
static int			 have_stop;
#define NO_TIME_ERROR		(-100000)

#ifndef CLOCK_MONOTONIC_COARSE
#define CLOCK_MONOTONIC_COARSE	CLOCK_MONOTONIC
#endif

/*
 * One match data for every regex: its ovector serves the last match
 * only, which every caller reads at once, and its backtracking frames
 * (20 KiB and up) are allocated once instead of once per pattern.
 */
static pcre2_match_data		*md;
static unsigned			 md_pairs;
static const struct regex	*md_owner;	/* whose match md holds */

static pcre2_match_data *
match_data(unsigned pairs)
{
	if (md != NULL && md_pairs >= pairs)
		return md;
	pcre2_match_data_free(md);
	if ((md = pcre2_match_data_create(pairs, NULL)) == NULL)
		xalloc_fail();
	md_pairs = pairs;
	return md;
}

static pcre2_match_context *
context(void)
{
	if (mctx != NULL)
		return mctx;
	if ((mctx = pcre2_match_context_create(NULL)) == NULL)
		xalloc_fail();
	pcre2_set_match_limit(mctx, REGEX_MATCH_LIMIT);
	pcre2_set_heap_limit(mctx, REGEX_HEAP_LIMIT_KIB);
	/* 32 KiB to 1 MiB; when that overflows the interpreter takes over. */
	jstack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (jstack != NULL)
		pcre2_jit_stack_assign(mctx, NULL, jstack);
	return mctx;
}

/*
 * The byte every match must start with when the pattern is anchored
 * ("^From:"), as PCRE2's own analysis finds it, or -1.  Most header
 * patterns are anchored and most lines fail on their first byte; saying
 * so before calling pcre2_match() saves the call.  PCRE2 reports no such
 * byte where caseless matching could start with another one (k and the
 * Kelvin sign), and compared caselessly it never rejects a line that
 * PCRE2 would match.
 */
static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
anchored_first(const pcre2_code *code)
{
	uint32_t type, unit, all;

	if (pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &all) != 0 ||
	    (all & PCRE2_ANCHORED) == 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0 ||
	    type != 1 ||
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) != 0 ||
	    unit >= 128)
		return -1;
	return (int)unit;
}

/*
 * The compile options for how: the one place they are decided, so
 * --check (regex_check) compiles exactly what delivery compiles.
 */
static uint32_t
compile_options(unsigned how)
{
	uint32_t opts = PCRE2_UTF | PCRE2_USE_OFFSET_LIMIT;

	/*
	 * Message text is valid UTF-8 by construction; any other subject
	 * may not be, and then simply fails to match.
	 */
	if ((how & REGEX_VALID_UTF8) == 0)
		opts |= PCRE2_MATCH_INVALID_UTF;
	if ((how & REGEX_CASE) == 0)
		opts |= PCRE2_CASELESS;
	return opts;
}

/* PCRE2's words for errcode. */
static void
error_message(int errcode, PCRE2_UCHAR *msg, size_t size)
{
	if (pcre2_get_error_message(errcode, msg, size) < 0)
		snprintf((char *)msg, size, "error %d", errcode);
}

/* Take code as x's compiled form: what regex_exec needs to know of it. */
static void
adopt(struct regex *x, pcre2_code *code, unsigned how)
{
	uint32_t groups;

	x->code = code;
	if (pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups) != 0)
		groups = 0;
	x->ncap = groups + 1;
	x->may_jit = (how & REGEX_JIT) != 0;
	x->valid_utf8 = (how & REGEX_VALID_UTF8) != 0;
	x->first = anchored_first(code);
	x->anchored = pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS,
	    &groups) == 0 && (groups & PCRE2_ANCHORED) != 0;
}

struct regex *
regex_compile(const char *re, size_t len, unsigned how, struct buf *err)
{
	struct regex *x;
	pcre2_code *code;
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];

	x = xcalloc(1, sizeof(*x));
	x->how = how;
	x->first = -1;
	x->ncap = 1;
	literals_of(re, len, (how & REGEX_CASE) == 0, &x->lits);
	/*
	 * A pattern PCRE2 surely takes is compiled when a subject first
	 * gets past its literals: a rule whose text is not in the message
	 * never pays for compiling.
	 */
	if (literals_compiles(re, len)) {
		x->src = xmalloc(len + 1);
		memcpy(x->src, re, len);
		x->src[len] = '\0';
		x->srclen = len;
		return x;
	}
	code = pcre2_compile((PCRE2_SPTR)re, len, compile_options(how),
	    &errcode, &erroff, NULL);
	if (code == NULL) {
		free(x);
		error_message(errcode, msg, sizeof(msg));
		buf_reset(err);
		buf_printf(err, "Invalid regular expression, offset %zu of: ",
		    (size_t)erroff);
		buf_add(err, re, len);
		buf_printf(err, ": %s", (const char *)msg);
		return NULL;
	}
	adopt(x, code, how);
	return x;
}

/* The deferred compile of regex_compile(); -1 if PCRE2 refused after all. */
static int
compiled(struct regex *x)
{
	pcre2_code *code;
	int errcode;
	PCRE2_SIZE erroff;

	if (x->code != NULL)
		return 0;
	code = pcre2_compile((PCRE2_SPTR)x->src, x->srclen,
	    compile_options(x->how), &errcode, &erroff, NULL);
	if (code == NULL) {
		last_error = errcode;
		return -1;
	}
	adopt(x, code, x->how);
	return 0;
}

int
regex_check(const char *re, size_t len, unsigned how, struct buf *reason,
    size_t *offset)
{
	pcre2_code *code;
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];

	code = pcre2_compile((PCRE2_SPTR)re, len, compile_options(how),
	    &errcode, &erroff, NULL);
	if (code != NULL) {
		pcre2_code_free(code);
		return 0;
	}
	error_message(errcode, msg, sizeof(msg));
	buf_reset(reason);
	buf_adds(reason, (const char *)msg);
	*offset = erroff;
	return -1;
}

void
regex_free(struct regex *x)
{
	if (x == NULL)
		return;
	if (md_owner == x)
		md_owner = NULL;
	pcre2_code_free(x->code);
	free(x->src);
	free(x);
}

void
regex_stop_at(const struct timespec *when)
{
	have_stop = when != NULL;
	if (when != NULL)
		stop = *when;
}

/*
 * Has the stop time passed?  Before a call on an ordinary line the
 * coarse clock is enough (a few nanoseconds, a few milliseconds late).
 */
static int
past_stop(clockid_t id, struct timespec *now)
{
	struct timespec t;

	if (now == NULL)
		now = &t;
	clock_gettime(id, now);
	if (!have_stop)
		return 0;
	return now->tv_sec > stop.tv_sec || (now->tv_sec == stop.tv_sec &&
	    now->tv_nsec >= stop.tv_nsec);
}

/* One pcre2_match; JIT is an optimisation only, its failure retried. */
static int
search(struct regex *x, const char *s, size_t len, size_t start,
    uint32_t opts)
{
	int rc;

	rc = pcre2_match(x->code, (PCRE2_SPTR)s, len, start, opts,
	    match_data(x->ncap), context());
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(x->code, (PCRE2_SPTR)s, len, start,
		    opts | PCRE2_NO_JIT, md, context());
	return rc;
}

/*
 * A long subject, slice by slice: each call may start a match at no
 * more than n positions.  n starts so that a slice costs little even
 * when every position costs a pass over the subject (/a*[bc]/), grows
 * while slices are quick (an ordinary long line takes a few calls) and
 * shrinks while they are slow.  A match found in a slice is the
 * leftmost, as the slices before it found none.
 */
static int
sliced(struct regex *x, const char *s, size_t len, size_t start,
    uint32_t opts)
{
	struct timespec t0, t1;
	size_t n = ((size_t)4 << 20) / (len - start), limit;
	long ns;
	int rc;

	if (n < 16)
		n = 16;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (n >= len - start)
			return search(x, s, len, start, opts);
		limit = start + n;
		pcre2_set_offset_limit(context(), limit);
		rc = search(x, s, len, start, opts);
		pcre2_set_offset_limit(context(), PCRE2_UNSET);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
		if (past_stop(CLOCK_MONOTONIC, &t1))
			return NO_TIME_ERROR;
		ns = (long)(t1.tv_sec - t0.tv_sec) * 1000000000L +
		    (t1.tv_nsec - t0.tv_nsec);
		t0 = t1;
		if (ns < 1000000L)
			n *= 4;
		else if (ns > 10000000L && n > 1)
			n /= 2;
		/* the next slice starts on a character */
		for (start = limit + 1; start < len &&
		    ((unsigned char)s[start] & 0xc0) == 0x80; start++)
			;
		if (start >= len)
			return search(x, s, len, start, opts);
	}
}

int
regex_exec(struct regex *x, const char *s, size_t len, size_t start)
{
	uint32_t opts = PCRE2_NO_UTF_CHECK;
	int rc;

	if (s == NULL)
		s = "";
	/* a subject without the pattern's literal is not worth a call */
	if (!regex_may_match(x, s + (start < len ? start : len),
	    start < len ? len - start : 0, NULL))
		return 0;
	if (compiled(x) != 0)
		return REGEX_GAVE_UP;
	if (!x->valid_utf8)
		opts = 0;
	if (x->first >= 0 && (start >= len ||
	    ascii_lower((unsigned char)s[start]) != ascii_lower(x->first)))
		return 0;
	if (have_stop && past_stop(CLOCK_MONOTONIC_COARSE, NULL)) {
		last_error = NO_TIME_ERROR;
		return REGEX_NO_TIME;
	}
	/* JIT is an optimisation only: any failure leaves the interpreter. */
	if (++x->uses == REGEX_JIT_AFTER && x->may_jit &&
	    pcre2_jit_compile(x->code, PCRE2_JIT_COMPLETE) == 0)
		x->jit = 1;
	md_owner = x;
	if (x->anchored || start >= len || len - start <= REGEX_SLICE)
		rc = search(x, s, len, start, opts);
	else
		rc = sliced(x, s, len, start, opts);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
		return 0;
	last_error = rc;
	return rc == NO_TIME_ERROR ? REGEX_NO_TIME : REGEX_GAVE_UP;
}

int
regex_may_match(const struct regex *x, const char *s, size_t n,
    const struct byte_pairs *pairs)
{
	return literals_in(&x->lits, s, n, pairs);
}

int
regex_span(const struct regex *x, unsigned i, size_t *so, size_t *eo)
{
	PCRE2_SIZE *ov;

	if (x != md_owner || i >= x->ncap)
		ov = NULL;
	else
		ov = pcre2_get_ovector_pointer(md);
	if (ov == NULL || ov[2 * i] == PCRE2_UNSET ||
	    ov[2 * i + 1] < ov[2 * i]) {
		*so = *eo = 0;
		return 0;
	}
	*so = ov[2 * i];
	*eo = ov[2 * i + 1];
	return 1;
}

const char *
regex_why(void)
{
	switch (last_error) {
	case PCRE2_ERROR_MATCHLIMIT:
		return "the match limit was reached";
	case PCRE2_ERROR_DEPTHLIMIT:
		return "the backtracking depth limit was reached";
	case PCRE2_ERROR_HEAPLIMIT:
		return "the heap limit was reached";
	case PCRE2_ERROR_NOMEMORY:
		return "out of memory";
	case NO_TIME_ERROR:
		return "the time for matching ran out";
	default:
		return "the regular expression library failed";
	}
}
