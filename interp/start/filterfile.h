/*
 * filterfile.h: finding, checking and reading a filter file: the user's
 * (.mailfilter, -M's $HOME/.mailfilters/NAME) or the system's
 * (<sysconfdir>/maildroprc).  Each call prints maildrop's lines itself
 * when it refuses, and returns the exit status.
 */
#ifndef FILTERFILE_H
#define FILTERFILE_H

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"
#include "user.h"

/* open(2) file for reading, with VERBOSE's "Attempting" line. */
int	filter_open(struct run *, const struct buf *file);

/* -M NAME as a file name (and MAILFILTER): '/' and '.' become ':'. */
void	filter_embedded_name(const char *name, struct buf *n);

/*
 * DELIVERY.md §1 -M: $HOME/.mailfilters/NAME (n, from
 * filter_embedded_name(), is cut here), then NAME-default, then each
 * shorter "-"-prefix plus "-default", then "default".  Returns an open
 * fd, -1 (errno set: none opened) or -2 (the directory is refused); file
 * is the last name tried.
 */
int	filter_open_embedded(struct run *, const struct user *,
	    struct buf *n, struct buf *file);

/*
 * DIFFERENCES.md A14: refuse a filter others could rewrite (group or
 * world writable, or owned by someone other than u or root); read bits
 * are fine, as under Debian's maildrop.  0, or the exit status.
 */
int	filter_checks(struct run *, const struct user *u, int fd,
	    const char *file);

/*
 * Read and parse a filter that is already open (flags: PARSE_*), into
 * r->perm.  0 and the program, or the exit status after printing
 * maildrop's lines.
 */
int	filter_load(struct run *, int fd, const char *file, unsigned flags,
	    struct program **out);

#endif
