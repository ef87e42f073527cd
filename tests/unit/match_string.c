/*
 * match_string.c: x =~ /re/ and the string form of foreach, on
 * hand-built pattern nodes, so the matcher is tested without the parser.
 * Expected values were checked against maildrop 2.9.3 where it agrees
 * with 4.x (LANGUAGE.md §5.3, §5.4, DIFFERENCES.md A2).
 */
#include <stdio.h>
#include <string.h>

#include "../../grammar/arena.h"
#include "../../interp/pattern/match.h"
#include "../../interp/pattern/regex.h"
#include "../../interp/run/vars.h"
#include "unit.h"

/* A pattern node as the parser makes it. */
static struct expr *
pat(const char *re, unsigned flags, int weighted, double w, double f)
{
	static struct pattern pats[64];
	static struct expr exprs[64];
	static size_t n;
	struct pattern *p = &pats[n];
	struct expr *e = &exprs[n++];

	p->re = re;
	p->relen = strlen(re);
	p->opts = "";
	p->flags = flags;
	p->weighted = weighted;
	p->weight = w;
	p->factor = f;
	e->kind = E_MATCH;
	e->pat = p;
	e->pos.file = "t";
	e->pos.line = 1;
	e->pos.col = 1;
	return e;
}

/* The node of a pattern with $ substitution, as the parser marks it. */
static struct expr *
dollar(struct expr *e)
{
	e->pat->has_dollar = 1;
	return e;
}

static const char *
run_match(struct run *r, struct expr *e, const char *s)
{
	static struct buf out;
	struct buf subj = BUF_INIT;
	enum flow f;

	buf_reset(&out);
	buf_set(&subj, s, strlen(s));
	f = match_string(r, e, &subj, &out);
	buf_free(&subj);
	if (f != FLOW_NEXT)
		return "(fail)";
	return buf_cstr(&out);
}

static const char *
var(struct run *r, const char *name)
{
	return vars_str(r->vars, name);
}

int
main(void)
{
	struct run r;
	struct match_set set = { NULL, 0, 0, 0 };
	struct expr *e;
	struct buf all = BUF_INIT, subj = BUF_INIT;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.vars = vars_new();
	arena_init(&r.scratch);

	unit_str("unweighted hit",
	    run_match(&r, pat("b(c)", 0, 0, 1, 1), "abcd"), "1");
	unit_str("MATCH", var(&r, "MATCH"), "bc");
	unit_str("MATCH1", var(&r, "MATCH1"), "c");
	unit_str("miss", run_match(&r, pat("zz(z)", 0, 0, 1, 1), "abcd"), "0");
	unit_str("miss keeps MATCH", var(&r, "MATCH"), "bc");
	unit_str("caseless by default",
	    run_match(&r, pat("HELLO", 0, 0, 1, 1), "say hello"), "1");
	unit_str("D is case sensitive",
	    run_match(&r, pat("HELLO", PAT_D, 0, 1, 1), "say hello"), "0");
	unit_str("unmatched group is empty",
	    run_match(&r, pat("(x)?(b)", 0, 0, 1, 1), "abc"), "1");
	unit_str("MATCH1 empty", var(&r, "MATCH1"), "");
	unit_str("MATCH2", var(&r, "MATCH2"), "b");
	unit_str("weighted counts every match",
	    run_match(&r, pat("ab", 0, 1, 1, 1), "abab"), "2");
	unit_str("weighted does not set MATCH", var(&r, "MATCH"), "b");
	unit_str("weighted with factor",
	    run_match(&r, pat("a", 0, 1, 2, 0.5), "aaa"), "3.5");
	unit_str("weighted miss", run_match(&r, pat("q", 0, 1, 2, 0.5), "aaa"),
	    "0");
	unit_str("empty match ends",
	    run_match(&r, pat("x*", 0, 1, 1, 1), "abc"), "4");
	unit_str("UTF-8 caseless",
	    run_match(&r, pat("CAFÉ", 0, 0, 1, 1), "un café"), "1");
	unit_str("dot is a character",
	    run_match(&r, pat("^h.llo$", 0, 0, 1, 1), "héllo"), "1");
	unit_str("invalid UTF-8 subject",
	    run_match(&r, pat("b+", 0, 0, 1, 1), "a\xff\xfe bbb"), "1");
	unit_str("MATCH after invalid bytes", var(&r, "MATCH"), "bbb");
	unit_str("newline inside subject",
	    run_match(&r, pat("^two", 0, 0, 1, 1), "one\ntwo"), "0");

	/* foreach (s) =~ /re/: each search starts at the last match end. */
	e = pat("([a-z])([0-9])", 0, 0, 1, 1);
	buf_set(&subj, "a1 b2 c3", 8);
	buf_mark(&subj, 3, 2);		/* "b2" came from the message */
	if (match_collect(&r, e, &subj, &set) != FLOW_NEXT)
		unit_check(0, "collect", "not FLOW_NEXT");
	for (i = 0; i < set.n; i++) {
		buf_add(&all, set.v[i].caps[0].p, set.v[i].caps[0].len);
		buf_addc(&all, '/');
		buf_add(&all, set.v[i].caps[2].p, set.v[i].caps[2].len);
		buf_addc(&all, ' ');
	}
	unit_str("collect string", buf_cstr(&all), "a1/1 b2/2 c3/3 ");
	match_set_vars(&r, &set.v[1]);
	unit_str("set_vars MATCH", var(&r, "MATCH"), "b2");
	unit_str("set_vars MATCH1", var(&r, "MATCH1"), "b");
	unit_str("marks follow the subject",
	    buf_marked(vars_get(r.vars, "MATCH2", 6)) ? "marked" : "clean",
	    "marked");
	match_set_vars(&r, &set.v[0]);
	unit_str("unmarked subject, unmarked MATCH",
	    buf_marked(vars_get(r.vars, "MATCH", 5)) ? "marked" : "clean",
	    "clean");
	match_set_free(&set);
	buf_set(&subj, "ab", 2);
	unit_check(match_collect(&r, pat("x*", 0, 0, 1, 1), &subj,
	    &set) == FLOW_NEXT && set.n == 3, "collect empty matches", "%zu",
	    set.n);
	match_set_free(&set);

	/* The limit: catastrophic backtracking gives up instead of hanging. */
	{
		struct buf err = BUF_INIT, s = BUF_INIT;
		struct regex *x = regex_compile("^(\\w+\\s?)*$", 11, REGEX_JIT,
		    &err);

		for (i = 0; i < 40; i++)
			buf_addc(&s, 'a');
		buf_addc(&s, '!');
		if (x == NULL)
			unit_check(0, "limit gives up", "%s", err.p);
		else
			unit_check(regex_exec(x, s.p, s.len, 0) == -1,
			    "limit gives up", "the match did not give up");
		regex_free(x);
		x = regex_compile("hel(lo", 6, 0, &err);
		unit_str("invalid regex text", x ? "compiled" : err.p,
		    "Invalid regular expression, offset 6 of: hel(lo: "
		    "missing closing parenthesis");
		buf_free(&err);
		buf_free(&s);
	}
	/* A pattern used often enough gets JIT code and still matches. */
	{
		struct buf err = BUF_INIT;
		struct regex *x = regex_compile("b(c)", 4, REGEX_JIT, &err);
		int hits = 0;

		for (i = 0; x != NULL && i < 2 * REGEX_JIT_AFTER; i++)
			hits += regex_exec(x, "abcd", 4, 0);
		unit_str("JIT keeps matching", hits == 2 * REGEX_JIT_AFTER ?
		    "yes" : "no", "yes");
		if (x != NULL && x->jit)
			unit_pass(unit_name("JIT compiled after %d uses",
			    REGEX_JIT_AFTER));
		else
			unit_skip("JIT compiled", "PCRE2 has no JIT here");
		regex_free(x);
		buf_free(&err);
	}

	/*
	 * The first-byte shortcut for anchored patterns never rejects what
	 * PCRE2 would match: caseless letters, the Kelvin sign for k, an
	 * inline (?i) in a case-sensitive pattern, a later start offset.
	 */
	{
		static const struct {
			const char *re, *subject;
			unsigned how;
			size_t start;
			int want;
		} t[] = {
			{ "^List-Id:", "list-id: x", 0, 0, 1 },
			{ "^List-Id:", "Sender: x", 0, 0, 0 },
			{ "^List-Id:", "", 0, 0, 0 },
			{ "^k", "\xE2\x84\xAA", 0, 0, 1 },
			{ "^(?i)l", "L", REGEX_CASE, 0, 1 },
			{ "^L", "l", REGEX_CASE, 0, 0 },
			{ "^b", "ab", REGEX_VALID_UTF8, 1, 0 },
			{ "\\Gb", "ab", REGEX_VALID_UTF8, 1, 1 },
			{ "\\Gb", "aa", REGEX_VALID_UTF8, 1, 0 },
			{ "^b", "ba", REGEX_VALID_UTF8, 1, 0 },
		};
		struct buf err = BUF_INIT;
		struct regex *x;
		size_t k;
		int got;

		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
			x = regex_compile(t[k].re, strlen(t[k].re), t[k].how,
			    &err);
			got = x != NULL ? regex_exec(x, t[k].subject,
			    strlen(t[k].subject), t[k].start) : -2;
			unit_check(got == t[k].want, unit_name("anchored first "
			    "byte: /%s/ on \"%s\" at %zu", t[k].re,
			    t[k].subject, t[k].start), "got %d, want %d", got,
			    t[k].want);
			regex_free(x);
		}
		buf_free(&err);
	}

	/* --check's question: does a pattern compile, and where not? */
	{
		struct buf why = BUF_INIT;
		size_t off = 0;

		unit_str("match_check good",
		    match_check(pat("a(b)c", 0, 0, 1, 1)->pat, 0, &why, &off) ?
		    "bad" : "ok", "ok");
		unit_str("match_check bad",
		    match_check(pat("ab[z-a]", 0, 0, 1, 1)->pat, 0, &why,
		    &off) ? buf_cstr(&why) : "ok",
		    "range out of order in character class");
		unit_str("match_check offset", off == 5 ? "5" : "other", "5");
		unit_str("match_check skips $",
		    match_check(dollar(pat("[$X", 0, 0, 1, 1))->pat, 0, &why,
		    &off) ?
		    "bad" : "ok", "ok");
		buf_free(&why);
	}
	buf_free(&all);
	buf_free(&subj);
	vars_free(r.vars);
	return unit_done();
}
