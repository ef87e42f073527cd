/*
 * subst.h: $VAR / ${VAR} substitution (LANGUAGE.md §1.5), in words,
 * "..." strings and patterns.
 */
#ifndef SUBST_H
#define SUBST_H

#include <stddef.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"

struct run;

/*
 * s with its variables substituted, appended to out.  Backslashes protect
 * the next character and are kept; at places the warning about a
 * missing '}'.  Once out holds more than RUNNEL_MAX_VALUE bytes the
 * rest is left out: the caller, holding a value past the budget,
 * reports it (run_room).
 */
void	subst_vars(struct run *, const struct pos *at, const char *s,
	    size_t n, struct buf *out);

#endif
