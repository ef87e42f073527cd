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

static int failures;

static void
check(const char *name, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		printf("PASS %s\n", name);
	else {
		printf("FAIL %s: got \"%s\", want \"%s\"\n", name, got, want);
		failures++;
	}
}

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

static const char *
run_match(struct run *r, struct expr *e, const char *s)
{
	static struct buf out;

	buf_reset(&out);
	if (match_string(r, e, s, strlen(s), &out) != FLOW_NEXT)
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
	struct match_set set = { NULL, 0, 0 };
	struct expr *e;
	struct buf all = BUF_INIT;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.vars = vars_new();
	arena_init(&r.scratch);

	check("unweighted hit", run_match(&r, pat("b(c)", 0, 0, 1, 1),
	    "abcd"), "1");
	check("MATCH", var(&r, "MATCH"), "bc");
	check("MATCH1", var(&r, "MATCH1"), "c");
	check("miss", run_match(&r, pat("zz(z)", 0, 0, 1, 1), "abcd"), "0");
	check("miss keeps MATCH", var(&r, "MATCH"), "bc");
	check("caseless by default",
	    run_match(&r, pat("HELLO", 0, 0, 1, 1), "say hello"), "1");
	check("D is case sensitive",
	    run_match(&r, pat("HELLO", PAT_D, 0, 1, 1), "say hello"), "0");
	check("unmatched group is empty",
	    run_match(&r, pat("(x)?(b)", 0, 0, 1, 1), "abc"), "1");
	check("MATCH1 empty", var(&r, "MATCH1"), "");
	check("MATCH2", var(&r, "MATCH2"), "b");
	check("weighted counts every match",
	    run_match(&r, pat("ab", 0, 1, 1, 1), "abab"), "2");
	check("weighted does not set MATCH", var(&r, "MATCH"), "b");
	check("weighted with factor",
	    run_match(&r, pat("a", 0, 1, 2, 0.5), "aaa"), "3.5");
	check("weighted miss", run_match(&r, pat("q", 0, 1, 2, 0.5), "aaa"),
	    "0");
	check("empty match ends",
	    run_match(&r, pat("x*", 0, 1, 1, 1), "abc"), "4");
	check("UTF-8 caseless",
	    run_match(&r, pat("CAFÉ", 0, 0, 1, 1), "un café"), "1");
	check("dot is a character",
	    run_match(&r, pat("^h.llo$", 0, 0, 1, 1), "héllo"), "1");
	check("invalid UTF-8 subject",
	    run_match(&r, pat("b+", 0, 0, 1, 1), "a\xff\xfe bbb"), "1");
	check("MATCH after invalid bytes", var(&r, "MATCH"), "bbb");
	check("newline inside subject",
	    run_match(&r, pat("^two", 0, 0, 1, 1), "one\ntwo"), "0");

	/* foreach (s) =~ /re/: each search starts at the last match end. */
	e = pat("([a-z])([0-9])", 0, 0, 1, 1);
	if (match_collect(&r, e, "a1 b2 c3", 8, &set) != FLOW_NEXT)
		printf("FAIL collect: flow\n");
	for (i = 0; i < set.n; i++) {
		buf_add(&all, set.v[i].caps[0].p, set.v[i].caps[0].len);
		buf_addc(&all, '/');
		buf_add(&all, set.v[i].caps[2].p, set.v[i].caps[2].len);
		buf_addc(&all, ' ');
	}
	check("collect string", buf_cstr(&all), "a1/1 b2/2 c3/3 ");
	match_set_vars(&r, &set.v[1]);
	check("set_vars MATCH", var(&r, "MATCH"), "b2");
	check("set_vars MATCH1", var(&r, "MATCH1"), "b");
	match_set_free(&set);
	if (match_collect(&r, pat("x*", 0, 0, 1, 1), "ab", 2, &set) !=
	    FLOW_NEXT || set.n != 3)
		printf("FAIL collect empty matches: %zu\n", set.n);
	else
		printf("PASS collect empty matches\n");
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
			printf("FAIL limit: %s\n", err.p);
		else if (regex_exec(x, s.p, s.len, 0) != -1)
			printf("FAIL limit: the match did not give up\n");
		else
			printf("PASS limit gives up\n");
		regex_free(x);
		x = regex_compile("hel(lo", 6, 0, &err);
		check("invalid regex text", x ? "compiled" : err.p,
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
		check("JIT keeps matching",
		    hits == 2 * REGEX_JIT_AFTER ? "yes" : "no", "yes");
		printf("%s JIT compiled after %d uses\n",
		    x != NULL && x->jit ? "PASS" : "SKIP (no JIT)",
		    REGEX_JIT_AFTER);
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
			printf("%s anchored first byte: /%s/ on \"%s\" at "
			    "%zu: %d\n", got == t[k].want ? "PASS" : "FAIL",
			    t[k].re, t[k].subject, t[k].start, got);
			regex_free(x);
		}
		buf_free(&err);
	}

	/* --check's question: does a pattern compile, and where not? */
	{
		struct buf why = BUF_INIT;
		size_t off = 0;

		check("match_check good",
		    match_check(pat("a(b)c", 0, 0, 1, 1)->pat, 0, &why, &off) ?
		    "bad" : "ok", "ok");
		check("match_check bad",
		    match_check(pat("ab[z-a]", 0, 0, 1, 1)->pat, 0, &why, &off) ?
		    buf_cstr(&why) : "ok",
		    "range out of order in character class");
		check("match_check offset", off == 5 ? "5" : "other", "5");
		check("match_check skips $",
		    match_check(pat("[$X", 0, 0, 1, 1)->pat, 0, &why, &off) ?
		    "bad" : "ok", "ok");
		buf_free(&why);
	}
	buf_free(&all);
	vars_free(r.vars);
	return failures != 0;
}
