/*
 * ruletest.h: what one case of `runnel test` records while its dry run
 * goes (ruletest_fx.c), for the verdict (ruletest.c).
 */
#ifndef RULETEST_H
#define RULETEST_H

#include <stddef.h>

#include "../../grammar/buf.h"
#include "testfile.h"

struct case_record {
	const struct testfile *tf;	/* its stubs */
	char		**delivered;	/* each mailbox the run delivered to */
	size_t		 ndelivered;
	struct buf	 log;		/* the text of every log statement,
					   each ending in a newline */
};

/*
 * The dry-run effects with a recorder and the test file's stubs around
 * them, recording into rec (one case per process).
 */
struct effects;
const struct effects *ruletest_fx(struct case_record *rec);

#endif
