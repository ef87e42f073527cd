/*
 * buf.h: a growable byte string.  Filter values are byte strings that may
 * hold any byte, NUL included, so every value carries its length; p is kept
 * NUL-terminated for the C library calls that need it.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*p;		/* NUL-terminated when non-NULL */
	size_t	 len, cap;
};

#define BUF_INIT	{ NULL, 0, 0 }

void	 buf_grow(struct buf *, size_t extra);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, int);
void	 buf_adds(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_set(struct buf *, const void *, size_t);
void	 buf_truncate(struct buf *, size_t n);	/* first n bytes */
void	 buf_reset(struct buf *);	/* len = 0, keeps memory */
void	 buf_free(struct buf *);
const char *buf_cstr(struct buf *);	/* "" when empty */

#endif
