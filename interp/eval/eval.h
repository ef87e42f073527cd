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

/*
 * Run a parsed file in the current variable scope.  Sets r->eval, so
 * the built-ins can evaluate their arguments.
 */
enum flow	 eval_program(struct run *, const struct program *);

/* Evaluate e into out (replacing its contents); FLOW_FAIL on error. */
enum flow	 eval_expr(struct run *, const struct expr *, struct buf *out);

/*
 * The watchdog: statements stop being started once this many seconds
 * have passed since eval_budget() was called; 0 means no limit.
 */
void		 eval_budget(struct run *, double seconds);

#endif
