/*
 * value.h: every filter value is a byte string; numbers live only for
 * the length of an operator (LANGUAGE.md §2).
 */
#ifndef VALUE_H
#define VALUE_H

#include <stddef.h>

#include "../../grammar/buf.h"

/* Truth (LANGUAGE.md §2, with the fix of DIFFERENCES.md B1). */
int	value_true(const char *, size_t);
/* String -> number, C atof rules on a byte string. */
double	value_number(const char *, size_t);
/* Number -> string, "%.22g" as maildrop prints (LANGUAGE.md §2). */
void	value_format(double, struct buf *out);

#endif
