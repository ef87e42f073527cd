/*
 * eval.h: the tree-walking evaluator.  It computes values and decides;
 * everything that touches the world goes through r->fx (effects.h).
 */
#ifndef EVAL_H
#define EVAL_H

#include <stddef.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"

/* Run a parsed file in the current variable scope. */
enum flow	 eval_program(struct run *, const struct program *);

/* Evaluate e into out (replacing its contents); FLOW_FAIL on error. */
enum flow	 eval_expr(struct run *, const struct expr *, struct buf *out);

/*
 * $VAR / ${VAR} substitution (LANGUAGE.md §1.5) of s, appended to out.
 * Backslashes protect the next character and are kept.
 */
void		 eval_subst(struct run *, const struct pos *, const char *s,
		    size_t n, struct buf *out);

/* Truth (LANGUAGE.md §2, with the fix of DIFFERENCES.md B1). */
int		 value_true(const char *, size_t);
/* String -> number, C atof rules on a byte string. */
double		 value_number(const char *, size_t);
/* Number -> string, "%.22g" as maildrop prints (LANGUAGE.md §2). */
void		 value_format(double, struct buf *out);

#endif
