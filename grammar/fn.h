/*
 * fn.h: what the grammar must know of a built-in function, and no more:
 * its name, how many arguments it takes and how they are written.  The
 * functions and their one table live in builtins/table.c, above the
 * grammar; whoever parses hands the parser a struct fn_table to ask it,
 * so a new function needs no change here.  A function's name is a
 * keyword (LANGUAGE.md §1.4): "length" is never a variable.
 */
#ifndef FN_H
#define FN_H

#include <stddef.h>

enum fn_form {
	FN_UNARY,	/* name element: "length $X", exactly one argument */
	FN_CALL,	/* name "(" expr { "," expr } ")": one or more */
	FN_BARE		/* the name alone: "time", no argument */
};

/* What maildrop says when the arguments are written wrong (§9). */
#define FN_DOTTED	0x01	/* "Missing (." and "Missing ,." */
#define FN_NO_LIST	0x02	/* '(' after it: "takes no argument list" */

struct fn_syntax {
	const char	*name;
	size_t		 min_args, max_args;
	enum fn_form	 form;
	unsigned	 flags;		/* FN_DOTTED, FN_NO_LIST */
};

/* The parser's door to the table of functions (builtins/table.c). */
struct fn_table {
	/* The function named by len bytes at name, or NULL. */
	const struct fn_syntax	*(*find)(const char *name, size_t len);
};

#endif
