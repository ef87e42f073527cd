/*
 * diag.h: a diagnostic is a record first and text second.  Only diag.c
 * formats: the compiler form for --check, maildrop's form elsewhere.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdio.h>

#include "ast.h"
#include "buf.h"

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE		/* where an error elsewhere comes from */
};

struct diag {
	enum diag_level	 level;
	struct pos	 pos;		/* the offending token */
	const char	*msg;		/* what was expected, in words */
	const char	*hint;		/* what to do, or NULL */
	const char	*compat;	/* maildrop's text: "Syntax error after )",
					   NULL for warnings maildrop lacks */
	unsigned	 compat_line;	/* the line maildrop names, which may be
					   the next one (DIFFERENCES.md B13);
					   0: pos.line */
	const char	*compat_pre;	/* a "maildrop: ..." line maildrop
					   prints before it, or NULL */
};

struct diags {
	struct diag	*v;
	size_t		 n, cap;
	size_t		 nerrors;
	const char	*text;		/* source of the file, for carets */
	size_t		 len;
};

/* Record one diagnostic; strings must outlive the list (arena or static). */
void	diag_add(struct diags *, enum diag_level, struct pos, const char *msg,
	    const char *hint, const char *compat);
void	diag_free(struct diags *);

/*
 * FILE:LINE:COL: error: MSG, the source line, a caret, "  hint: ...".
 * text/len is the source the positions point into.
 */
void	diag_print_compiler(FILE *, const struct diag *, const char *text,
	    size_t len);

/*
 * maildrop's form first ("FILE(LINE): Syntax error after )"), then the
 * compiler form indented by two spaces (LANGUAGE.md §9).
 */
void	diag_print_maildrop(FILE *, const struct diag *, const char *text,
	    size_t len);

/*
 * The record as one JSON object for --check --format=json
 * (tests/spec/trace.schema.json, "diagnostic"): place, severity,
 * message, hint, maildrop's text; origin says which check made it.
 */
void	diag_json(struct buf *out, const struct diag *, const char *origin);

/* The source line containing pos and a caret line under pos.col. */
void	diag_print_caret(FILE *, const char *indent, struct pos,
	    const char *text, size_t len);

#endif
