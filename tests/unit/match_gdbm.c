/*
 * match_gdbm.c: the gdbm built-ins called directly through the table,
 * with literal arguments: one database per recipe file, and an include's
 * database closed when builtins_file_done says the include returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/arena.h"
#include "../../interp/eval/eval.h"
#include "../../interp/run/effects.h"
#include "../../interp/run/vars.h"
#include "unit.h"

static struct expr *
lit(const char *s)
{
	struct expr *e = calloc(1, sizeof(*e));
	struct part *p = calloc(1, sizeof(*p));

	p->kind = P_SQ;
	p->text = s;
	p->len = strlen(s);
	e->kind = E_STRING;
	e->parts = p;
	e->nparts = 1;
	return e;
}

/* Call a built-in as if written in file, with literal arguments. */
static const char *
call(struct run *r, const char *file, const char *name, const char *a0,
    const char *a1)
{
	static struct buf out;
	struct expr e;
	struct expr *args[2];
	const struct builtin *b = builtin_find(name);

	memset(&e, 0, sizeof(e));
	e.kind = E_CALL;
	e.pos.file = file;
	e.pos.line = 1;
	e.name = name;
	e.namelen = strlen(name);
	e.args = args;
	if (a0 != NULL)
		args[e.nargs++] = lit(a0);
	if (a1 != NULL)
		args[e.nargs++] = lit(a1);
	buf_reset(&out);
	if (b == NULL || b->fn(r, &e, &out) != FLOW_NEXT)
		return "(fail)";
	return buf_cstr(&out);
}

int
main(void)
{
	struct run r;
	char dir[] = "/tmp/match_gdbm.XXXXXX";
	char a[64], b[64];

	memset(&r, 0, sizeof(r));
	r.vars = vars_new();
	r.eval = eval_expr;	/* the built-ins evaluate their arguments */
	r.fx = &fx_real;	/* writes are the effects' to allow */
	arena_init(&r.scratch);
	if (mkdtemp(dir) == NULL || chdir(dir) != 0) {
		unit_check(0, "setup", "no temp directory");
		return unit_done();
	}
	unit_str("open main", call(&r, "main", "gdbmopen", "a.db", "C"), "0");
	unit_str("open include", call(&r, "inc", "gdbmopen", "b.db", "C"), "0");
	unit_str("store main", call(&r, "main", "gdbmstore", "k", "main"), "0");
	unit_str("store include", call(&r, "inc", "gdbmstore", "k", "inc"),
	    "0");
	unit_str("fetch main", call(&r, "main", "gdbmfetch", "k", NULL),
	    "main");
	unit_str("fetch include", call(&r, "inc", "gdbmfetch", "k", NULL),
	    "inc");
	builtins_file_done(&r, "inc");
	unit_str("include closed", call(&r, "inc", "gdbmfetch", "k", NULL), "");
	unit_str("main still open", call(&r, "main", "gdbmfetch", "k", NULL),
	    "main");
	unit_str("store after close", call(&r, "inc", "gdbmstore", "k", "x"),
	    "-1");
	unit_str("missing file", call(&r, "main", "gdbmopen", "none.db", NULL),
	    "-1");
	unit_str("main closed by failed open",
	    call(&r, "main", "gdbmfetch", "k", NULL), "");
	r.embedded = 1;
	unit_str("embedded read", call(&r, "main", "gdbmopen", "a.db", "R"),
	    "0");
	unit_str("embedded write refused",
	    call(&r, "main", "gdbmopen", "a.db", "W"), "(fail)");
	builtins_cleanup(&r);
	unit_str("cleanup empties the list", r.gdbm == NULL ? "yes" : "no",
	    "yes");
	snprintf(a, sizeof(a), "%s/a.db", dir);
	snprintf(b, sizeof(b), "%s/b.db", dir);
	unlink(a);
	unlink(b);
	rmdir(dir);
	vars_free(r.vars);
	return unit_done();
}
