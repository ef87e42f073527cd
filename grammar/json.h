/*
 * json.h: the pieces of a JSON document (--format=json): strings escaped
 * as RFC 8259 asks, positions.  The documents' schema is
 * tests/spec/trace.schema.json.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>

#include "ast.h"
#include "buf.h"

/*
 * s (len bytes, any bytes) as a JSON string: quotes, backslashes and
 * control bytes escaped, invalid UTF-8 as U+FFFD, so the document is
 * always valid UTF-8.
 */
void	json_str(struct buf *out, const char *s, size_t len);
/* "file": ..., "line": N, "col": N (no braces). */
void	json_pos(struct buf *out, const struct pos *);

#endif
