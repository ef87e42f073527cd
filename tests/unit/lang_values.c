/*
 * lang_values.c: the value rules of LANGUAGE.md §2 and the echo escapes
 * of §4.6, one table each, and the variable table under many names.
 * Truth values are the intended rule (DIFFERENCES.md B1); the others
 * were printed by maildrop 2.9.3.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "../../grammar/buf.h"
#include "../../interp/eval/eval.h"
#include "../../interp/eval/eval_int.h"
#include "../../interp/run/value.h"
#include "../../interp/run/vars.h"
#include "unit.h"

static const struct {
	const char	*s;
	int		 truth;
} truths[] = {
	{ "", 0 }, { " ", 0 }, { "0", 0 }, { " 0", 0 }, { "0 ", 0 },
	{ ".0", 0 }, { "0.00 ", 0 }, { "0.0", 0 }, { "0.", 0 },
	{ "00", 1 }, { "-0", 1 }, { "+0", 1 }, { "0e0", 1 }, { "0x", 1 },
	{ ".", 1 }, { "0.10", 1 }, { "0.01", 1 }, { "1", 1 }, { "abc", 1 },
	{ "0 1", 1 },
};

static const struct {
	double		 d;
	const char	*s;
} formats[] = {
	{ 1.0 / 3, "0.3333333333333333148296" },
	{ 0.1 + 0.2, "0.3000000000000000444089" },
	{ 7 * 1.5, "10.5" },
	{ 1e20 * 10, "1000000000000000000000" },
	{ 9007199254740993.0, "9007199254740992" },
	{ 4, "4" },
	{ 0, "0" },
	{ -0.0, "-0" },
	{ -7, "-7" },
	{ 999999999999999.0, "999999999999999" },
	{ -999999999999999.0, "-999999999999999" },
	{ 1e15, "1000000000000000" },
	{ 2.5, "2.5" },
	{ -0.5, "-0.5" },
};

static const struct {
	const char	*in, *out;
} echoes[] = {
	{ "a\\tb\\qc\"d\\\\e", "a\tbqc\"d\\e\n" },
	{ "\\101\\0102", "AB\n" },
	{ "no newline\\c", "no newline" },
	{ "mid\\cdle", "midcdle\n" },
	{ "trail\\", "trail\\\n" },
	{ "\\n\\r\\f\\v", "\n\r\f\v\n" },
};

int
main(void)
{
	struct buf b = BUF_INIT;
	struct vars *v;
	char name[64];
	size_t i;
	int ok;

	for (i = 0; i < sizeof(truths) / sizeof(truths[0]); i++) {
		snprintf(name, sizeof(name), "truth \"%s\"", truths[i].s);
		unit_check(value_true(truths[i].s,
		    strlen(truths[i].s)) == truths[i].truth, name, "got [%s]",
		    truths[i].s);
	}
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		value_format(formats[i].d, &b);
		snprintf(name, sizeof(name), "format %s", formats[i].s);
		unit_check(strcmp(b.p, formats[i].s) == 0, name, "got [%s]",
		    b.p);
	}
	/* whole numbers, written without printf, as printf writes them */
	for (ok = 1, i = 0; i < 4000 && ok; i++) {
		double d = (i % 2 ? -1.0 : 1.0) * (double)(i * i * i * 15485863ULL %
		    2000000000000000ULL);
		char want[64];

		snprintf(want, sizeof(want), "%.22g", d);
		value_format(d, &b);
		ok = strcmp(b.p, want) == 0;
		if (!ok || i == 3999)
			unit_check(ok, "format whole numbers", "%s for %s", b.p,
			    want);
	}
	unit_check(value_number("12abc", 5) == 12, "number 12abc", "got %g",
	    value_number("12abc", 5));
	unit_check(value_number("7123", 1) == 7, "number not NUL-terminated",
	    "got %g", value_number("7123", 1));
	unit_check(value_number("0x10", 4) == 16, "number hex", "got %g",
	    value_number("0x10", 4));
	for (i = 0; i < sizeof(echoes) / sizeof(echoes[0]); i++) {
		echo_unescape(echoes[i].in, strlen(echoes[i].in), &b);
		snprintf(name, sizeof(name), "echo %s", echoes[i].in);
		unit_check(b.len == strlen(echoes[i].out) &&
		    memcmp(b.p, echoes[i].out, b.len) == 0, name, "got [%s]",
		    b.p);
	}

	v = vars_new();
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "V%zu", i);
		vars_sets(v, name, name + 1);
	}
	ok = 1;
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "V%zu", i);
		ok &= strcmp(vars_str(v, name), name + 1) == 0;
	}
	unit_check(ok, "vars 5000 names", "a value differs");
	vars_set(v, "A B", 3, "x\0y", 3);
	unit_check(vars_get(v, "A B", 3)->len == 3,
	    "vars name with space, value with NUL", "wrong length");
	{
		const struct buf *a;

		vars_sets(v, "S", "abc");
		a = vars_get(v, "S", 1);
		vars_set(v, "S", 1, a->p + 1, 2);	/* from its own value */
		unit_check(strcmp(vars_str(v, "S"), "bc") == 0,
		    "vars self-assignment", "got [%s]", vars_str(v, "S"));
	}
	vars_unset(v, "V7", 2);
	unit_check(vars_get(v, "V7", 2) == NULL, "vars unset", "still set");
	{
		char **env = vars_environ(v), **e;
		size_t n = 0;

		for (e = env; *e != NULL; e++)
			n++;
		/* 4999 V's + S + "A B" (a space is fine in a name) */
		unit_check(n == 5001, "vars environ count", "got %zu", n);
		vars_envfree(env);
	}
	vars_free(v);
	buf_free(&b);
	{
		/* Memory with nothing in it yet is still "" (to ""). */
		struct buf e = BUF_INIT;

		mallopt(M_PERTURB, 0xa5);	/* new memory is not zeros */
		buf_grow(&e, 0);
		unit_check(e.p[0] == '\0', "buf grown, nothing added, is empty",
		    "not terminated");
		buf_add(&e, "abc", 3);
		buf_truncate(&e, 1);
		unit_check(strcmp(e.p, "a") == 0, "buf truncate terminates",
		    "got [%s]", e.p);
		buf_free(&e);
	}
	return unit_done();
}
