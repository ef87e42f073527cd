/*
 * literal.c: required literals of a pattern, read off its source with a
 * small reader of PCRE2 syntax.  The reader only ever has to be right in
 * one direction: what it calls required must be in every match.  So any
 * construct it does not follow ends the current run of characters (or,
 * where it could change how later characters read, gives up on the
 * pattern), and a character followed by a quantifier that may repeat it
 * zero times is dropped from its run.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../message/bytepairs.h"
#include "literal.h"

/*
 * Bytes from rare to common in mail text: the search starts at the
 * rarest byte of a literal, so that few places need a full compare.
 */
static const char rare_to_common[] =
    "`~^|\\{}[]<>!#$%&*+=?@;\"'_/()"
    "0123456789"
    "zqjxkvbpgwyfmcuhldrsnioate-:,. ";

/* ranks[c]: where c stands in rare_to_common, either case. */
static unsigned char	 ranks[256];

/* Made once, before the first pattern is read. */
static void
make_ranks(void)
{
	size_t i;

	for (i = 0; rare_to_common[i] != '\0'; i++) {
		ranks[(unsigned char)rare_to_common[i]] = (unsigned char)i;
		if (rare_to_common[i] >= 'a' && rare_to_common[i] <= 'z')
			ranks[(unsigned char)rare_to_common[i] - ('a' - 'A')] =
			    (unsigned char)i;
	}
}

static int
rank(unsigned char c)
{
	return ranks[c];
}

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

#define BAIL	((size_t)-1)

/* Past the closing byte close from i, or BAIL. */
static size_t
skip_to(const char *re, size_t len, size_t i, char close)
{
	const char *p = memchr(re + i, close, len - i);

	return p != NULL ? (size_t)(p - re) + 1 : BAIL;
}

/* Past an escape \X with X alphanumeric starting at i, or BAIL. */
static size_t
skip_escape(const char *re, size_t len, size_t i)
{
	char d = re[i + 1];

	i += 2;
	switch (d) {
	case 'Q':
		return BAIL;		/* quoting: not followed */
	case 'x':
		if (i < len && re[i] == '{')
			return skip_to(re, len, i, '}');
		/* \xHH: its digits, and any alnum after them, skipped */
		while (i < len && is_alnum((unsigned char)re[i]))
			i++;
		return i;
	case 'o': case 'N': case 'p': case 'P': case 'g': case 'k':
		if (i < len && (re[i] == '{' || re[i] == '<' || re[i] == '\''))
			return skip_to(re, len, i + 1,
			    re[i] == '{' ? '}' : re[i] == '<' ? '>' : '\'');
		if (d == 'p' || d == 'P')
			return i < len ? i + 1 : BAIL;
		while (i < len && (is_alnum((unsigned char)re[i]) ||
		    re[i] == '-' || re[i] == '+'))
			i++;
		return i;
	case 'c':
		return i < len ? i + 1 : BAIL;
	default:
		while (d >= '0' && d <= '9' && i < len && re[i] >= '0' &&
		    re[i] <= '9')
			i++;
		return i;
	}
}

/* Past the escape at i (re[i] == '\\'), whatever follows, or BAIL. */
static size_t
skip_any_escape(const char *re, size_t len, size_t i)
{
	if (i + 1 >= len)
		return BAIL;
	if (is_alnum((unsigned char)re[i + 1]))
		return skip_escape(re, len, i);
	return i + 2;
}

/* Past a class [...] starting at i, or BAIL. */
static size_t
skip_class(const char *re, size_t len, size_t i)
{
	i++;
	if (i < len && re[i] == '^')
		i++;
	if (i < len && re[i] == ']')
		i++;
	while (i < len) {
		if (re[i] == ']')
			return i + 1;
		if (re[i] == '\\') {
			if ((i = skip_any_escape(re, len, i)) == BAIL)
				return BAIL;
			continue;
		}
		if (re[i] == '[' && i + 1 < len && (re[i + 1] == ':' ||
		    re[i + 1] == '.' || re[i + 1] == '=')) {
			const char *p = memchr(re + i + 2, ']', len - i - 2);

			if (p == NULL)
				return BAIL;
			i = (size_t)(p - re) + 1;
			continue;
		}
		i++;
	}
	return BAIL;
}

/*
 * Past a quantifier {n}, {n,}, {n,m} (spaces allowed, as newer PCRE2
 * reads them) at i, or i itself when the brace is a plain character.
 */
static size_t
skip_braces(const char *re, size_t len, size_t i)
{
	size_t k;

	for (k = i + 1; k < len && ((re[k] >= '0' && re[k] <= '9') ||
	    re[k] == ',' || re[k] == ' ' || re[k] == '\t'); k++)
		;
	return k < len && re[k] == '}' ? k + 1 : i;
}

/*
 * Anything that changes how the rest of the pattern reads, wherever it
 * stands: (*ACCEPT) and the other verbs, \Q quoting, option settings
 * such as (?x), comments.  Looked for as bare text, escapes or not.
 */
static int
in_doubt(const char *re, size_t len)
{
	const char *p;
	size_t i;
	unsigned char c;

	/* each '(' and each backslash, found by memchr */
	for (i = 0; (p = memchr(re + i, '\\', len - i)) != NULL; ) {
		i = (size_t)(p - re) + 1;
		if (i < len && re[i] == 'Q')
			return 1;
	}
	for (i = 0; (p = memchr(re + i, '(', len - i)) != NULL; ) {
		i = (size_t)(p - re) + 1;
		if (i < len && re[i] == '*')
			return 1;
		if (i + 1 >= len || re[i] != '?')
			continue;
		c = (unsigned char)re[i + 1];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '-' || c == '^' || c == '#')
			return 1;
	}
	return 0;
}

/* Does the group opening at i change how what follows reads? */
static int
group_in_doubt(const char *re, size_t len, size_t i)
{
	unsigned char c;

	if (i + 1 >= len)
		return 1;
	if (re[i + 1] == '*')
		return 1;		/* (*VERB), (*ACCEPT) */
	if (re[i + 1] != '?' || i + 2 >= len)
		return 0;
	c = (unsigned char)re[i + 2];
	/* (?i), (?x), (?#...), (?-s), (?^), (?P..), (?C..), (?R) */
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
	    c == '^' || c == '#';
}

/* Past the group opening at i, with what it nests, or BAIL. */
static size_t
skip_group(const char *re, size_t len, size_t i)
{
	unsigned depth = 0;

	while (i < len) {
		switch (re[i]) {
		case '\\':
			if ((i = skip_any_escape(re, len, i)) == BAIL)
				return BAIL;
			continue;
		case '[':
			if ((i = skip_class(re, len, i)) == BAIL)
				return BAIL;
			continue;
		case '(':
			if (group_in_doubt(re, len, i))
				return BAIL;
			depth++;
			break;
		case ')':
			if (--depth == 0)
				return i + 1;
			break;
		}
		i++;
	}
	return BAIL;
}

static size_t
rarest(const char *s, size_t n)
{
	size_t i, at = 0;

	for (i = 1; i < n; i++)
		if (rank((unsigned char)s[i]) < rank((unsigned char)s[at]))
			at = i;
	return at;
}

/* How good s[0, n) is to search for: lower is better; *at its rarest byte. */
static int
score(const char *s, size_t n, size_t *at)
{
	*at = rarest(s, n);
	return rank((unsigned char)s[*at]) - 3 * (int)(n < 8 ? n : 8);
}

/* One term of an alternative: one of its strings must be there. */
struct term {
	struct literal	 v[LIT_MAX];
	unsigned	 n;
	int		 score;		/* lower is better */
};

/* The run being read and the best terms of the alternative so far. */
struct reader {
	char		 cur[LIT_LEN];
	size_t		 curlen;
	int		 caseless;
	struct term	 t[LIT_TERMS];
	unsigned	 nt;
};

/*
 * Where a term of score belongs among the alternative's best LIT_TERMS:
 * a free slot, the worst kept term's when it is worse, or NULL.  Terms
 * are big (LIT_MAX strings), so they are written in place, not copied.
 */
static struct term *
slot_for(struct reader *rd, int score)
{
	unsigned i, worst = 0;

	if (rd->nt < LIT_TERMS)
		return &rd->t[rd->nt++];
	for (i = 1; i < rd->nt; i++)
		if (rd->t[i].score > rd->t[worst].score)
			worst = i;
	return score < rd->t[worst].score ? &rd->t[worst] : NULL;
}

/* Keep term t among the alternative's best LIT_TERMS. */
static void
add_term(struct reader *rd, const struct term *t)
{
	struct term *to = slot_for(rd, t->score);

	if (to == NULL)
		return;
	to->n = t->n;
	to->score = t->score;
	memcpy(to->v, t->v, t->n * sizeof(t->v[0]));
}

/* The run ends: it is a term of one string. */
static void
end_run(struct reader *rd)
{
	struct term *t;
	size_t at;
	int sc;

	if (rd->curlen == 0)
		return;
	sc = score(rd->cur, rd->curlen, &at);
	if ((t = slot_for(rd, sc)) != NULL) {
		t->score = sc;
		t->n = 1;
		memcpy(t->v[0].s, rd->cur, rd->curlen);
		t->v[0].len = (unsigned char)rd->curlen;
		t->v[0].at = (unsigned char)at;
		t->v[0].alt = t->v[0].term = 0;
	}
	rd->curlen = 0;
}

/* A plain character of the pattern that matches only itself. */
static int
plain(const struct reader *rd, unsigned char c)
{
	if (c >= 0x80)
		return 0;
	/*
	 * caseless k and s match the Kelvin sign and the long s too; c |
	 * 0x20 is 'k' for K and k alone, 's' for S and s alone
	 */
	if (rd->caseless && ((c | 0x20) == 'k' || (c | 0x20) == 's'))
		return 0;
	return 1;
}

/*
 * A byte that stands for itself in a pattern, outside a class, whatever
 * follows it: not one of \\ ^ $ . [ ] | ( ) ? * + { }, not a control
 * character, not the start of a non-ASCII character.
 */
static int
run_byte(unsigned char c)
{
	static const unsigned char special[128] = {
		['\\'] = 1, ['^'] = 1, ['$'] = 1, ['.'] = 1, ['['] = 1,
		[']'] = 1, ['|'] = 1, ['('] = 1, [')'] = 1, ['?'] = 1,
		['*'] = 1, ['+'] = 1, ['{'] = 1, ['}'] = 1,
	};

	return c >= ' ' && c < 0x7f && !special[c];
}

/* May c, right after an atom, make it optional or repeat it? */
static int
quantifier(unsigned char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/* Groups nested deeper than this are not looked into. */
#define GROUP_DEPTH	3

static void literals_in_text(const char *, size_t, int, struct literals *,
    int);

/*
 * A group the alternative must match, re[from, to) with its parentheses.
 * With one alternative inside, its terms are terms of this one; with
 * more, one string of each (its best term's first) makes a term.
 */
static void
group_terms(struct reader *rd, const char *re, size_t from, size_t to,
    int depth)
{
	struct literals g;
	struct term t;
	size_t at;
	unsigned k, alts;
	int one;

	from++;
	to--;
	if (depth >= GROUP_DEPTH || to <= from)
		return;
	if (re[from] == '?') {
		if (to - from < 2 || re[from + 1] != ':')
			return;		/* lookaround, named, atomic... */
		from += 2;
	}
	literals_in_text(re + from, to - from, rd->caseless, &g, depth + 1);
	if (g.n == 0)
		return;
	alts = g.v[g.n - 1].alt + 1u;
	t.n = 0;
	t.score = 0;
	for (k = 0; k < g.n; k++) {
		if (alts == 1) {
			/* each term of the one alternative on its own */
			if (k > 0 && g.v[k].term != g.v[k - 1].term) {
				add_term(rd, &t);
				t.n = 0;
				t.score = 0;
			}
		} else if (k > 0 && g.v[k].alt == g.v[k - 1].alt) {
			continue;	/* one string an alternative */
		}
		one = score(g.v[k].s, g.v[k].len, &at);
		if (t.n == 0 || one + 2 * (int)t.n > t.score)
			t.score = one + 2 * (int)t.n;
		t.v[t.n++] = g.v[k];
	}
	add_term(rd, &t);
}

/* The alternative ends: its terms into lits; 0 if it has none. */
static int
end_alternative(struct reader *rd, struct literals *lits, unsigned alt)
{
	unsigned i, k, order[LIT_TERMS];

	end_run(rd);
	if (rd->nt == 0)
		return 0;
	/*
	 * The best term first: literals_in() stops at the first missing.
	 * An order of indices is sorted, not the (big) terms.
	 */
	for (i = 0; i < rd->nt; i++)
		order[i] = i;
	for (i = 1; i < rd->nt; i++)
		for (k = i; k > 0 && rd->t[order[k]].score <
		    rd->t[order[k - 1]].score; k--) {
			unsigned swap = order[k];

			order[k] = order[k - 1];
			order[k - 1] = swap;
		}
	for (i = 0; i < rd->nt; i++) {
		const struct term *t = &rd->t[order[i]];

		if (lits->n + t->n > LIT_MAX)
			break;		/* fewer terms: still all required */
		for (k = 0; k < t->n; k++) {
			lits->v[lits->n] = t->v[k];
			lits->v[lits->n].alt = (unsigned char)alt;
			lits->v[lits->n].term = (unsigned char)i;
			lits->n++;
		}
	}
	if (i == 0)
		return 0;
	rd->nt = 0;
	return 1;
}

void
literals_of(const char *re, size_t len, int caseless, struct literals *lits)
{
	/* n and v[0, n) are all that is read: v[] is not cleared */
	lits->n = 0;
	lits->caseless = caseless;
	if (ranks['e'] == 0)
		make_ranks();
	if (in_doubt(re, len))
		return;
	literals_in_text(re, len, caseless, lits, 0);
}

static void
literals_in_text(const char *re, size_t len, int caseless,
    struct literals *lits, int depth)
{
	struct reader rd;
	size_t i = 0, next, group = 0;
	unsigned alt = 0;
	int lit, c;

	lits->n = 0;
	lits->caseless = caseless;
	/* only these are read before written: the terms are big */
	rd.curlen = 0;
	rd.nt = 0;
	rd.caseless = caseless;
	for (;;) {
		if (i >= len || re[i] == '|') {
			if (alt > 255 || !end_alternative(&rd, lits, alt++))
				goto none;
			if (i >= len)
				return;
			i++;
			continue;
		}
		/*
		 * The common case first: a run of letters, digits and
		 * punctuation without meaning, none with a quantifier,
		 * is taken a byte at a time without the reading below.
		 */
		if (i + 1 < len && run_byte((unsigned char)re[i]) &&
		    !quantifier((unsigned char)re[i + 1]) &&
		    plain(&rd, (unsigned char)re[i])) {
			do {
				if (rd.curlen == LIT_LEN)
					end_run(&rd);
				rd.cur[rd.curlen++] = re[i++];
			} while (i + 1 < len &&
			    run_byte((unsigned char)re[i]) &&
			    !quantifier((unsigned char)re[i + 1]) &&
			    plain(&rd, (unsigned char)re[i]));
			continue;
		}
		group = (size_t)-1;
		/* One atom: a plain character c (lit) or anything else. */
		lit = 0;
		c = (unsigned char)re[i];
		switch (c) {
		case '\\':
			if (i + 1 >= len)
				goto none;
			if (is_alnum((unsigned char)re[i + 1])) {
				next = skip_escape(re, len, i);
			} else if ((unsigned char)re[i + 1] < 0x80) {
				c = (unsigned char)re[i + 1];
				lit = plain(&rd, (unsigned char)c);
				next = i + 2;
			} else {
				next = i + 1;
			}
			break;
		case '[':
			next = skip_class(re, len, i);
			break;
		case '(':
			if (group_in_doubt(re, len, i))
				goto none;
			next = skip_group(re, len, i);
			group = i;
			break;
		case ')': case '*': case '+': case '?':
			goto none;	/* not a pattern PCRE2 takes */
		case '{':
			next = skip_braces(re, len, i);
			if (next == i)
				next = i + 1;	/* a plain brace, read as other */
			break;
		case '.': case '^': case '$':
			next = i + 1;
			break;
		default:
			lit = plain(&rd, (unsigned char)c);
			next = i + 1;
			/* a non-ASCII character is one atom */
			while (c >= 0x80 && next < len &&
			    ((unsigned char)re[next] & 0xc0) == 0x80)
				next++;
			break;
		}
		if (next == BAIL)
			goto none;
		i = next;
		/* Its quantifier, if any. */
		if (i < len && (re[i] == '?' || re[i] == '*' ||
		    (re[i] == '{' && skip_braces(re, len, i) > i))) {
			/* may match zero times ({n,m}: taken as if it might) */
			i = re[i] == '{' ? skip_braces(re, len, i) : i + 1;
			if (i < len && (re[i] == '?' || re[i] == '+'))
				i++;
			end_run(&rd);
			continue;
		}
		if (group != (size_t)-1)
			group_terms(&rd, re, group, i, depth);
		if (i < len && re[i] == '+') {
			/* at least once: it ends the run it is in */
			i++;
			if (i < len && (re[i] == '?' || re[i] == '+'))
				i++;
			if (lit && rd.curlen < LIT_LEN)
				rd.cur[rd.curlen++] = (char)c;
			end_run(&rd);
			continue;
		}
		if (!lit) {
			end_run(&rd);
			continue;
		}
		if (rd.curlen == LIT_LEN)
			end_run(&rd);
		rd.cur[rd.curlen++] = (char)c;
	}
none:
	lits->n = 0;
}

/* A class [...] at i of plain ASCII members; past it, or BAIL. */
static size_t
plain_class(const char *re, size_t len, size_t i)
{
	int first = 1, lo, hi, single;

	if (++i < len && re[i] == '^')
		i++;
	/* [:alpha:] outside a class is an error; [= and [. are kept for it */
	if (i < len && (re[i] == ':' || re[i] == '.' || re[i] == '='))
		return BAIL;
	for (;;) {
		if (i >= len || (unsigned char)re[i] >= 0x80 || re[i] == '[')
			return BAIL;
		if (re[i] == ']' && !first)
			return i + 1;
		first = 0;
		single = 1;
		lo = (unsigned char)re[i];
		if (re[i] == '\\') {
			if (i + 1 >= len || (unsigned char)re[i + 1] >= 0x80)
				return BAIL;
			lo = (unsigned char)re[i + 1];
			if (is_alnum((unsigned char)lo)) {
				if (strchr("dDsSwW", lo) == NULL)
					return BAIL;
				single = 0;	/* a set: no range from it */
			}
			i++;
		}
		i++;
		if (i + 1 < len && re[i] == '-' && re[i + 1] != ']') {
			hi = (unsigned char)re[i + 1];
			if (!single || hi == '\\' || hi == '[' || hi >= 0x80 ||
			    hi < lo)
				return BAIL;
			i += 2;
		}
	}
}

/* A quantifier {n}, {n,}, {n,m} at i, n <= m <= 65535; past it, or BAIL. */
static size_t
plain_braces(const char *re, size_t len, size_t i)
{
	unsigned long n[2] = { 0, 0 };
	int k = 0, digits = 0, comma = 0;

	for (i++; i < len && re[i] != '}'; i++) {
		if (re[i] >= '0' && re[i] <= '9') {
			n[k] = n[k] * 10 + (unsigned long)(re[i] - '0');
			if (n[k] > 65535)
				return BAIL;
			digits |= 1 << k;
		} else if (re[i] == ',' && !comma) {
			comma = 1;
			k = 1;
		} else {
			return BAIL;
		}
	}
	if (i >= len || (digits & 1) == 0 || (comma && (digits & 2) &&
	    n[1] < n[0]))
		return BAIL;
	return i + 1;
}

int
literals_compiles(const char *re, size_t len)
{
	size_t i = 0;
	unsigned depth = 0;
	int rep = 0;		/* the last atom can take a quantifier */
	unsigned char c, d;

	if (len > 4096)
		return 0;
	while (i < len) {
		c = (unsigned char)re[i];
		if (run_byte(c)) {
			/* a run of plain characters, taken at once */
			while (++i < len && run_byte((unsigned char)re[i]))
				;
			rep = 1;
			continue;
		}
		switch (c) {
		case '\\':
			if (i + 1 >= len || (d = (unsigned char)re[i + 1]) >= 0x80)
				return 0;
			if (is_alnum(d) && strchr("dDsSwWbBntrfe", d) == NULL)
				return 0;
			rep = d != 'b' && d != 'B';
			i += 2;
			continue;
		case '[':
			if ((i = plain_class(re, len, i)) == BAIL)
				return 0;
			rep = 1;
			continue;
		case '(':
			if (i + 1 < len && re[i + 1] == '?') {
				if (i + 2 >= len || re[i + 2] != ':')
					return 0;
				i += 2;
			}
			depth++;
			rep = 0;
			break;
		case ')':
			if (depth == 0)
				return 0;
			depth--;
			rep = 1;
			break;
		case '|': case '^': case '$':
			rep = 0;
			break;
		case '?': case '*': case '+': case '{':
			if (!rep)
				return 0;
			if (c == '{' && (i = plain_braces(re, len, i)) == BAIL)
				return 0;
			if (c != '{')
				i++;
			if (i < len && (re[i] == '?' || re[i] == '+'))
				i++;
			rep = 0;
			continue;
		default:
			if (c >= 0x80)
				return 0;
			rep = 1;
			break;
		}
		i++;
	}
	return depth == 0;
}

static int
same(const char *a, const char *b, size_t n, int caseless)
{
	size_t i;

	if (!caseless)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
 * Caseless, where the literal's bytes are common in s: two of its bytes,
 * the rarest (at) and one at the other end, are compared at 16 start
 * positions at once, each folded to lower case when it is a letter (the
 * literal holds ASCII only, so OR-ing 0x20 into a byte equals it to a
 * lower-case letter exactly when the byte is that letter in either
 * case); only where both agree is the whole literal compared.
 */
static int
caseless_dense(const char *lit, size_t len, size_t at, const char *s,
    size_t n)
{
	size_t i = 0, other = at == len - 1 ? 0 : len - 1;
	int c1 = lower((unsigned char)lit[at]);
	int c2 = lower((unsigned char)lit[other]);
	int f1 = c1 >= 'a' && c1 <= 'z' ? 0x20 : 0;
	int f2 = c2 >= 'a' && c2 <= 'z' ? 0x20 : 0;

	if (n < len)
		return 0;
#ifdef __SSE2__
	const __m128i v1 = _mm_set1_epi8((char)c1), m1 = _mm_set1_epi8((char)f1);
	const __m128i v2 = _mm_set1_epi8((char)c2), m2 = _mm_set1_epi8((char)f2);
	unsigned bits;

	/* starts i .. i + 15, the last of them at most n - len */
	for (; i + 16 <= n - len + 1; i += 16) {
		bits = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(s + i + at)), m1), v1),
		    _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(s + i + other)), m2), v2)));
		for (; bits != 0; bits &= bits - 1)
			if (same(s + i + (unsigned)__builtin_ctz(bits), lit, len,
			    1))
				return 1;
	}
#endif
	for (; i + len <= n; i++)
		if ((((unsigned char)s[i + at] | f1) == c1) &&
		    (((unsigned char)s[i + other] | f2) == c2) &&
		    same(s + i, lit, len, 1))
			return 1;
	return 0;
}

/*
 * Caseless: is lit[0, len) in s[0, n)?  Its rarest byte first, in
 * either case (two memchr runs, each picked up where it stopped), then
 * the whole literal around it.  memchr is fastest while that byte is
 * rare in s; once it has stopped at more than one place in 64 bytes,
 * the rest of s is searched by caseless_dense().
 */
static int
caseless_in(const char *lit, size_t len, size_t at, const char *s, size_t n)
{
	const char *lim, *f1, *f2, *p;
	size_t misses = 0;
	int c1, c2;

	c1 = lower((unsigned char)lit[at]);
	c2 = c1 >= 'a' && c1 <= 'z' ? c1 - ('a' - 'A') : c1;
	p = s + at;
	lim = s + n - (len - 1 - at);	/* the anchor lies before lim */
	f1 = memchr(p, c1, (size_t)(lim - p));
	f2 = c2 != c1 ? memchr(p, c2, (size_t)(lim - p)) : NULL;
	while (f1 != NULL || f2 != NULL) {
		p = f2 == NULL || (f1 != NULL && f1 < f2) ? f1 : f2;
		if (same(p - at, lit, len, 1))
			return 1;
		if (++misses > 4 && (size_t)(p - s) < misses * 64)
			return caseless_dense(lit, len, at, p - at + 1,
			    (size_t)(s + n - (p - at + 1)));
		if (p == f1)
			f1 = memchr(p + 1, c1, (size_t)(lim - p - 1));
		else
			f2 = memchr(p + 1, c2, (size_t)(lim - p - 1));
	}
	return 0;
}

/* Are all of lit's pairs among pairs?  Else lit is surely not there. */
static int
pairs_may(const struct byte_pairs *pairs, const char *lit, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (!byte_pairs_may(pairs, (unsigned char)lit[i],
		    (unsigned char)lit[i + 1]))
			return 0;
	return 1;
}

static int
one_in(const char *lit, size_t len, size_t at, int caseless, const char *s,
    size_t n, const struct byte_pairs *pairs)
{
	if (n < len)
		return 0;
	if (pairs != NULL && !pairs_may(pairs, lit, len))
		return 0;
	if (!caseless)
		return memmem(s, n, lit, len) != NULL;
	return caseless_in(lit, len, at, s, n);
}

int
literals_in(const struct literals *lits, const char *s, size_t n,
    const struct byte_pairs *pairs)
{
	const struct literal *v = lits->v;
	unsigned i = 0, k, alt, term;
	int term_ok, alt_ok;

	if (lits->n == 0)
		return 1;
	/* v[] runs by alternative, then by term within it */
	while (i < lits->n) {
		alt = v[i].alt;
		alt_ok = 1;
		k = i;
		while (k < lits->n && v[k].alt == alt) {
			term = v[k].term;
			term_ok = 0;
			for (; k < lits->n && v[k].alt == alt &&
			    v[k].term == term; k++)
				if (alt_ok && !term_ok && one_in(v[k].s,
				    v[k].len, v[k].at, lits->caseless, s, n,
				    pairs))
					term_ok = 1;
			alt_ok = alt_ok && term_ok;
		}
		if (alt_ok)
			return 1;
		i = k;
	}
	return 0;
}
