/*
 * buf.h: a growable byte string.  Filter values are byte strings that may
 * hold any byte, NUL included, so every value carries its length; p is kept
 * NUL-terminated for the C library calls that need it.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

/*
 * A buffer may mark byte ranges: interp/ marks the text that came from
 * the message, so it can be quoted where it lands in a shell command
 * (DIFFERENCES.md B24).  Appending keeps the marks; setting or resetting
 * clears them; buf_addb and buf_copy carry them along with the bytes.
 */
struct buf_span {
	size_t	 off, len;
};

struct buf {
	char	*p;		/* NUL-terminated when non-NULL */
	size_t	 len, cap;
	struct buf_span *mark;	/* sorted, disjoint; may reach past len
				   after a caller shortened len: ignored */
	size_t	 nmark, capmark;
};

#define BUF_INIT	{ NULL, 0, 0, NULL, 0, 0 }

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

/* Mark b[off, off + n). */
void	 buf_mark(struct buf *, size_t off, size_t n);
/* Append src's bytes and its marks. */
void	 buf_addb(struct buf *, const struct buf *src);
/* dst = src, bytes and marks. */
void	 buf_copy(struct buf *dst, const struct buf *src);
/* Mark what src marks of src[from, from + n) at dst[at, at + n). */
void	 buf_mark_like(struct buf *dst, size_t at, const struct buf *src,
	    size_t from, size_t n);
/* Is any byte of b[0, len) marked? */
int	 buf_marked(const struct buf *);
/* Forget every mark. */
void	 buf_unmark(struct buf *);

#endif
