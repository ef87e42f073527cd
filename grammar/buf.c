/* buf.c: growable byte strings (see buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		xalloc_fail();
	if (need <= b->cap)
		return;
	if (b->cap * 2 > need)
		need = b->cap * 2;
	if (need < 32)
		need = 32;
	b->p = xrealloc(b->p, need);
	b->cap = need;
	b->p[b->len] = '\0';	/* a first allocation is terminated too */
}

/* Marks past a len some caller shortened must not cover new bytes. */
static void
clip_marks(struct buf *b)
{
	struct buf_span *last;

	while (b->nmark > 0 && b->mark[b->nmark - 1].off >= b->len)
		b->nmark--;
	if (b->nmark > 0) {
		last = &b->mark[b->nmark - 1];
		if (last->len > b->len - last->off)
			last->len = b->len - last->off;
	}
}

void
buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->nmark > 0)
		clip_marks(b);
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	/* Byte loops call this per byte: room for it and the NUL, no marks. */
	if (b->nmark == 0 && b->len + 2 <= b->cap) {
		b->p[b->len++] = ch;
		b->p[b->len] = '\0';
		return;
	}
	buf_add(b, &ch, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (b->nmark > 0)
		clip_marks(b);
	/* Formatted once into the room there is; again only when short. */
	buf_grow(b, 64);
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->p[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
buf_set(struct buf *b, const void *s, size_t n)
{
	b->len = 0;
	b->nmark = 0;
	buf_add(b, s, n);
}

/* Keep the first n bytes (n <= len); the rest is gone, p stays a string. */
void
buf_truncate(struct buf *b, size_t n)
{
	if (n < b->len)
		b->len = n;
	if (b->p != NULL)
		b->p[b->len] = '\0';
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->nmark = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	free(b->mark);
	b->p = NULL;
	b->mark = NULL;
	b->len = b->cap = 0;
	b->nmark = b->capmark = 0;
}

void
buf_unmark(struct buf *b)
{
	b->nmark = 0;
}

/*
 * Spans are added in increasing order almost always (appending); one
 * that touches or overlaps the last is merged into it.  Out of order
 * (a caller marking backwards) the list is kept sorted by insertion.
 */
void
buf_mark(struct buf *b, size_t off, size_t n)
{
	struct buf_span *last;
	size_t i, end;

	if (n == 0)
		return;
	if (b->nmark > 0) {
		last = &b->mark[b->nmark - 1];
		if (off >= last->off && off <= last->off + last->len) {
			end = off + n > last->off + last->len ? off + n :
			    last->off + last->len;
			last->len = end - last->off;
			return;
		}
	}
	if (b->nmark == b->capmark) {
		b->capmark = b->capmark ? b->capmark * 2 : 4;
		b->mark = xrealloc(b->mark, b->capmark * sizeof(*b->mark));
	}
	for (i = b->nmark; i > 0 && b->mark[i - 1].off > off; i--)
		b->mark[i] = b->mark[i - 1];
	b->mark[i].off = off;
	b->mark[i].len = n;
	b->nmark++;
}

void
buf_mark_like(struct buf *dst, size_t at, const struct buf *src,
    size_t from, size_t n)
{
	size_t i, s, e;

	for (i = 0; i < src->nmark; i++) {
		s = src->mark[i].off;
		e = s + src->mark[i].len;
		if (e > src->len)
			e = src->len;
		if (s < from)
			s = from;
		if (e > from + n)
			e = from + n;
		if (s < e)
			buf_mark(dst, at + (s - from), e - s);
	}
}

void
buf_addb(struct buf *b, const struct buf *src)
{
	size_t at = b->len;

	if (src == b) {
		struct buf tmp = BUF_INIT;

		buf_copy(&tmp, src);
		buf_addb(b, &tmp);
		buf_free(&tmp);
		return;
	}
	buf_add(b, src->p != NULL ? src->p : "", src->len);
	buf_mark_like(b, at, src, 0, src->len);
}

void
buf_copy(struct buf *dst, const struct buf *src)
{
	if (dst == src)
		return;
	buf_reset(dst);
	buf_addb(dst, src);
}

int
buf_marked(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->nmark; i++)
		if (b->mark[i].off < b->len && b->mark[i].len > 0)
			return 1;
	return 0;
}

const char *
buf_cstr(struct buf *b)
{
	return b->p != NULL ? b->p : "";
}
