/*
 * parse.h: filter text -> AST.  The whole file is parsed before anything
 * runs (LANGUAGE.md §1); errors and warnings go to a diags list, and the
 * parser carries on after an error so one --check shows them all.
 */
#ifndef PARSE_H
#define PARSE_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "fn.h"

#define PARSE_EMBEDDED	0x01	/* -m/-M: LANGUAGE.md §8 restrictions */

/*
 * Parse text (len bytes, need not be NUL-terminated) from file.  fns
 * names the built-in functions (builtins/table.c's builtin_fns).  Nodes
 * and strings go to the arena.  Returns the program, or NULL when d->nerrors
 * is non-zero.  Depth and size are bounded: hostile input gives a
 * positioned error, never a crash.
 */
struct program	*parse_program(struct arena *, const char *file,
		    const char *text, size_t len, unsigned flags,
		    const struct fn_table *fns, struct diags *d);

/* A stable text form of the tree, for tests (--dump-ast). */
void		 ast_dump(FILE *, const struct program *);

#endif
