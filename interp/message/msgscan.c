/*
 * msgscan.c: the text that message patterns search (LANGUAGE.md §5.2,
 * DIFFERENCES.md part C), made line by line as maildrop 2.9.3's
 * rfc2045_decodemsgtoutf8() makes it: each header field one line, "Name:
 * value"; for a MIME message the parts walked in order, part headers
 * included, the leaf bodies of text and message types decoded from their
 * transfer encoding and charset; without Mime-Version the body as it
 * stands.
 *
 * Nothing is held whole: each level of MIME nesting reads its range of
 * the raw message through its own bounded line reader, and a part's
 * body is decoded line by line.  A multipart's parts are handled as each
 * closing delimiter is met, so no list of parts is built either.
 *
 * Deliberate differences from 2.9.3: the last line is searched even
 * without a final newline (B21), CRs are never seen (2.9.3 shows the CR
 * of CRLF lines in non-MIME bodies), and every line is valid UTF-8
 * (charset.c says how undecodable bytes are shown).  Content-Type
 * parameters are also read in their RFC 2231 forms (mimeparam.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../grammar/arena.h"
#include "bytepairs.h"
#include "msg_internal.h"

/* MIME nesting deeper than this is searched as an opaque leaf. */
#define MIME_DEPTH_MAX	30

struct scan {
	struct message	*m;
	unsigned	 what;
	int		(*fn)(void *, const char *, size_t);
	void		*arg;
	struct buf	 text;		/* one header or decoded line */
	struct buf	 out;		/* what is handed to fn */
	struct hdr_work	 hw;		/* hdr_display()'s, header to header */
	struct msg_cache *keep;		/* lines go on here, or NULL */
	size_t		 keepmax;	/* and the cache's limit */
	unsigned	 cur;		/* what the lines emitted belong to */
	/* msg_scan_sieved()'s look at a block of lines, or NULL */
	int		(*may)(void *, const char *, size_t,
			    const struct byte_pairs *);
};

/* The blocks the sieve looks at: below malloc's mmap threshold. */
#define SIEVE_BLOCK	(64 * 1024)

/* What a Content-Type and Content-Transfer-Encoding say. */
struct mime_info {
	char		 type[128];	/* "text/plain", lower case */
	struct buf	 boundary;
	struct buf	 charset;
	enum { CTE_NONE, CTE_QP, CTE_BASE64 } cte;
};

/*
 * Hand UTF-8 text to the pattern, one call per line: it is split at
 * newlines, its CRs dropped, and pieces longer than MSG_LINE_MAX cut.
 * With s->keep set (making a cache) each line is appended there,
 * NUL-terminated, instead of built in s->out, so that the pieces handed
 * to fn stay readable afterwards at the same offsets.
 */
static int
emit(struct scan *s, const char *p, size_t n)
{
	struct buf *out = s->keep != NULL ? &s->keep->text : &s->out;
	const char *nl, *cr, *q;
	size_t len, i, k, start, qlen, piece;
	int rc;

	for (;;) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) : n;
		if (s->keep == NULL)
			buf_reset(out);
		start = out->len;
		/* Runs between CRs are copied whole: bytewise is slow. */
		for (i = 0; i < len; i = k + 1) {
			cr = memchr(p + i, '\r', len - i);
			k = cr != NULL ? (size_t)(cr - p) : len;
			buf_add(out, p + i, k - i);
		}
		buf_add(out, "", 0);
		q = out->p + start;
		qlen = out->len - start;
		for (i = 0; ; i += piece) {
			piece = qlen - i;
			if (piece > MSG_LINE_MAX) {
				piece = utf8_cut(q + i, MSG_LINE_MAX);
				if (piece == 0)
					piece = MSG_LINE_MAX;
			}
			if ((rc = s->fn(s->arg, q + i, piece)) != 0)
				return rc;
			if (i + piece >= qlen)
				break;
		}
		if (s->keep != NULL)
			buf_addc(out, '\0');	/* keep the terminator */
		if (nl == NULL)
			return 0;
		p = nl + 1;
		n -= len + 1;
	}
}

/* Header fields, each one line; kind says whose (MSG_*_HEADER*). */
static int
emit_headers(struct scan *s, const struct msg_header *h, size_t n,
    unsigned kind)
{
	size_t i;
	int rc;

	s->cur = kind;
	for (i = 0; i < n; i++) {
		buf_reset(&s->text);
		hdr_display(h[i].name, h[i].namelen, h[i].value,
		    h[i].valuelen, &s->text, &s->hw);
		if ((rc = emit(s, s->text.p, s->text.len)) != 0)
			return rc;
	}
	return 0;
}

/* emit()'s callback while a cache is made: note the piece, or give up. */
static int
keep_piece(void *arg, const char *p, size_t n)
{
	struct scan *s = arg;

	return msg_cache_add(s->keep, p, n, s->cur) > s->keepmax ? -1 : 0;
}

static int scan_message(struct scan *, const struct msg_header *, size_t,
    off_t, off_t, int);

/*
 * Render the top-level header (what MSG_TOP_HEADER) or the rest into
 * the cache c, whole, before any pattern sees it: a pattern that stops
 * at its first match must not leave the cache half made.
 */
static void
cache_make(struct message *m, struct msg_cache *c, unsigned what,
    size_t max)
{
	struct scan s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.m = m;
	s.what = what;
	s.fn = keep_piece;
	s.arg = &s;
	s.keep = c;
	s.keepmax = max;
	if (what == MSG_TOP_HEADER)
		rc = emit_headers(&s, m->hdr, m->nhdr, MSG_TOP_HEADER);
	else
		rc = scan_message(&s, m->hdr, m->nhdr, m->body_off, m->size,
		    0);
	if (rc != 0)
		msg_cache_free(c);
	c->state = rc == 0 ? 1 : -1;
	c->what = what;
	buf_free(&s.text);
	buf_free(&s.out);
	hdr_work_free(&s.hw);
}

/* The last field of that name: a later one overrides, as in maildrop. */
static const struct msg_header *
find_header(const struct msg_header *h, size_t n, const char *name)
{
	size_t i, len = strlen(name);

	for (i = n; i-- > 0; )
		if (h[i].namelen == len &&
		    strncasecmp(h[i].name, name, len) == 0)
			return &h[i];
	return NULL;
}

/* Content-Type: type/subtype *( ";" attribute "=" value ) */
static void
parse_content_type(const char *v, size_t n, struct mime_info *mi)
{
	size_t i, k = 0;

	i = mime_skip_cfws(v, n, 0);
	while (i < n && v[i] != ';' && v[i] != '(' &&
	    !isspace((unsigned char)v[i])) {
		if (k + 1 < sizeof(mi->type))
			mi->type[k++] = (char)tolower((unsigned char)v[i]);
		i++;
	}
	mi->type[k] = '\0';
	mime_param(v + i, n - i, "boundary", &mi->boundary);
	mime_param(v + i, n - i, "charset", &mi->charset);
}

/*
 * parent_type is the enclosing multipart's type: in multipart/digest a
 * part without Content-Type is message/rfc822 (RFC 2046 §5.1.5).
 */
static void
mime_info(const struct msg_header *h, size_t n, const char *parent_type,
    int use_ctype, struct mime_info *mi)
{
	const struct msg_header *f;
	char enc[32];
	size_t i, k = 0;

	memset(mi, 0, sizeof(*mi));
	if (use_ctype && (f = find_header(h, n, "Content-Type")) != NULL)
		parse_content_type(f->value, f->valuelen, mi);
	if (strchr(mi->type, '/') == NULL)	/* missing or malformed */
		strcpy(mi->type, parent_type != NULL &&
		    strcmp(parent_type, "multipart/digest") == 0 ?
		    "message/rfc822" : "text/plain");
	if ((f = find_header(h, n, "Content-Transfer-Encoding")) != NULL) {
		i = mime_skip_cfws(f->value, f->valuelen, 0);
		while (i < f->valuelen && k + 1 < sizeof(enc) &&
		    !isspace((unsigned char)f->value[i]) &&
		    f->value[i] != '(' && f->value[i] != ';')
			enc[k++] = (char)tolower((unsigned char)f->value[i++]);
		enc[k] = '\0';
		if (strcmp(enc, "quoted-printable") == 0)
			mi->cte = CTE_QP;
		else if (strcmp(enc, "base64") == 0)
			mi->cte = CTE_BASE64;
	}
}

static void
mime_info_free(struct mime_info *mi)
{
	buf_free(&mi->boundary);
	buf_free(&mi->charset);
}

/* A decoded line is complete: convert it to UTF-8 and search it. */
static int
flush_line(struct scan *s, struct cs_conv *cs, struct buf *dl)
{
	int rc;

	buf_reset(&s->text);
	cs_convert(cs, dl->p != NULL ? dl->p : "", dl->len, &s->text);
	buf_reset(dl);
	rc = emit(s, s->text.p, s->text.len);
	return rc;
}

/* One encoded line of quoted-printable; returns 1 on a soft break. */
static int
qp_line(const char *p, size_t n, struct buf *dl)
{
	size_t i;
	int hi, lo;

	/* RFC 2045 §6.7 (3): trailing blanks were added in transport. */
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++) {
		if (p[i] != '=') {
			buf_addc(dl, p[i]);
			continue;
		}
		if (i + 1 == n)
			return 1;
		if (i + 2 < n && (hi = hex_value((unsigned char)p[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)p[i + 2])) >= 0) {
			buf_addc(dl, hi << 4 | lo);
			i += 2;
		} else {
			buf_addc(dl, '=');	/* not an escape: keep it */
		}
	}
	return 0;
}

struct b64 {
	unsigned	 acc;
	int		 bits;
};

/*
 * Base64 decoded onto the end of out; characters outside the alphabet
 * are skipped (RFC 2045 §6.8) and '=' ends a group, so truncated or
 * damaged input still yields what can be read from it.  The state runs
 * on from one encoded line to the next.
 */
static void
b64_decode(struct b64 *st, const char *p, size_t n, struct buf *out)
{
	size_t i;
	int v;

	buf_grow(out, n);
	for (i = 0; i < n; i++) {
		if (p[i] == '=') {
			st->bits = 0;
			st->acc = 0;
			continue;
		}
		if ((v = b64_value((unsigned char)p[i])) < 0)
			continue;
		st->acc = (st->acc << 6 | (unsigned)v) & 0xffffff;
		st->bits += 6;
		if (st->bits < 8)
			continue;
		st->bits -= 8;
		buf_addc(out, (char)(st->acc >> st->bits & 0xff));
	}
}

/*
 * Decoded bytes p[0, n) into lines: the line in dl is searched at each
 * newline, and whenever it reaches MSG_LINE_MAX bytes.
 */
static int
feed(struct scan *s, struct cs_conv *cs, struct buf *dl, const char *p,
    size_t n)
{
	const char *nl;
	size_t seg, take;
	int rc;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		seg = nl != NULL ? (size_t)(nl - p) : n;
		while (seg > 0) {
			take = MSG_LINE_MAX - dl->len;
			if (take > seg)
				take = seg;
			buf_add(dl, p, take);
			p += take;
			n -= take;
			seg -= take;
			if (dl->len >= MSG_LINE_MAX &&
			    (rc = flush_line(s, cs, dl)) != 0)
				return rc;
		}
		if (nl != NULL) {
			p++;
			n--;
			if ((rc = flush_line(s, cs, dl)) != 0)
				return rc;
		}
	}
	return 0;
}

/*
 * May the lines made from t[0, n) (whole lines, decoded, in a charset
 * read as UTF-8, cs) go unsearched?  Every line fn would be handed is then
 * a piece of t: emit() drops CRs and utf8_repair() invalid bytes, which
 * could join text, so t must hold neither; cuts at MSG_LINE_MAX only
 * shorten lines.  The sieve says whether any line could match.
 */
static int
sieve_skips(struct scan *s, const struct cs_conv *cs, const char *t,
    size_t n)
{
	return s->may != NULL && cs_utf8(cs) && memchr(t, '\r', n) == NULL &&
	    utf8_valid(t, n) && !s->may(s->arg, t, n, NULL);
}

/*
 * The decoded bytes in w up to its last newline (all of them when last
 * or when there is none) are searched or, when the sieve allows,
 * skipped; what follows stays in w.  A line already begun in dl is
 * never skipped.
 */
static int
b64_window(struct scan *s, struct cs_conv *cs, struct buf *w, struct buf *dl,
    int last)
{
	const char *nl = NULL;
	size_t k;
	int rc = 0;

	if (!last && w->len > 0)
		nl = memrchr(w->p, '\n', w->len);
	k = nl != NULL ? (size_t)(nl - w->p) + 1 : w->len;
	if (k == 0)
		return 0;
	if (dl->len > 0 || !sieve_skips(s, cs, w->p, k))
		rc = feed(s, cs, dl, w->p, k);
	memmove(w->p, w->p + k, w->len - k);
	w->len -= k;
	return rc;
}

/* A leaf's body [from, to) read line by line, decoded, searched. */
static int
leaf_lines(struct scan *s, const struct mime_info *mi, struct cs_conv *cs,
    off_t from, off_t to)
{
	struct msg_lines l;
	struct buf dl = BUF_INIT, w = BUF_INIT;
	struct b64 st = { 0, 0 };
	const char *p;
	size_t n;
	int cut, r, rc = 0, pending = 0;

	msg_lines_open(&l, s->m, from, to);
	while (rc == 0 && (r = msg_lines_next(&l, &p, &n, &cut)) > 0) {
		switch (mi->cte) {
		case CTE_BASE64:
			/* decoded a window at a time, for the sieve */
			b64_decode(&st, p, n, &w);
			if (w.len >= SIEVE_BLOCK)
				rc = b64_window(s, cs, &w, &dl, 0);
			break;
		case CTE_QP:
			if (cut) {
				buf_add(&dl, p, n);	/* rest follows */
				pending = 1;
				break;
			}
			pending = qp_line(p, n, &dl);
			if (!pending || dl.len >= MSG_LINE_MAX)
				rc = flush_line(s, cs, &dl);
			break;
		case CTE_NONE:
			buf_add(&dl, p, n);
			rc = flush_line(s, cs, &dl);
			break;
		}
	}
	if (rc == 0 && w.len > 0)
		rc = b64_window(s, cs, &w, &dl, 1);
	if (rc == 0 && dl.len > 0)
		rc = flush_line(s, cs, &dl);
	msg_lines_close(&l);
	buf_free(&dl);
	buf_free(&w);
	return rc;
}

/*
 * A body without transfer encoding, in a charset read as UTF-8, under
 * a sieve: read in blocks of whole lines straight from the message, and
 * only the blocks the sieve lets through are made into lines.
 */
static int
leaf_blocks(struct scan *s, const struct mime_info *mi, struct cs_conv *cs,
    off_t from, off_t to)
{
	char *blk = xmalloc(SIEVE_BLOCK);
	const char *nl;
	off_t pos = from;
	ssize_t got;
	size_t k;
	int rc = 0;

	while (rc == 0 && pos < to) {
		got = msg_pread(s->m, pos, blk, to - pos < SIEVE_BLOCK ?
		    (size_t)(to - pos) : SIEVE_BLOCK);
		if (got <= 0)
			break;		/* the line reader says why */
		if (pos + got >= to)
			k = (size_t)got;	/* the last line may lack LF */
		else if ((nl = memrchr(blk, '\n', (size_t)got)) != NULL)
			k = (size_t)(nl - blk) + 1;
		else
			break;		/* a line longer than a block */
		if (!sieve_skips(s, cs, blk, k))
			rc = leaf_lines(s, mi, cs, pos, pos + (off_t)k);
		pos += (off_t)k;
	}
	free(blk);
	if (rc == 0 && pos < to)
		rc = leaf_lines(s, mi, cs, pos, to);
	return rc;
}

/* A leaf part's body [from, to): decode and search it. */
static int
scan_leaf(struct scan *s, const struct mime_info *mi, off_t from, off_t to)
{
	struct cs_conv *cs;
	int rc;

	s->cur = MSG_BODY;
	cs = cs_open(mi->charset.p != NULL ? mi->charset.p : "",
	    mi->charset.len);
	if (!cs_known(cs)) {
		/*
		 * Text in a charset nobody knows is not guessed at: the
		 * part is not searched (maildrop stops searching there;
		 * the parts after it still are here).
		 */
		cs_close(cs);
		return 0;
	}
	if (s->may != NULL && mi->cte == CTE_NONE && cs_utf8(cs))
		rc = leaf_blocks(s, mi, cs, from, to);
	else
		rc = leaf_lines(s, mi, cs, from, to);
	cs_close(cs);
	return rc;
}

static int scan_part(struct scan *, const struct msg_header *, size_t,
    const char *, int, off_t, off_t, off_t, int);

/*
 * A part or an embedded message starting at from: its header runs to the
 * first empty line (kept to MSG_LINE_MAX bytes; the rest of an oversized
 * part header is dropped), its body from there to `to`.  A part inherits
 * MIME from its multipart; an embedded message (parent_type NULL) is a
 * message of its own (scan_message).  outer is where the part ends with
 * the line break its delimiter owns (scan_multipart).
 */
static int
scan_entity(struct scan *s, const char *parent_type, off_t from, off_t to,
    off_t outer, int depth)
{
	struct msg_lines l;
	struct buf head = BUF_INIT;
	struct msg_header *h = NULL;
	const char *p;
	size_t n, nh;
	off_t body = to;
	int cut, r, rc = 0;

	msg_lines_open(&l, s->m, from, to);
	while ((r = msg_lines_next(&l, &p, &n, &cut)) > 0) {
		if (n == 0 || (n == 1 && p[0] == '\r')) {
			body = l.lineoff + (off_t)n + 1;
			break;
		}
		if (head.len + n < MSG_LINE_MAX) {
			buf_add(&head, p, n);
			if (l.nl)	/* not before a delimiter */
				buf_addc(&head, '\n');
		}
	}
	msg_lines_close(&l);
	if (r < 0)
		body = to;
	if (body > to)
		body = to;
	nh = hdr_split(head.p != NULL ? head.p : "", head.len, &h);
	if (s->what & MSG_PART_HEADERS)
		rc = emit_headers(s, h, nh, MSG_PART_HEADERS);
	if (rc == 0 && parent_type == NULL)
		rc = scan_message(s, h, nh, body, to, depth);
	else if (rc == 0)
		rc = scan_part(s, h, nh, parent_type, 1, body, to, outer,
		    depth);
	free(h);
	buf_free(&head);
	return rc;
}

/*
 * Is this line a delimiter, "--boundary...", and a closing one,
 * "--boundary--..."?  2.9.3 matches the boundary as a prefix and ignores
 * what follows it [observed: "--bXYZ" and "--b junk" start a part of
 * boundary "b", "--b--junk" closes it, and so does an inner "--bb--"],
 * so runnel does too: the same lines end the same parts.
 */
static int
delimiter(const char *p, size_t n, const struct buf *b, int *close)
{
	size_t i = b->len + 2;

	if (n < i || p[0] != '-' || p[1] != '-' ||
	    memcmp(p + 2, b->p, b->len) != 0)
		return 0;
	*close = n >= i + 2 && p[i] == '-' && p[i + 1] == '-';
	return 1;
}

/*
 * The parts of a multipart body [from, to).  Preamble and epilogue are
 * not searched (maildrop treats them as dummy parts); a missing closing
 * delimiter ends the last part at the end of the range.  The line break
 * before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
 */
static int
scan_multipart(struct scan *s, const struct mime_info *mi, off_t from,
    off_t to, int depth)
{
	struct msg_lines l;
	const char *p;
	size_t n;
	off_t start = -1, end;
	int cut, r, rc = 0, close, bol = 1;

	msg_lines_open(&l, s->m, from, to);
	while (rc == 0 && (r = msg_lines_next(&l, &p, &n, &cut)) > 0) {
		if (!bol || cut || !delimiter(p, n, &mi->boundary, &close)) {
			bol = !cut;
			continue;
		}
		if (start >= 0) {
			end = l.lineoff > start ? l.lineoff - 1 : start;
			if (end > start) {
				char c;

				if (msg_pread(s->m, end - 1, &c, 1) == 1 &&
				    c == '\r')
					end--;
			}
			rc = scan_entity(s, mi->type, start, end, l.lineoff,
			    depth + 1);
		}
		if (close) {
			start = -1;
			break;
		}
		start = l.lineoff + (off_t)n + 1;
		if (start > to)
			start = to;
	}
	if (rc == 0 && start >= 0)
		rc = scan_entity(s, mi->type, start, to, to, depth + 1);
	msg_lines_close(&l);
	return rc;
}

/*
 * An embedded message/rfc822 part keeps the line break before the next
 * delimiter, so its last line, even an empty one, is searched [observed
 * 2.9.3: "one", "" and the delimiter give the lines "one" and "" in an
 * embedded message but only "one" in a text/plain part;
 * tests/diff/mime-rfc822-last-line].
 */
static int
scan_part(struct scan *s, const struct msg_header *h, size_t nh,
    const char *parent_type, int use_ctype, off_t from, off_t to,
    off_t outer, int depth)
{
	struct mime_info mi;
	int rc = 0;

	mime_info(h, nh, parent_type, use_ctype, &mi);
	if (depth < MIME_DEPTH_MAX && strncmp(mi.type, "multipart/", 10) == 0
	    && mi.boundary.len > 0)
		rc = scan_multipart(s, &mi, from, to, depth);
	else if (depth < MIME_DEPTH_MAX &&
	    strcmp(mi.type, "message/rfc822") == 0 && mi.cte == CTE_NONE)
		rc = scan_entity(s, NULL, from, outer, outer, depth + 1);
	else if ((s->what & MSG_BODY) &&
	    (strncmp(mi.type, "text/", 5) == 0 ||
	    strncmp(mi.type, "message/", 8) == 0))
		rc = scan_leaf(s, &mi, from, to);
	mime_info_free(&mi);
	return rc;
}

/*
 * Is this MIME version 1?  2.9.3 reads the number before the first
 * non-digit, comments skipped [observed: "1.0", "1", "1.1", "1.x",
 * "(c) 1.0" are; "2.0", "0.9", "" are not].
 */
static int
version_1_0(const struct msg_header *v)
{
	size_t i = mime_skip_cfws(v->value, v->valuelen, 0);
	unsigned long n = 0;

	while (i < v->valuelen && isdigit((unsigned char)v->value[i]) &&
	    n < 10)
		n = n * 10 + (unsigned long)(v->value[i++] - '0');
	return n == 1;
}

/*
 * The top-level message or an embedded one.  Without Mime-Version 1.0
 * (none, or another version) the transfer encoding is undone but
 * Content-Type is ignored, so the body is text/plain in no declared
 * charset [observed 2.9.3: with "Mime-Version: foo" or none at all, a
 * quoted-printable ISO-8859-1 "caf=E9" is searched as "caf"; base64 is
 * decoded; tests/diff/mime-none-transfer-encoding].
 */
static int
scan_message(struct scan *s, const struct msg_header *h, size_t nh,
    off_t from, off_t to, int depth)
{
	const struct msg_header *v = find_header(h, nh, "Mime-Version");

	return scan_part(s, h, nh, NULL, v != NULL && version_1_0(v), from,
	    to, to, depth);
}

/*
 * A cache's lines, or none when the sieve finds nothing in its text.
 * The text's byte pairs are made at its first sieve, for all the rest.
 */
static int
replay(const struct scan *s, struct msg_cache *c)
{
	if (s->may != NULL) {
		if (c->pairs == NULL) {
			c->pairs = xmalloc(sizeof(*c->pairs));
			byte_pairs_make(c->pairs, c->text.p, c->text.len);
		}
		if (!s->may(s->arg, c->text.p, c->text.len, c->pairs))
			return 0;
	}
	return msg_cache_replay(c, s->what, s->fn, s->arg);
}

int
msg_scan_sieved(struct message *m, unsigned what,
    int (*fn)(void *arg, const char *line, size_t len),
    int (*may)(void *arg, const char *text, size_t n,
    const struct byte_pairs *pairs), void *arg)
{
	struct scan s;
	unsigned rest;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.m = m;
	s.what = what;
	s.fn = fn;
	s.may = may;
	s.arg = arg;
	if (what & MSG_TOP_HEADER) {
		if (m->top.state == 0)
			cache_make(m, &m->top, MSG_TOP_HEADER,
			    MSG_HEADCACHE_MAX);
		if (m->top.state > 0)
			rc = replay(&s, &m->top);
		else
			rc = emit_headers(&s, m->hdr, m->nhdr, MSG_TOP_HEADER);
	}
	/*
	 * Bodies are decoded into the cache only once a pattern wants
	 * them: header patterns alone never pay for decoding a body.
	 */
	rest = what & (MSG_PART_HEADERS | MSG_BODY);
	if (rc == 0 && rest != 0) {
		if (m->rest.state > 0 && (m->rest.what & rest) != rest)
			msg_cache_free(&m->rest);
		if (m->rest.state == 0)
			cache_make(m, &m->rest, MSG_PART_HEADERS |
			    (rest & MSG_BODY), MSG_RESTCACHE_MAX);
		if (m->rest.state > 0)
			rc = replay(&s, &m->rest);
		else
			rc = scan_message(&s, m->hdr, m->nhdr, m->body_off,
			    m->size, 0);
	}
	buf_free(&s.text);
	buf_free(&s.out);
	hdr_work_free(&s.hw);
	return rc;
}

int
msg_scan(struct message *m, unsigned what,
    int (*fn)(void *arg, const char *line, size_t len), void *arg)
{
	return msg_scan_sieved(m, what, fn, NULL, arg);
}
