/*
 * logrec.h: the record a delivery leaves in the logfile (DELIVERY.md
 * §4.5).  Its layout is maildrop's to the byte, because people grep these
 * files and scripts parse them.
 */
#ifndef LOGREC_H
#define LOGREC_H

#include <stddef.h>
#include <time.h>

#include "../../grammar/buf.h"

struct run;
struct message;

/*
 * Append the record for one delivery attempt to r->logfd (if open).
 * maildrop logs only deliveries that got as far as writing; we log every
 * failed one too (DIFFERENCES.md B22), and run_report() adds the error
 * record after it, as stderr shows it.
 */
void	logrec_delivery(struct run *, const char *mailbox, int failed,
	    size_t size);

/*
 * Append the last header called name: its first line, leading blanks
 * gone, cut to 72 bytes on a character boundary.  Nothing if absent.
 */
void	logrec_header(const struct message *, const char *name,
	    struct buf *out);

/* The record as text, for tests: when is the Date: line's time. */
void	logrec_format(const struct message *, time_t when,
	    const char *mailbox, int failed, size_t size, struct buf *out);

#endif
