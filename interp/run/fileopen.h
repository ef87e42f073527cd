/*
 * fileopen.h: opening a path that the filter or the user's home names
 * (a mailbox, a filter, an included or looked-up file, a log, a lock or
 * quota file).  Such a path may be a named pipe someone planted: a plain
 * open() of a FIFO waits for the other end for ever, and the MTA's
 * delivery slot with it.  file_open() cannot hang there.
 */
#ifndef FILEOPEN_H
#define FILEOPEN_H

#include <sys/stat.h>
#include <sys/types.h>

#include "../../grammar/buf.h"

/* The errno of a file refused for its kind; file_strerror() names it. */
#define FILE_EKIND	0x10000

/* What file_open() accepts besides a regular file. */
#define FILE_CHR	0x1	/* character devices (/dev/null) */

/*
 * open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode), fstat,
 * refuse anything but a regular file (and what `allow` adds), then clear
 * O_NONBLOCK.  Returns the descriptor and *st (NULL is fine), or -1 with
 * errno; a file of another kind gives errno FILE_EKIND, its stat in *st.
 */
int	 file_open(const char *path, int flags, mode_t mode, unsigned allow,
	    struct stat *st);

/* A file refused for its kind (st_mode) by a check of one's own, so that
   file_strerror() names it: returns FILE_EKIND. */
int	 file_refuse(mode_t kind);

/* strerror(e), or for FILE_EKIND "a named pipe (FIFO), not a regular
   file" and the like, from the last refusal. */
const char *file_strerror(int e);

/* Read a whole regular file into b (appended): 0, or -1 with errno. */
int	 file_slurp(const char *path, struct buf *b);
/* The same, or -1 with EFBIG when it holds more than max bytes. */
int	 file_slurp_max(const char *path, struct buf *b, size_t max);

#endif
