/*
 * table.c: the one table of built-in functions (LANGUAGE.md §7), one row
 * each with its arity, kept sorted by name for bsearch(3).  Adding a
 * function is one row here and one small function in a file by topic.
 */
#include <stdlib.h>
#include <string.h>

#include "bi.h"

static const struct builtin builtins[] = {
	{ "escape",	1, 1, bi_escape },
	{ "gdbmclose",	0, 0, bi_gdbmclose },
	{ "gdbmfetch",	1, 3, bi_gdbmfetch },
	{ "gdbmopen",	1, 2, bi_gdbmopen },
	{ "gdbmstore",	2, 2, bi_gdbmstore },
	{ "getaddr",	1, 1, bi_getaddr },
	{ "hasaddr",	1, 1, bi_hasaddr },
	{ "length",	1, 1, bi_length },
	{ "lookup",	2, 3, bi_lookup },
	{ "substr",	2, 3, bi_substr },
	{ "time",	0, 0, bi_time },
	{ "tolower",	1, 1, bi_tolower },
	{ "toupper",	1, 1, bi_toupper },
};

static int
by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct builtin *)elem)->name);
}

const struct builtin *
builtin_find(const char *name)
{
	return bsearch(name, builtins, nitems(builtins), sizeof(builtins[0]),
	    by_name);
}

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
