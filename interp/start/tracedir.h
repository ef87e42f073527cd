/*
 * tracedir.h: the trace of a real delivery, stored in the user's trace
 * directory (tracedir.c).
 */
#ifndef TRACEDIR_H
#define TRACEDIR_H

#include "../../grammar/buf.h"

/*
 * Write head and text into a new file of dir, keeping at most `files`
 * traces there.  Never fails: when dir is unsafe or the write fails,
 * there is simply no trace.
 */
void	tracedir_write(const char *dir, const struct buf *head,
	    const struct buf *text, unsigned files);

#endif
