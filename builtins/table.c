/*
 * table.c: the one table of built-in functions (LANGUAGE.md §7), one row
 * each, kept sorted by name for bsearch(3).  A row is all there is to
 * know of a function: the lexer takes its name for a keyword, the parser
 * reads its arguments as the form says (grammar/fn.h), the evaluator
 * calls it.  Adding a function is one row here and one small function in
 * a file by topic (declared in bi.h).
 */
#include <stdlib.h>
#include <string.h>

#include "bi.h"

/*
 * args: how many, from and to.  form: FN_UNARY is "length $X", FN_CALL
 * "substr(...)", FN_BARE just "time".  maildrop's texts: FN_DOTTED says
 * "Missing (." where others say "Missing (", FN_NO_LIST explains a '('
 * after the name.
 */
static const struct builtin builtins[] = {
	/* name		args	form		maildrop's texts */
	{ { "escape",	1, 1,	FN_UNARY,	0 },		bi_escape },
	{ { "gdbmclose", 0, 0,	FN_BARE,	0 },		bi_gdbmclose },
	{ { "gdbmfetch", 1, 3,	FN_CALL,	FN_DOTTED },	bi_gdbmfetch },
	{ { "gdbmopen",	1, 2,	FN_CALL,	FN_DOTTED },	bi_gdbmopen },
	{ { "gdbmstore", 2, 2,	FN_CALL,	FN_DOTTED },	bi_gdbmstore },
	{ { "getaddr",	1, 1,	FN_UNARY,	0 },		bi_getaddr },
	{ { "hasaddr",	1, 1,	FN_UNARY,	0 },		bi_hasaddr },
	{ { "length",	1, 1,	FN_UNARY,	0 },		bi_length },
	{ { "lookup",	2, 3,	FN_CALL,	0 },		bi_lookup },
	{ { "substr",	2, 3,	FN_CALL,	0 },		bi_substr },
	{ { "time",	0, 0,	FN_BARE,	FN_NO_LIST },	bi_time },
	{ { "tolower",	1, 1,	FN_UNARY,	0 },		bi_tolower },
	{ { "toupper",	1, 1,	FN_UNARY,	0 },		bi_toupper },
};

struct name {
	const char	*p;
	size_t		 len;
};

static int
by_name(const void *key, const void *elem)
{
	const struct name *k = key;
	const char *name = ((const struct builtin *)elem)->syn.name;
	size_t n = strlen(name);
	int r = strncmp(k->p, name, k->len < n ? k->len : n);

	if (r != 0)
		return r;
	return k->len < n ? -1 : k->len > n;
}

static const struct builtin *
find(const char *p, size_t len)
{
	struct name key = { p, len };

	return bsearch(&key, builtins, nitems(builtins), sizeof(builtins[0]),
	    by_name);
}

const struct builtin *
builtin_find(const char *name)
{
	return find(name, strlen(name));
}

static const struct fn_syntax *
syntax(const char *name, size_t len)
{
	const struct builtin *b = find(name, len);

	return b != NULL ? &b->syn : NULL;
}

const struct fn_table builtin_fns = { syntax };

void
builtins_cleanup(struct run *r)
{
	bi_gdbm_cleanup(r);
}

void
builtins_file_done(struct run *r, const char *file)
{
	bi_gdbm_file_done(r, file);
}
