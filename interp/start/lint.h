/*
 * lint.h: --check's warnings about filters that parse but would not do
 * what their author means (lint.c), and the one way check.c and lint.c
 * print a warning, which --strict makes an error.
 */
#ifndef LINT_H
#define LINT_H

#include <stddef.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../../grammar/diag.h"

struct lint {
	int		 strict;	/* --strict: warnings are errors */
	unsigned	 warnings;	/* printed so far */
	/* every file checked, for "set anywhere" */
	const struct program **progs;
	size_t		 nprogs;
	/* variables maildroprc sets, which a user's filter may read */
	const struct program *rc;
	/*
	 * --format=json: the diagnostics as JSON objects, ",\n" between,
	 * instead of text on stderr; NULL for text.
	 */
	struct buf	*json;
	unsigned	 shown_errors, shown_warnings;	/* as reported */
};

/*
 * Report one diagnostic of --check: the compiler form on stderr, or a
 * JSON object in l->json.  text/len is the source pos points into (NULL:
 * no source line); origin names the check ("parser", "lint", ...).
 */
void	lint_report(struct lint *, const struct diag *, const char *text,
	    size_t len, const char *origin);

/* A warning at `at` (an error under --strict), with its source line. */
void	lint_warn(struct lint *, const struct program *, struct pos at,
	    const char *msg, const char *hint);

/* Where "$NAME" or "${NAME" appears in the source line from at, else at. */
struct pos lint_ref_pos(const struct program *, struct pos at,
	    const char *name, size_t n);

/*
 * The text e names when it can be known now: quoted or plain text,
 * $HOME or ${HOME} standing for this user's home.  Returns 0 and the
 * text in out, or -1 with what decides it in why.
 */
int	lint_known_text(const struct expr *e, struct buf *out, struct buf *why);

/*
 * The warnings of one file: statements after an unconditional to or
 * exit, patterns for encoded words, to/cc folders that do not exist.
 */
void	lint_file(struct lint *, const struct program *);

/*
 * Variables read somewhere in the checked files but set nowhere: not by
 * them, not by maildroprc, not by maildrop itself.  Once all files are
 * in l->progs.
 */
void	lint_unset_vars(struct lint *);

#endif
