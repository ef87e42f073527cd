/*
 * message.c: the message as bytes.  stdin is read once; the raw bytes are
 * what every delivery writes (DELIVERY.md §3: verbatim, From_ line and
 * CRs kept), so they are stored untouched: in the heap up to MSG_MEM_MAX,
 * past that in an unlinked temp file, so a 100 MB message never sits in
 * memory.  The temp file is read back with pread(2) in MSG_CHUNK pieces
 * rather than mapped: every touched page of a mapping counts in the
 * resident size, and a file truncated under a mapping is a SIGBUS.  Only
 * the top-level header is copied aside and indexed, because the header is
 * what filters ask about over and over.  Decoding for patterns lives in
 * msgscan.c and the files it calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "msg_internal.h"

/* Reading state: where the header ends is found on the fly. */
struct reader {
	struct message	*m;
	struct buf	 mem;
	const char	*tmpdir;
	int		 head_done;
	size_t		 line_start;	/* in m->head, of the current line */
};

int
msg_tmpfile(const char *dir)
{
	struct buf path = BUF_INIT;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = secure_getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	/* No O_TMPFILE (old kernel, some file systems): name, then unlink. */
	buf_printf(&path, "%s/runnel-msg.XXXXXX", dir);
	fd = mkostemp(path.p, O_CLOEXEC);
	if (fd >= 0)
		(void)unlink(path.p);
	buf_free(&path);
	return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy header bytes aside until the blank line that ends the header.  The
 * blank line itself belongs to neither: body_off points past it.
 */
static void
take_head(struct reader *r, const char *p, size_t n, off_t base)
{
	struct message *m = r->m;
	const char *nl;
	size_t i = 0, seg, len;

	while (i < n && !r->head_done) {
		/* the rest of the line, up to its newline, in one piece */
		nl = memchr(p + i, '\n', n - i);
		seg = (nl != NULL ? (size_t)(nl - p) : n) - i;
		if (seg > 0 && seg >= MSG_HEAD_MAX - m->head.len) {
			/*
			 * Oversized header: its last whole line ends it and
			 * what follows is body.  head holds the message's
			 * first bytes, so offsets in head are offsets in it.
			 */
			buf_truncate(&m->head, r->line_start);
			m->body_off = (off_t)r->line_start;
			r->head_done = 1;
			break;
		}
		buf_add(&m->head, p + i, seg);
		i += seg;
		if (nl == NULL)
			break;
		len = m->head.len - r->line_start;
		if (len == 0 || (len == 1 && m->head.p[r->line_start] ==
		    '\r')) {
			buf_truncate(&m->head, r->line_start);
			m->body_off = base + (off_t)i + 1;
			r->head_done = 1;
			break;
		}
		buf_addc(&m->head, '\n');
		r->line_start = m->head.len;
		i++;
	}
}

static int
store(struct reader *r, const char *p, size_t n)
{
	struct message *m = r->m;
	const char *q;
	size_t left;

	if (!r->head_done)
		take_head(r, p, n, m->size);
	for (q = p, left = n; (q = memchr(q, '\n', left)) != NULL; q++) {
		m->lines++;
		left = n - (size_t)(q + 1 - p);
	}
	if (m->fd < 0 && r->mem.len + n <= MSG_MEM_MAX) {
		buf_add(&r->mem, p, n);
	} else {
		if (m->fd < 0) {
			if ((m->fd = msg_tmpfile(r->tmpdir)) < 0)
				return -1;
			if (write_all(m->fd, r->mem.p, r->mem.len) < 0)
				return -1;
			buf_free(&r->mem);
		}
		if (write_all(m->fd, p, n) < 0)
			return -1;
	}
	m->size += (off_t)n;
	return 0;
}

struct message *
msg_read(int fd, const char *const *extra, size_t nextra, const char *tmpdir)
{
	struct message *m;
	struct reader r;
	char *chunk;
	ssize_t got;
	size_t i;
	int saved;

	m = xcalloc(1, sizeof(*m));
	m->fd = -1;
	m->tmpdir = tmpdir != NULL ? xstrdup(tmpdir) : NULL;
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.tmpdir = tmpdir;
	chunk = xmalloc(MSG_CHUNK);

	/*
	 * -A lines go before the first header and are part of the message
	 * and of SIZE; maildrop counts only stdin's lines in LINES.
	 */
	for (i = 0; i < nextra; i++) {
		if (store(&r, extra[i], strlen(extra[i])) < 0 ||
		    store(&r, "\n", 1) < 0)
			goto fail;
	}
	m->lines = 0;
	for (;;) {
		got = read(fd, chunk, MSG_CHUNK);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (got == 0)
			break;
		if (store(&r, chunk, (size_t)got) < 0)
			goto fail;
	}
	free(chunk);
	if (!r.head_done)
		m->body_off = m->size;	/* all header, no body */
	if (m->fd < 0) {
		m->mem = r.mem.p;	/* may be NULL: an empty message */
		r.mem.p = NULL;
	}
	buf_add(&m->head, "", 0);	/* NUL-terminated, non-NULL */
	m->nhdr = hdr_split(m->head.p, m->head.len, &m->hdr);
	return m;

fail:
	saved = errno;
	free(chunk);
	buf_free(&r.mem);
	msg_free(m);
	errno = saved;
	return NULL;
}

void
msg_free(struct message *m)
{
	if (m == NULL)
		return;
	free(m->mem);
	if (m->fd >= 0)
		(void)close(m->fd);
	buf_free(&m->head);
	free(m->hdr);
	free(m->tmpdir);
	msg_cache_free(&m->top);
	msg_cache_free(&m->rest);
	free(m);
}

off_t
msg_size(const struct message *m)
{
	return m->size;
}

size_t
msg_lines(const struct message *m)
{
	return m->lines;
}

size_t
msg_nheaders(const struct message *m)
{
	return m->nhdr;
}

const struct msg_header *
msg_header_at(const struct message *m, size_t i)
{
	return i < m->nhdr ? &m->hdr[i] : NULL;
}

/*
 * RFC 5322 unfolding: the line breaks go, the blanks after them stay.
 * CRs of CRLF lines go too; builtins compare addresses, not bytes.
 */
void
msg_header_unfold(const struct message *m, size_t i, struct buf *out)
{
	const struct msg_header *h;
	size_t k = 0;

	if (i >= m->nhdr)
		return;
	h = &m->hdr[i];
	while (k < h->valuelen && (h->value[k] == ' ' || h->value[k] == '\t'))
		k++;
	for (; k < h->valuelen; k++) {
		if (h->value[k] == '\n')
			continue;
		if (h->value[k] == '\r' && k + 1 < h->valuelen &&
		    h->value[k + 1] == '\n')
			continue;
		buf_addc(out, h->value[k]);
	}
	buf_add(out, "", 0);
}

ssize_t
msg_pread(const struct message *m, off_t off, char *p, size_t n)
{
	ssize_t got;

	if (off >= m->size)
		return 0;
	if ((off_t)n > m->size - off)
		n = (size_t)(m->size - off);
	if (m->fd < 0) {
		memcpy(p, m->mem + off, n);
		return (ssize_t)n;
	}
	for (;;) {
		got = pread(m->fd, p, n, off);
		if (got < 0 && errno == EINTR)
			continue;
		return got;
	}
}

int
msg_each_chunk(const struct message *m,
    int (*fn)(void *arg, const char *p, size_t n), void *arg)
{
	char *chunk;
	off_t off;
	ssize_t got;
	size_t n;
	int rc = 0, saved;

	if (m->fd < 0) {
		for (off = 0; off < m->size && rc == 0; off += (off_t)n) {
			n = m->size - off > MSG_CHUNK ? MSG_CHUNK :
			    (size_t)(m->size - off);
			rc = fn(arg, m->mem + off, n);
		}
		return rc;
	}
	chunk = xmalloc(MSG_CHUNK);
	for (off = 0; off < m->size && rc == 0; off += got) {
		got = msg_pread(m, off, chunk, MSG_CHUNK);
		if (got <= 0) {
			saved = got == 0 ? EIO : errno;	/* file shrank */
			free(chunk);
			errno = saved;
			return -1;
		}
		rc = fn(arg, chunk, (size_t)got);
	}
	free(chunk);
	return rc;
}

static int
write_chunk(void *arg, const char *p, size_t n)
{
	return write_all(*(int *)arg, p, n);
}

int
msg_write_fd(const struct message *m, int fd)
{
	return msg_each_chunk(m, write_chunk, &fd) != 0 ? -1 : 0;
}

/*
 * xfilter: the filter's output becomes the message.  Read it whole into
 * a new message first so that a failed read leaves the old one in place.
 * The whole struct is swapped, so the old header cache (msg_scan) goes
 * with the old message and the new one renders its own.
 */
int
msg_replace(struct message *m, int fd)
{
	struct message *n, old;

	n = msg_read(fd, NULL, 0, m->tmpdir);
	if (n == NULL)
		return -1;
	old = *m;
	*m = *n;
	m->tmpdir = old.tmpdir;
	n->tmpdir = NULL;
	*n = old;
	n->tmpdir = NULL;
	msg_free(n);
	return 0;
}

/*
 * DELIVERY.md §3: the first Return-Path: of the top-level header; after
 * the colon, blanks and one '<' skipped, the address runs to '>' or a
 * blank.  Only the field's first line counts, as in 2.9.3 [observed: a
 * folded "Return-Path:\n <a@b>" and "<>" both give an empty address,
 * which maildrop then replaces with the invoking user's login name].
 */
int
msg_return_path(const struct message *m, struct buf *out)
{
	const struct msg_header *h;
	size_t i, k, start;

	for (i = 0; i < m->nhdr; i++) {
		h = &m->hdr[i];
		if (h->namelen != 11 ||
		    strncasecmp(h->name, "Return-Path", 11) != 0)
			continue;
		k = 0;
		while (k < h->valuelen && (h->value[k] == ' ' ||
		    h->value[k] == '\t'))
			k++;
		if (k < h->valuelen && h->value[k] == '<')
			k++;
		start = k;
		while (k < h->valuelen && h->value[k] != '>' &&
		    h->value[k] != ' ' && h->value[k] != '\t' &&
		    h->value[k] != '\n' && h->value[k] != '\r')
			k++;
		buf_add(out, h->value + start, k - start);
		return 0;
	}
	return -1;
}

/*
 * Fields start at the beginning of a line; a line starting with a blank
 * continues the field before it.  Values keep their folding; the final
 * CR of a CRLF line is not part of the value.
 */
size_t
hdr_split(const char *p, size_t n, struct msg_header **out)
{
	struct msg_header *v = NULL, *h;
	size_t nv = 0, cap = 0, i = 0, eol, end;
	const char *colon;

	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);

		eol = nl != NULL ? (size_t)(nl - p) : n;
		end = eol;
		if (end > i && p[end - 1] == '\r')
			end--;
		if ((p[i] == ' ' || p[i] == '\t') && nv > 0) {
			h = &v[nv - 1];
			h->valuelen = (size_t)(p + end - h->value);
		} else {
			if (nv == cap) {
				cap = cap ? cap * 2 : 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			h = &v[nv++];
			h->name = p + i;
			colon = memchr(p + i, ':', end - i);
			if (colon != NULL) {
				h->namelen = (size_t)(colon - (p + i));
				h->value = colon + 1;
				h->valuelen = (size_t)(p + end - h->value);
			} else {
				h->namelen = end - i;
				h->value = p + end;
				h->valuelen = 0;
			}
		}
		i = eol + 1;
	}
	*out = v;
	return nv;
}

/*
 * The line reader behind msg_scan(): a window of 2 * MSG_LINE_MAX bytes
 * slides over the range, so memory stays bounded however long the
 * message or its lines.
 */
#define LINES_BUF	(2 * MSG_LINE_MAX)

/*
 * Buffers are reused: a MIME message opens a reader per part, and a fresh
 * 128 KiB allocation each time is an mmap and munmap each time.
 */
static char	*pool[8];
static size_t	 npool;

void
msg_lines_open(struct msg_lines *l, const struct message *m, off_t from,
    off_t to)
{
	memset(l, 0, sizeof(*l));
	l->m = m;
	l->off = from;
	l->end = to < m->size ? to : m->size;
	l->bufoff = from;
	l->lineoff = from;
	l->buf = npool > 0 ? pool[--npool] : xmalloc(LINES_BUF);
}

int
msg_lines_next(struct msg_lines *l, const char **p, size_t *n, int *cut)
{
	const char *nl;
	size_t avail, piece;
	ssize_t got;

	*cut = 0;
	l->nl = 0;
	for (;;) {
		avail = l->fill - l->pos;
		nl = memchr(l->buf + l->pos, '\n', avail);
		if (nl != NULL && (size_t)(nl - (l->buf + l->pos)) <=
		    MSG_LINE_MAX) {
			*p = l->buf + l->pos;
			*n = (size_t)(nl - *p);
			l->lineoff = l->bufoff + (off_t)l->pos;
			l->pos += *n + 1;
			l->nl = 1;
			return 1;
		}
		if (avail > MSG_LINE_MAX) {
			piece = utf8_cut(l->buf + l->pos, MSG_LINE_MAX);
			if (piece == 0)
				piece = MSG_LINE_MAX;
			*p = l->buf + l->pos;
			*n = piece;
			*cut = 1;
			l->lineoff = l->bufoff + (off_t)l->pos;
			l->pos += piece;
			return 1;
		}
		if (l->off >= l->end) {
			if (avail == 0)
				return 0;
			*p = l->buf + l->pos;	/* last line, no newline */
			*n = avail;
			l->lineoff = l->bufoff + (off_t)l->pos;
			l->pos = l->fill;
			return 1;
		}
		memmove(l->buf, l->buf + l->pos, avail);
		l->bufoff += (off_t)l->pos;
		l->pos = 0;
		l->fill = avail;
		piece = LINES_BUF - l->fill;
		if ((off_t)piece > l->end - l->off)
			piece = (size_t)(l->end - l->off);
		got = msg_pread(l->m, l->off, l->buf + l->fill, piece);
		if (got < 0)
			return -1;
		if (got == 0)
			l->end = l->off;	/* file shorter than said */
		l->off += got;
		l->fill += (size_t)got;
	}
}

void
msg_lines_close(struct msg_lines *l)
{
	if (l->buf != NULL && npool < nitems(pool))
		pool[npool++] = l->buf;
	else
		free(l->buf);
	l->buf = NULL;
}
