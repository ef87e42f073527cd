/*
 * builtins.h: the built-in functions, one table, one row each.  A
 * function evaluates its own arguments (gdbmfetch's default is lazy).
 */
#ifndef BUILTINS_H
#define BUILTINS_H

#include <stddef.h>

#include "../grammar/ast.h"
#include "../grammar/buf.h"
#include "../interp/run/run.h"

struct builtin {
	const char	*name;
	int		 min_args, max_args;
	enum flow	(*fn)(struct run *, const struct expr *call,
			    struct buf *out);
};

/* NULL when name is not a built-in. */
const struct builtin *builtin_find(const char *name);

/* Release what built-ins hold (open gdbm files) at the end of a run. */
void		 builtins_cleanup(struct run *);

/*
 * An included file has finished: close the gdbm database it opened, as
 * maildrop does when an include returns.  file is the pos.file of the
 * included file's nodes.
 */
void		 builtins_file_done(struct run *, const char *file);

#endif
