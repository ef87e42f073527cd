/*
 * builtins.h: the built-in functions, one table, one row each.  A row
 * holds everything known of a function: its name, arity and how it is
 * written (struct fn_syntax, which the parser reads through builtin_fns)
 * and the C function.  A function evaluates its own arguments
 * (gdbmfetch's default is lazy).
 */
#ifndef BUILTINS_H
#define BUILTINS_H

#include <stddef.h>

#include "../grammar/ast.h"
#include "../grammar/buf.h"
#include "../grammar/fn.h"
#include "../interp/run/run.h"

struct builtin {
	struct fn_syntax syn;		/* name, arity, form */
	enum flow	(*fn)(struct run *, const struct expr *call,
			    struct buf *out);
};

/* NULL when name is not a built-in. */
const struct builtin *builtin_find(const char *name);

/* The table as the parser asks it: hand it to parse_program. */
extern const struct fn_table builtin_fns;

/* Release what built-ins hold (open gdbm files) at the end of a run. */
void		 builtins_cleanup(struct run *);

/*
 * An included file has finished: close the gdbm database it opened, as
 * maildrop does when an include returns.  file is the pos.file of the
 * included file's nodes.
 */
void		 builtins_file_done(struct run *, const char *file);

#endif
