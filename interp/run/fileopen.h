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

/*
 * The errno of a file refused for its kind: this bit with the kind's
 * S_IFMT bits, so the value itself says what was found and
 * file_strerror() names it, wherever the value travels (an rt_error's
 * errnum).  FILE_REFUSED(e) tells such a value from a real errno.
 */
#define FILE_EKIND		0x10000
#define FILE_EKIND_OF(mode)	(FILE_EKIND | (int)((mode) & S_IFMT))
#define FILE_REFUSED(e)		(((e) & FILE_EKIND) != 0)

/* What file_open() accepts besides a regular file. */
#define FILE_CHR	0x1	/* character devices (/dev/null) */

/*
 * open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode), fstat,
 * refuse anything but a regular file (and what `allow` adds), then clear
 * O_NONBLOCK.  Returns the descriptor and *st (NULL is fine), or -1 with
 * errno; a file of another kind gives errno FILE_EKIND_OF(its mode), its stat in *st.
 */
int	 file_open(const char *path, int flags, mode_t mode, unsigned allow,
	    struct stat *st);

/* strerror(e), or for a refused file's value "a named pipe (FIFO), not
   a regular file" and the like. */
const char *file_strerror(int e);

/* Read a whole regular file into b (appended): 0, or -1 with errno. */
int	 file_slurp(const char *path, struct buf *b);
/* The same, or -1 with EFBIG when it holds more than max bytes. */
int	 file_slurp_max(const char *path, struct buf *b, size_t max);

#endif
