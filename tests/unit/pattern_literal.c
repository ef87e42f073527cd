/*
 * pattern_literal.c: the literals read off a pattern (literal.c) are in
 * every match.  Named cases check what is read; random patterns built
 * from PCRE2's constructs check, against PCRE2 itself, that a subject
 * PCRE2 matches always contains one; and the caseless exception (k and
 * s) is checked against this PCRE2's case folding.
 */
#include <ctype.h>
#include <stdlib.h>

#include "../../interp/message/bytepairs.h"
#include "../../interp/pattern/literal.h"
#include "../../interp/pattern/regex.h"
#include "unit.h"

#ifndef SEED
#define SEED 12345
#endif
#ifndef TRIES
#define TRIES 4000
#endif

/* "a&b/c|d": alternatives by |, their terms by &, a term's strings by /. */
static void
expect(const char *re, int caseless, const char *want)
{
	struct literals l;
	char got[LIT_MAX * (LIT_LEN + 1) + 1] = "";
	unsigned i;

	literals_of(re, strlen(re), caseless, &l);
	for (i = 0; i < l.n; i++) {
		if (i > 0)
			strcat(got, l.v[i].alt != l.v[i - 1].alt ? "|" :
			    l.v[i].term != l.v[i - 1].term ? "&" : "/");
		strncat(got, l.v[i].s, l.v[i].len);
	}
	unit_check(strcmp(got, want) == 0, re, "read \"%s\", want \"%s\"",
	    got, want);
}

static unsigned long seed = SEED;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

/* Pieces of pattern text, and of subjects that may match them. */
static const char *const atoms[] = {
	"a", "b", "k", "s", "K", "ab", "x", ".", "\\.", "\\d", "\\s", "\\b",
	"[ab]", "[^a]", "[]a]", "[[:alpha:]]", "(a|b)", "(?:ab)", "(?=a)",
	"(?!b)", "(?<=a)", "^", "$", "\\x61", "\\x{62}", "é", "\\Ka",
	"(a(*ACCEPT)b)", "(?i)a", "\\Qa.b\\E", "{", "}", "]", "a{0}",
	"\\w+", "\\1", "(a)", "\\p{L}", "-", " ", "@", "{x|b}", "a{,2}",
	"b{1, 2}", "\\c[", "[a-c]", "\\(", "\\\\", "(?|(a)|(b))",
	"[z-a]", "a{3,2}", "\\i", "*", "(?<=a+)", "[[:foo:]]", "[\\d-z]",
	"^*", "\\b+", "(", ")", "[a-\\d]", "x{99999}", "\\", "[]",
};
static const char *const quants[] = {
	"", "", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "??", "*+",
	"+?",
};
static const char *const bits[] = {
	"a", "b", "ab", "k", "s", "K", "S", "\xe2\x84\xaa", "\xc5\xbf", "x",
	".", "1", " ", "@", "-", "é", "É", "\n", "]", "{", "}", "ba",
};

static void
random_patterns(void)
{
	struct literals l;
	pcre2_code *code;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	char re[256], subj[256];
	int err, bad = 0, tried = 0, compiling = 0, caseless, i, k, n;
	PCRE2_SIZE off;

	for (i = 0; i < TRIES && !bad; i++) {
		re[0] = '\0';
		n = 1 + (int)rnd(5);
		for (k = 0; k < n; k++) {
			if (k > 0 && rnd(8) == 0)
				strcat(re, "|");
			strcat(re, atoms[rnd(sizeof(atoms) / sizeof(atoms[0]))]);
			strcat(re, quants[rnd(sizeof(quants) / sizeof(quants[0]))]);
		}
		caseless = (int)rnd(2);
		code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
		    (caseless ? PCRE2_CASELESS : 0), &err, &off, NULL);
		if (code == NULL && literals_compiles(re, strlen(re))) {
			bad = 1;
			unit_check(0, "random patterns", "/%s/ is taken as "
			    "surely compiling; PCRE2 refuses it", re);
		}
		if (code == NULL)
			continue;
		compiling += literals_compiles(re, strlen(re));
		literals_of(re, strlen(re), caseless, &l);
		for (k = 0; k < 300 && !bad; k++) {
			subj[0] = '\0';
			n = (int)rnd(8);
			while (n-- > 0)
				strcat(subj, bits[rnd(sizeof(bits) / sizeof(bits[0]))]);
			if (pcre2_match(code, (PCRE2_SPTR)subj, strlen(subj), 0,
			    0, md, NULL) < 0)
				continue;
			tried++;
			if (!literals_in(&l, subj, strlen(subj), NULL)) {
				bad = 1;
				unit_check(0, "random patterns", "/%s/%s matches "
				    "\"%s\", which has none of its literals",
				    re, caseless ? "" : "D", subj);
			}
		}
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
	if (!bad)
		unit_check(tried > 1000 && compiling > 100, "random patterns",
		    "only %d matches tried, %d patterns taken as compiling",
		    tried, compiling);
}

/* Is lit in s, ASCII letters in either case?  Byte by byte. */
static int
naive_in(const char *lit, const char *s, size_t n)
{
	size_t i, k, len = strlen(lit);

	for (i = 0; i + len <= n; i++) {
		for (k = 0; k < len; k++)
			if (tolower((unsigned char)s[i + k]) !=
			    tolower((unsigned char)lit[k]))
				break;
		if (k == len)
			return 1;
	}
	return 0;
}

/*
 * literals_in() on long subjects, caselessly: subjects of every length
 * to 100 bytes over an alphabet close to the literals', so partial
 * matches abound at every offset and near both ends, against a search
 * byte by byte.
 */
static void
caseless_search(void)
{
	static const char *const lits[] = {
		"a", "ab", "a-b", "ba:", "b:a:b", "aBaB@", "-", "Ab:@a",
	};
	static const char alphabet[] = "aAbB-:.@\xe9";
	struct literals l;
	struct byte_pairs pairs;
	char subj[128];
	size_t n, k, j;
	int bad = 0, found = 0, tries;

	for (j = 0; j < sizeof(lits) / sizeof(lits[0]) && !bad; j++) {
		literals_of(lits[j], strlen(lits[j]), 1, &l);
		if (l.n != 1 || l.v[0].len != strlen(lits[j])) {
			bad = unit_check(0, "caseless search", "/%s/ is not "
			    "read as one literal", lits[j]) == 0;
			break;
		}
		for (n = 0; n <= 100 && !bad; n++)
			for (tries = 0; tries < 40 && !bad; tries++) {
				for (k = 0; k < n; k++)
					subj[k] = alphabet[rnd(sizeof(alphabet)
					    - 1)];
				subj[n] = '\0';
				/* and with the subject's byte pairs */
				byte_pairs_make(&pairs, subj, n);
				if (literals_in(&l, subj, n, NULL) ==
				    naive_in(lits[j], subj, n) &&
				    literals_in(&l, subj, n, &pairs) ==
				    naive_in(lits[j], subj, n)) {
					found += naive_in(lits[j], subj, n);
					continue;
				}
				bad = 1;
				unit_check(0, "caseless search", "\"%s\" in "
				    "\"%s\": said %d", lits[j], subj,
				    literals_in(&l, subj, n, NULL));
			}
	}
	if (!bad)
		unit_check(found > 1000, "caseless search",
		    "only %d subjects held their literal", found);
}

static size_t
utf8(unsigned c, char *o)
{
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 63));
		return 2;
	}
	o[0] = (char)(0xe0 | c >> 12);
	o[1] = (char)(0x80 | (c >> 6 & 63));
	o[2] = (char)(0x80 | (c & 63));
	return 3;
}

/* Which ASCII letters match a non-ASCII character caselessly here. */
static void
caseless_exceptions(void)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	char re[2] = "a", found[64] = "", s[4];
	unsigned c, u;
	pcre2_code *code;
	int err;
	PCRE2_SIZE off;

	for (c = 'a'; c <= 'z'; c++) {
		re[0] = (char)c;
		code = pcre2_compile((PCRE2_SPTR)re, 1, PCRE2_UTF |
		    PCRE2_CASELESS, &err, &off, NULL);
		for (u = 0x80; u < 0x10000; u++) {
			if (u >= 0xd800 && u < 0xe000)
				continue;
			if (pcre2_match(code, (PCRE2_SPTR)s, utf8(u, s), 0, 0,
			    md, NULL) >= 0) {
				found[strlen(found)] = re[0];
				break;
			}
		}
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
	unit_check(strcmp(found, "ks") == 0, "caseless k and s only",
	    "PCRE2 matches non-ASCII letters caselessly with \"%s\"; "
	    "literal.c must not read those as plain", found);
}

int
main(void)
{
	struct literals l;

	expect("unsubscribe-here-now", 1, "cribe-here-now&ub&un");
	expect("unsubscribe-here-now", 0, "unsubscribe-here-now");
	expect("wire the money|western union", 1, "wire the money|tern union&we");
	expect("^-----BEGIN PGP MESSAGE-----", 0, "-----BEGIN PGP MESSAGE-----");
	expect("tracking number:? *[0-9A-Z]{10,}", 1, "ing number&trac");
	expect("^Received:.*\\[10\\.77\\.3\\.", 1, "[10.77.3.&Received:");
	expect("^(From|Sender):.*user2@host2\\.example", 1, "er2@ho&t2.example&From/ender&u");
	expect("^From:.*(carol|dave|erin)@friends\\.example", 1, "@friend&.example&From:&carol/dave/erin");
	expect("ab?c", 0, "c&a");
	expect("abc+d", 0, "abc&d");
	expect("a(?i)bc", 0, "");
	expect("a(*ACCEPT)bc", 0, "");
	expect("\\Qabc\\E", 0, "");
	expect("x[]abc]yz", 0, "yz&x");
	expect("x[[:alpha:]]yz", 0, "yz&x");
	expect("\\x41bc-d", 0, "-d");
	expect("ab{2,3}c", 0, "c&a");
	expect("a|b|", 0, "");
	expect("(abc)", 0, "abc");
	expect("x(abc)?", 0, "x");
	expect("^From:.*(alice@family\\.example|bob@family\\.example)", 1,
	    "alice@family.example/bob@family.example&From:");
	expect("(?=abc)", 0, "");
	expect("abc)", 0, "");
	expect("caf\xc3\xa9 x", 0, " x&caf");
	literals_of("the money", 9, 1, &l);
	unit_check(literals_in(&l, "wire THE MONEY now", 18, NULL) &&
	    !literals_in(&l, "the mone", 8, NULL) &&
	    !literals_in(&l, "THE MONEX THE MONEZ", 19, NULL),
	    "caseless search", "wrong answer");
	unit_check(literals_compiles("^From:.*(a|b)@x\\.org [0-9A-Z]{10,}", 36) &&
	    !literals_compiles("a[z-a]", 6) && !literals_compiles("a\\i", 3) &&
	    !literals_compiles("(?<=a+)b", 8) && !literals_compiles("a{3,2}", 6),
	    "surely compiles", "wrong answer");
	random_patterns();
	caseless_search();
	caseless_exceptions();
	return unit_done();
}
