/*
 * msg_internal.h: what the files of the message module share and nobody
 * else needs: the shape of struct message, random access to its raw
 * bytes, and the decoders msg_scan() strings together.  Split this way so
 * that message.c (storage) knows nothing of MIME and the decoders know
 * nothing of temp files.
 */
#ifndef MSG_INTERNAL_H
#define MSG_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "../../grammar/buf.h"
#include "message.h"

/*
 * Messages up to MSG_MEM_MAX bytes stay in the heap; larger ones go to an
 * unlinked temp file and are read back in MSG_CHUNK pieces.
 */
#define MSG_MEM_MAX	(64 * 1024)
#define MSG_CHUNK	(64 * 1024)

/*
 * The top-level header is kept in memory for the index, up to
 * MSG_HEAD_MAX bytes; what follows an oversized header is treated as body.
 */
#define MSG_HEAD_MAX	(1024 * 1024)

/*
 * A line handed to a pattern is at most MSG_LINE_MAX bytes: longer lines
 * are cut into pieces of that size (on a UTF-8 character boundary) and
 * each piece is searched as a line of its own.  Unfolded header fields
 * are cut the same way.
 */
#define MSG_LINE_MAX	(64 * 1024)

/* A line of a scan cache: its bytes are text.p[off, off + len). */
struct msg_piece {
	size_t		 off, len;
	unsigned	 what;		/* MSG_TOP_HEADER, _PART_HEADERS, _BODY */
};

/*
 * Search text rendered once by msg_scan() and kept: every pattern of a
 * filter searches the same lines, and rendering them (RFC 2047,
 * addresses, transfer encodings, charsets) costs far more than the
 * search.  text holds the lines, each NUL-terminated as emitted; line the
 * pieces handed out, in order, each marked with what it belongs to.
 */
struct msg_cache {
	int		 state;		/* 0 not made, 1 made, -1 too big */
	unsigned	 what;		/* the MSG_* lines it was made with */
	struct buf	 text;
	struct msg_piece *line;
	size_t		 n, cap;
	struct byte_pairs *pairs;	/* of text, once a sieve looks */
};

/*
 * msgcache.c.  Note the line p[0, n), which lies in c->text, as one of
 * kind what; returns the bytes the cache now holds (text and index).
 */
size_t	msg_cache_add(struct msg_cache *, const char *p, size_t n,
	    unsigned what);
/* Hand the cached lines of the kinds in what to fn, in order. */
int	msg_cache_replay(const struct msg_cache *, unsigned what,
	    int (*fn)(void *, const char *, size_t), void *arg);
void	msg_cache_free(struct msg_cache *);

struct message {
	char		*mem;		/* the raw bytes when small, else NULL */
	int		 fd;		/* unlinked temp file when large, or -1 */
	off_t		 size;		/* SIZE */
	size_t		 lines;		/* LINES */
	struct buf	 head;		/* the top-level header bytes */
	off_t		 body_off;	/* where the body starts */
	struct msg_header *hdr;		/* index into head */
	size_t		 nhdr;
	char		*tmpdir;	/* for msg_replace */

	/*
	 * The top-level header as patterns see it, and the rest (part
	 * headers and decoded bodies) while it is small.  The new message
	 * of msg_replace() starts without; msg_free() drops them.
	 */
	struct msg_cache top, rest;
};

/*
 * A cache is given up past this many bytes (text and index), and the
 * text rendered afresh for each pattern, as if there were no cache: an
 * odd header whose rendering outgrows a few times MSG_HEAD_MAX, and any
 * body that is not small, so that memory does not grow with the message.
 */
#define MSG_HEADCACHE_MAX	(8 * MSG_HEAD_MAX)
#define MSG_RESTCACHE_MAX	(256 * 1024)

/* Read n bytes at off into p; returns the count (short at the end), -1. */
ssize_t	msg_pread(const struct message *, off_t off, char *p, size_t n);

/*
 * Reads a byte range of the message line by line (LF-terminated, the LF
 * excluded, a last line without LF included) in bounded memory.
 */
struct msg_lines {
	const struct message *m;
	off_t		 off, end;
	char		*buf;		/* MSG_CHUNK bytes of look-ahead */
	size_t		 pos, fill;
	off_t		 lineoff;	/* start of the line last returned */
	int		 nl;		/* and it ended with a newline */
	off_t		 bufoff;	/* message offset of buf[0] */
};

void	msg_lines_open(struct msg_lines *, const struct message *,
	    off_t from, off_t to);
/*
 * Returns 1 with the next line in p, n (at most MSG_LINE_MAX bytes), 0 at
 * the end, -1 with errno on a read error.  *cut is set when the line was
 * longer and this is only its first piece.  lineoff is where it started.
 */
int	msg_lines_next(struct msg_lines *, const char **p, size_t *n,
	    int *cut);
void	msg_lines_close(struct msg_lines *);

/*
 * Split header bytes (without the blank line) into fields, shared by the
 * top level and MIME parts.  A line without a colon (a leading "From "
 * line, DIFFERENCES.md B10) is a field whose name is the whole line and
 * whose value is empty, as maildrop has it.  Returns the count; *out is
 * malloc'ed and points into p.
 */
size_t	hdr_split(const char *p, size_t n, struct msg_header **out);

/*
 * hdr_display()'s two working buffers, kept by the caller from one
 * header to the next so that a header costs no allocation; freed with
 * hdr_work_free().
 */
struct hdr_work {
	struct buf	 value, decoded;
};
#define HDR_WORK_INIT	{ BUF_INIT, BUF_INIT }
void	hdr_work_free(struct hdr_work *);

/*
 * The line a pattern sees for one header field: "Name: value", the value
 * trimmed, folding newlines turned into spaces, encoded words decoded,
 * address fields re-rendered, all in valid UTF-8 (LANGUAGE.md §5.2).
 * name and value come from hdr_split() over NUL-terminated bytes.
 */
void	hdr_display(const char *name, size_t namelen, const char *value,
	    size_t valuelen, struct buf *out, struct hdr_work *w);

/* Skip blanks, folding and (nested) comments in a structured field. */
size_t	mime_skip_cfws(const char *v, size_t n, size_t i);

/*
 * The value of the parameter called name (case-insensitive) in the
 * "; attr=value" list v[0..n) of a Content-Type, RFC 2231 forms decoded,
 * into out.  Returns 0 when it is there, -1 (out untouched) when not.
 */
int	mime_param(const char *v, size_t n, const char *name,
	    struct buf *out);
int	hex_value(int c);		/* -1 unless a hex digit */

/* Encoded words (RFC 2047) in unstructured text, appended as UTF-8. */
void	rfc2047_decode(const char *s, size_t n, struct buf *out);
int	b64_value(int c);		/* -1 outside the base64 alphabet */

/*
 * Conversion to UTF-8.  Bytes that the charset cannot explain (or an
 * unknown charset's bytes that are not UTF-8) are dropped, as maildrop
 * drops them, so the result is always valid UTF-8.
 */
struct cs_conv;
struct cs_conv *cs_open(const char *charset, size_t n);	/* never NULL */
/* Convert a complete piece of text (stateless between calls). */
void	cs_convert(struct cs_conv *, const char *s, size_t n,
	    struct buf *out);
void	cs_close(struct cs_conv *);
/*
 * 0 when no conversion is known for the charset (nor for its label in
 * the WHATWG table): cs_convert then reads it as UTF-8, which is a guess
 * the callers do not make.
 */
int	cs_known(const struct cs_conv *);
/* 1 when cs_convert() only repairs UTF-8 (UTF-8, ASCII, no charset). */
int	cs_utf8(const struct cs_conv *);
/* 1 when s[0, n) is valid UTF-8 (utf8_repair would keep every byte). */
int	utf8_valid(const char *s, size_t n);
/* Append s to out without its invalid UTF-8 bytes. */
void	utf8_repair(const char *s, size_t n, struct buf *out);
/* Length of the longest prefix of s (<= n) ending on a char boundary. */
size_t	utf8_cut(const char *s, size_t n);

#endif
