/*
 * eval_int.h: what the evaluator's files (eval.c, expr.c, echo.c) share
 * and nobody else needs.
 */
#ifndef EVAL_INT_H
#define EVAL_INT_H

#include <stddef.h>

#include "../../grammar/buf.h"

/*
 * echo/log escapes (LANGUAGE.md §4.6) of s into out, the final newline
 * included unless a trailing \c suppresses it.
 */
void		 echo_unescape(const char *s, size_t n, struct buf *out);

#endif
