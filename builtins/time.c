/*
 * time.c: time, the current Unix time as an integer string, which
 * filters compare with numbers they stored (gdbm vacation records).
 */
#include <time.h>

#include "bi.h"

enum flow
bi_time(struct run *r, const struct expr *call, struct buf *out)
{
	buf_reset(out);
	buf_printf(out, "%lld", (long long)time(NULL));
	return FLOW_NEXT;
}
