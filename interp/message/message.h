/*
 * message.h: the message, read from stdin once.  The raw bytes are kept
 * for delivery (in memory when small, in an unlinked temp file when large);
 * the top-level header is indexed; the text that patterns search is made
 * on demand, line by line, in bounded memory (DIFFERENCES.md part C).
 */
#ifndef MESSAGE_H
#define MESSAGE_H

#include <stddef.h>
#include <sys/types.h>

#include "../../grammar/buf.h"

struct byte_pairs;

struct message;

/* One top-level header field, as it stands in the raw message. */
struct msg_header {
	const char	*name;		/* not NUL-terminated */
	size_t		 namelen;
	const char	*value;		/* after the colon, folding included,
					   final newline excluded */
	size_t		 valuelen;
};

/*
 * Read the whole message from fd.  extra[] are -A header lines, placed
 * before the first header.  Returns NULL with errno set on a read or
 * temp-file error (the caller exits 75).  tmpdir may be NULL (TMPDIR or
 * /tmp).
 */
struct message	*msg_read(int fd, const char *const *extra, size_t nextra,
		    const char *tmpdir);
void		 msg_free(struct message *);

/*
 * An unnamed file (O_TMPFILE, else named and unlinked at once), mode
 * 0600, close-on-exec, in dir (NULL or "": TMPDIR, else /tmp); -1/errno.
 */
int		 msg_tmpfile(const char *dir);

off_t		 msg_size(const struct message *);	/* SIZE */
size_t		 msg_lines(const struct message *);	/* LINES */

/* Top-level header fields in order. */
size_t		 msg_nheaders(const struct message *);
const struct msg_header *msg_header_at(const struct message *, size_t);

/* Unfolded raw value (no decoding) of field i, leading blanks removed. */
void		 msg_header_unfold(const struct message *, size_t i,
		    struct buf *out);

/*
 * Raw bytes in order, in chunks of bounded size.  Stops and returns the
 * callback's value when it returns non-zero; -1 with errno on a read error.
 */
int		 msg_each_chunk(const struct message *,
		    int (*fn)(void *arg, const char *p, size_t n), void *arg);

/* Write the raw message to fd, all of it; -1 with errno on failure. */
int		 msg_write_fd(const struct message *, int fd);

/* What message patterns search (LANGUAGE.md §5.2). */
#define MSG_TOP_HEADER	0x01	/* top-level header, decoded lines */
#define MSG_PART_HEADERS 0x02	/* headers of MIME sub-parts */
#define MSG_BODY	0x04	/* decoded text bodies */

/*
 * Call fn once per searchable line (UTF-8, no CR, no LF, headers unfolded
 * and rendered "Name: value") of the parts selected, in message order.
 * Stops and returns fn's value when it is non-zero.  Never fails on broken
 * input: what cannot be decoded is passed through as it is.
 */
int		 msg_scan(struct message *, unsigned what,
		    int (*fn)(void *arg, const char *line, size_t len),
		    void *arg);

/*
 * msg_scan() with a sieve: may(arg, text, n, pairs) is shown blocks of
 * the text whose lines fn would be handed (many lines at once, '\n' or
 * NUL between them, or pieces of them), and where it returns 0 none of
 * those lines is handed to fn.  may must return 0 only when no line
 * inside the block could be one that fn acts on.  pairs is NULL or the
 * byte pairs of the block (bytepairs.h), made once for a block that
 * every pattern is shown (the cached lines).
 */
int		 msg_scan_sieved(struct message *, unsigned what,
		    int (*fn)(void *arg, const char *line, size_t len),
		    int (*may)(void *arg, const char *text, size_t n,
		    const struct byte_pairs *pairs),
		    void *arg);

/*
 * Replace the message with what is read from fd (xfilter).  Returns -1
 * with errno on failure, leaving the old message in place.
 */
int		 msg_replace(struct message *, int fd);

/* Envelope sender from the first Return-Path: header; 0 if found. */
int		 msg_return_path(const struct message *, struct buf *out);

#endif
