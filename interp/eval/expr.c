/*
 * expr.c: expressions to values.  One switch over every kind with no
 * default, so the compiler names a kind that is left out.  Numbers live
 * only inside an operator: operands are parsed with atof and results
 * formatted with "%.22g" (LANGUAGE.md §2, §7).  The only way out to the
 * world is through r->fx (backticks).
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../builtins/builtins.h"
#include "../run/effects.h"
#include "eval.h"
#include "../pattern/match.h"
#include "../run/run.h"
#include "../run/subst.h"
#include "../run/value.h"
#include "../run/vars.h"

/* Deeper than any tree the parser accepts; stops runaway recursion. */
#define EXPR_DEPTH_MAX	2000

/*
 * DIFFERENCES.md B9: bitwise operators work on 64-bit two's complement.
 * A double outside the range saturates instead of being undefined.
 */
static int64_t
to_int64(double d)
{
	if (isnan(d))
		return 0;
	if (d >= 18446744073709551615.0)
		return -1;		/* all ones */
	if (d >= 9223372036854775808.0)
		return (int64_t)(uint64_t)d;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

/*
 * The memory budget (README): one value may hold RUNNEL_MAX_VALUE
 * bytes (run_room), all variables together RUNNEL_MAX_VARS.  A filter
 * that grows a string without end stops here with maildrop's "Out of
 * memory." before the machine runs out; like the watchdog, no
 * exception { } traps it.
 */
static enum flow
room_for(struct run *r, const struct expr *e, size_t len)
{
	const struct buf *old = vars_get(r->vars, e->name, e->namelen);
	size_t total = vars_bytes(r->vars) - (old != NULL ? old->len : 0) +
	    (old == NULL ? e->namelen : 0) + len;
	struct buf what = BUF_INIT;
	char *name;
	enum flow f;

	if (r->max_value > 0 && len > r->max_value) {
		name = xstrndup(e->name, e->namelen);
		f = run_room(r, &e->pos, len, name);
		free(name);
		return f;
	}
	buf_printf(&what, "%.*s: the variables", (int)e->namelen, e->name);
	f = run_room_vars(r, &e->pos, total, buf_cstr(&what));
	buf_free(&what);
	return f;
}

static void
set_bool(struct buf *out, int v)
{
	buf_set(out, v ? "1" : "0", 1);
}

static int
strcompare(const struct buf *a, const struct buf *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->p, b->p, n) : 0;

	if (c != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/*
 * Command substitution: fx->backtick plus the clean-up of LANGUAGE.md
 * §1.6: trim, CR/LF to spaces, empty on failure.  The command is fed
 * the message, so what it prints is marked as message text
 * (DIFFERENCES.md B24).
 */
static enum flow
backtick(struct run *r, const struct pos *at, const char *cmd,
    size_t len, struct buf *out)
{
	struct buf raw = BUF_INIT;
	char *c = xstrndup(cmd, len);
	size_t i, j, from = out->len;
	int status = 0;

	if (r->fx->backtick(r, at, c, &raw, &status) < 0) {
		free(c);
		buf_free(&raw);
		return FLOW_FAIL;
	}
	free(c);
	run_returncode(r, status);
	if (status != 0)
		buf_reset(&raw);	/* B7: output discarded */
	for (i = 0; i < raw.len && isspace((unsigned char)raw.p[i]); i++)
		;
	for (j = raw.len; j > i && isspace((unsigned char)raw.p[j - 1]); j--)
		;
	for (; i < j; i++) {
		int ch = raw.p[i];

		buf_addc(out, ch == '\r' || ch == '\n' ? ' ' : ch);
	}
	/* The command read the message: its output is message text (B24). */
	buf_mark(out, from, out->len - from);
	buf_free(&raw);
	return FLOW_NEXT;
}

static enum flow
eval_string(struct run *r, const struct expr *e, struct buf *out)
{
	size_t i;

	/* Past the budget the rest is not built: the caller reports it. */
	for (i = 0; i < e->nparts && !(r->max_value > 0 &&
	    out->len > r->max_value); i++) {
		const struct part *p = &e->parts[i];

		switch (p->kind) {
		case P_WORD:
		case P_DQ:
			subst_vars(r, &p->pos, p->text, p->len, out);
			break;
		case P_SQ:
			buf_add(out, p->text, p->len);
			break;
		case P_BT:
			if (backtick(r, &p->pos, p->text, p->len, out) !=
			    FLOW_NEXT)
				return FLOW_FAIL;
			break;
		}
	}
	if (out->p == NULL)
		buf_set(out, "", 0);
	return FLOW_NEXT;
}

/* Both operands of a binary operator, left first. */
static enum flow
operands(struct run *r, const struct expr *e, struct buf *a, struct buf *b)
{
	if (eval_expr(r, e->lhs, a) != FLOW_NEXT ||
	    eval_expr(r, e->rhs, b) != FLOW_NEXT)
		return FLOW_FAIL;
	return FLOW_NEXT;
}

static enum flow
eval_binary(struct run *r, const struct expr *e, struct buf *out)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	double x, y, z = 0;
	int64_t bits;
	int cmp = 0, isbool = 1, isbits = 0;
	enum flow f;

	if ((f = operands(r, e, &a, &b)) != FLOW_NEXT)
		goto done;
	x = value_number(a.p, a.len);
	y = value_number(b.p, b.len);
	switch (e->kind) {
	case E_LT: cmp = x < y; break;
	case E_LE: cmp = x <= y; break;
	case E_GT: cmp = x > y; break;
	case E_GE: cmp = x >= y; break;
	case E_EQ: cmp = x == y; break;
	case E_NE: cmp = x != y; break;
	case E_SLT: cmp = strcompare(&a, &b) < 0; break;
	case E_SLE: cmp = strcompare(&a, &b) <= 0; break;
	case E_SGT: cmp = strcompare(&a, &b) > 0; break;
	case E_SGE: cmp = strcompare(&a, &b) >= 0; break;
	case E_SEQ: cmp = strcompare(&a, &b) == 0; break;
	case E_SNE: cmp = strcompare(&a, &b) != 0; break;
	default:
		isbool = 0;
		break;
	}
	switch (e->kind) {
	case E_BITOR:
		bits = to_int64(x) | to_int64(y);
		isbits = 1;
		break;
	case E_BITAND:
		bits = to_int64(x) & to_int64(y);
		isbits = 1;
		break;
	case E_ADD: z = x + y; break;
	case E_SUB: z = x - y; break;
	case E_MUL: z = x * y; break;
	case E_DIV: z = x / y; break;
	default:
		break;
	}
	if (isbool)
		set_bool(out, cmp);
	else if (isbits) {
		buf_reset(out);
		buf_printf(out, "%" PRId64, bits);
	} else
		value_format(z, out);
	if (r->verbose >= 6)
		run_verbose(r, 6, "Operation on: %s and %s, result is %s",
		    a.p, b.p, out->p);
done:
	buf_free(&a);
	buf_free(&b);
	return f;
}

static enum flow
eval_call(struct run *r, const struct expr *e, struct buf *out)
{
	const struct builtin *b = builtin_find(e->name);

	if (b == NULL)
		return run_fail(r, &e->pos, "Syntax error.", NULL,
		    "'%s' is not a function", e->name);
	buf_reset(out);
	if (b->fn(r, e, out) != FLOW_NEXT)
		return FLOW_FAIL;
	if (out->p == NULL)
		buf_set(out, "", 0);
	return FLOW_NEXT;
}

/* e's value, unchecked: an assignment names its variable instead. */
static enum flow
value_of(struct run *r, const struct expr *e, struct buf *out)
{
	struct buf a = BUF_INIT;
	enum flow f = FLOW_NEXT;

	if (++r->depth > EXPR_DEPTH_MAX) {
		r->depth--;
		return run_fail(r, &e->pos, "Syntax error.", NULL,
		    "nested too deeply (more than %d levels)", EXPR_DEPTH_MAX);
	}
	buf_reset(out);
	switch (e->kind) {
	case E_STRING:
		f = eval_string(r, e, out);
		break;
	case E_PATTERN:
		f = match_message(r, e, out);
		break;
	case E_MATCH:
		if ((f = eval_expr(r, e->lhs, &a)) == FLOW_NEXT)
			f = match_string(r, e, &a, out);
		break;
	case E_ASSIGN:
		if ((f = value_of(r, e->rhs, out)) == FLOW_NEXT &&
		    (f = room_for(r, e, out->len)) == FLOW_NEXT) {
			run_setvarb(r, e->name, e->namelen, out);
			if (r->fx != NULL && r->fx->assigned != NULL)
				r->fx->assigned(r, &e->pos, e->name,
				    e->namelen, out);
			run_verbose(r, 4, "%s(%u): %.*s=\"%s\"", e->pos.file,
			    e->pos.line, (int)e->namelen, e->name, out->p);
		}
		break;
	case E_OR:
	case E_AND:
		if ((f = eval_expr(r, e->lhs, out)) != FLOW_NEXT)
			break;
		if (value_true(out->p, out->len) == (e->kind == E_AND))
			f = eval_expr(r, e->rhs, out);
		break;
	case E_LT: case E_LE: case E_GT: case E_GE: case E_EQ: case E_NE:
	case E_SLT: case E_SLE: case E_SGT: case E_SGE: case E_SEQ:
	case E_SNE:
	case E_BITOR: case E_BITAND:
	case E_ADD: case E_SUB: case E_MUL: case E_DIV:
		f = eval_binary(r, e, out);
		break;
	case E_NOT:
		if ((f = eval_expr(r, e->lhs, &a)) == FLOW_NEXT)
			set_bool(out, !value_true(a.p, a.len));
		break;
	case E_BITNOT:
		/* LANGUAGE.md §7: atol, not atof: "~5.9" is ~5. */
		if ((f = eval_expr(r, e->lhs, &a)) == FLOW_NEXT) {
			long long v = strtoll(a.p, NULL, 10);

			buf_reset(out);
			buf_printf(out, "%lld", ~v);
		}
		break;
	case E_CALL:
		f = eval_call(r, e, out);
		break;
	}
	if (f == FLOW_NEXT && out->p == NULL)
		buf_set(out, "", 0);
	buf_free(&a);
	r->depth--;
	return f;
}

/*
 * Every value is held to RUNNEL_MAX_VALUE where it is made, not only
 * where a variable keeps it: a concatenation, a substitution or a
 * function's result.  One comparison per expression.
 */
enum flow
eval_expr(struct run *r, const struct expr *e, struct buf *out)
{
	enum flow f = value_of(r, e, out);

	if (f == FLOW_NEXT && r->max_value > 0 && out->len > r->max_value)
		f = run_room(r, &e->pos, out->len, "this expression");
	return f;
}
