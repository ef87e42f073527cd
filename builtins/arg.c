/*
 * arg.c: a built-in evaluates its own arguments (gdbmfetch's default is
 * lazy), through r->eval, which the evaluator sets when it runs a file.
 * The built-ins sit below the evaluator: they never call it by name.
 */
#include "bi.h"

enum flow
bi_arg(struct run *r, const struct expr *call, size_t i, struct buf *out)
{
	buf_reset(out);
	if (i >= call->nargs)
		return FLOW_NEXT;
	return r->eval(r, call->args[i], out);
}
