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
 * shell.c: v with its message text quoted for the shell context each
 * marked span lands in (DIFFERENCES.md B24), into out; returns how many
 * spans were quoted.
 */
size_t		 shell_quote_marked(const struct buf *v, struct buf *out);
/* The same for a command about to run; the dry run notes the quoting. */
void		 eval_command(struct run *, const struct pos *,
		    const struct buf *v, struct buf *cmd);
/*
 * A to/cc/DEFAULT target, made safe in place: a "|command" gets its
 * message text quoted; a leading '|' that came from the message makes
 * it a mailbox name ("./|..."), never a command (B24).
 */
void		 eval_target(struct run *, const struct pos *,
		    struct buf *target);

/*
 * The watchdog: statements stop being started once this many seconds
 * have passed since eval_budget() was called; 0 means no limit.
 */
void		 eval_budget(struct run *, double seconds);

#endif
