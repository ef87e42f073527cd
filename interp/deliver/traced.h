/*
 * traced.h: the real effects with a trace of what they do
 * (effects_traced.c), for the trace directory of real deliveries.
 */
#ifndef TRACED_H
#define TRACED_H

#include <stddef.h>

#include "../../grammar/buf.h"

struct run;
struct effects;

/*
 * fx_real, writing the dry run's lines for each act into text, which
 * stops growing at max bytes.  One traced run per process.
 */
const struct effects *traced_start(struct buf *text, size_t max);
/* The last line: what the run did, and its exit status. */
void	traced_result(struct run *, int status);

#endif
