/*
 * session.c: one LMTP connection.  Nothing is delivered before the final
 * dot: a client that goes away in the middle of DATA leaves only a temp
 * file that has no name, and every reply after DATA comes from the
 * caller's deliver(), which answers 250 only once the message is on disk
 * (RFC 2033 §4.2: one reply per accepted recipient, in their order).
 * Input is read with a deadline per line and per connection; replies are
 * held until the client's pipelined commands are all read (RFC 2920).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../deliver/store.h"
#include "../message/message.h"
#include "command.h"
#include "session.h"

/* Input is read in blocks of this size; a DATA line may be longer. */
#define IN_SIZE		65536
/* Commands that fail in a row before the connection is dropped. */
#define MAX_ERRORS	50

enum got {
	GOT_LINE,		/* a whole line (its LF removed) */
	GOT_PART,		/* part of a line longer than the buffer */
	GOT_EOF,		/* the client closed */
	GOT_TIMEOUT,
	GOT_STOP,		/* config->stop was set while waiting */
	GOT_ERROR
};

struct conn {
	const struct lmtp_config *cf;
	int		 in, out;
	char		 ibuf[IN_SIZE];
	size_t		 ipos, ilen;
	struct buf	 obuf;
	int		 out_failed;
	enum got	 ended;		/* what ended DATA early */
	time_t		 conn_end;	/* the per-connection deadline */
	/* the transaction */
	int		 have_from;
	char		*from;
	char		**rcpts;
	size_t		 nrcpts;
};

static void
flush(struct conn *c)
{
	if (c->obuf.len > 0 && !c->out_failed &&
	    store_write_all(c->out, c->obuf.p, c->obuf.len) < 0)
		c->out_failed = 1;
	buf_reset(&c->obuf);
}

static void
reply(struct conn *c, const char *line)
{
	buf_adds(&c->obuf, line);
	buf_add(&c->obuf, "\r\n", 2);
}

/* Wait for input until the line's or the connection's deadline. */
static enum got
fill(struct conn *c, int stop_ok)
{
	time_t now = time(NULL), end = now + c->cf->cmd_timeout;
	struct pollfd p;
	ssize_t n;
	int r;

	if (c->ipos > 0) {
		memmove(c->ibuf, c->ibuf + c->ipos, c->ilen - c->ipos);
		c->ilen -= c->ipos;
		c->ipos = 0;
	}
	/* RFC 2920: replies go out when the client waits for them. */
	flush(c);
	if (c->out_failed)
		return GOT_ERROR;
	if (c->cf->conn_timeout > 0 && c->conn_end < end)
		end = c->conn_end;
	for (;;) {
		if (stop_ok && c->cf->stop != NULL && *c->cf->stop)
			return GOT_STOP;
		now = time(NULL);
		if (now >= end)
			return GOT_TIMEOUT;
		p.fd = c->in;
		p.events = POLLIN;
		r = poll(&p, 1, (int)(end - now) * 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return GOT_ERROR;
		if (r == 0)
			continue;
		n = read(c->in, c->ibuf + c->ilen, IN_SIZE - c->ilen);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return GOT_ERROR;
		if (n == 0)
			return GOT_EOF;
		c->ilen += (size_t)n;
		return GOT_LINE;
	}
}

/*
 * The next line, or as much of a long one as the buffer holds.  *p and
 * *n are the bytes without the LF; a CR before it is the caller's.  A
 * part never ends in the CR of a CRLF that the next read would complete.
 */
static enum got
next_line(struct conn *c, const char **p, size_t *n, int stop_ok)
{
	char *lf;
	enum got g;

	for (;;) {
		lf = memchr(c->ibuf + c->ipos, '\n', c->ilen - c->ipos);
		if (lf != NULL) {
			*p = c->ibuf + c->ipos;
			*n = (size_t)(lf - *p);
			c->ipos += *n + 1;
			return GOT_LINE;
		}
		if (c->ipos == 0 && c->ilen == IN_SIZE) {
			*p = c->ibuf;
			*n = c->ilen - (c->ibuf[c->ilen - 1] == '\r');
			c->ipos = *n;
			return GOT_PART;
		}
		/* Once DATA has begun, a stop waits for the final dot. */
		g = fill(c, stop_ok);
		if (g != GOT_LINE)
			return g;
	}
}

static void
end_transaction(struct conn *c)
{
	size_t i;

	for (i = 0; i < c->nrcpts; i++)
		free(c->rcpts[i]);
	free(c->rcpts);
	free(c->from);
	c->rcpts = NULL;
	c->nrcpts = 0;
	c->from = NULL;
	c->have_from = 0;
}

static void
lhlo(struct conn *c)
{
	char line[128];

	snprintf(line, sizeof(line), "250-%s", c->cf->hostname);
	reply(c, line);
	reply(c, "250-PIPELINING");
	reply(c, "250-ENHANCEDSTATUSCODES");
	reply(c, "250-8BITMIME");
	snprintf(line, sizeof(line), "250 SIZE %lld", c->cf->max_size);
	reply(c, line);
}

static void
mail(struct conn *c, const struct lmtp_command *cmd)
{
	if (c->have_from) {
		reply(c, "503 5.5.1 Error: nested MAIL command");
		return;
	}
	if (cmd->size > c->cf->max_size) {
		reply(c, "552 5.3.4 Message size exceeds fixed limit");
		return;
	}
	c->from = xstrdup(cmd->path);
	c->have_from = 1;
	reply(c, "250 2.1.0 Sender OK");
}

static void
rcpt(struct conn *c, const struct lmtp_command *cmd)
{
	struct buf r = BUF_INIT;

	if (!c->have_from) {
		reply(c, "503 5.5.1 Error: need MAIL command");
		return;
	}
	if (c->nrcpts >= c->cf->max_rcpts) {
		reply(c, "452 4.5.3 Error: too many recipients");
		return;
	}
	c->cf->rcpt(c->cf->arg, cmd->path, &r);
	if (r.len > 0 && r.p[0] == '2') {
		c->rcpts = xrealloc(c->rcpts, (c->nrcpts + 1) *
		    sizeof(*c->rcpts));
		c->rcpts[c->nrcpts++] = xstrdup(cmd->path);
	}
	reply(c, buf_cstr(&r));
	buf_free(&r);
}

/*
 * Copy one data line to the spool: without its CRLF or LF, a leading dot
 * removed (RFC 5321 §4.5.2), then LF.  Returns 1 at the final dot.
 */
static int
spool_line(struct buf *out, const char *p, size_t n, int whole,
    int *at_start)
{
	if (whole && n > 0 && p[n - 1] == '\r')
		n--;
	if (*at_start && whole && n == 1 && p[0] == '.')
		return 1;
	if (*at_start && n > 0 && p[0] == '.')
		p++, n--;
	buf_add(out, p, n);
	if (whole)
		buf_addc(out, '\n');
	*at_start = whole;
	return 0;
}

/* Send one reply per recipient, each the same line. */
static void
reply_all(struct conn *c, const char *line)
{
	size_t i;

	for (i = 0; i < c->nrcpts; i++)
		reply(c, line);
}

/*
 * DATA: receive into a temp file up to the final dot, then deliver to
 * each recipient.  Returns 0, or the got that ended the connection
 * (nothing is delivered then).
 */
static enum got
data(struct conn *c)
{
	struct buf chunk = BUF_INIT, r = BUF_INIT;
	long long size = 0;
	int fd, at_start = 1, write_err = 0, done = 0;
	enum got g = GOT_LINE;
	const char *p;
	size_t n, i;

	if (!c->have_from) {
		reply(c, "503 5.5.1 Error: need MAIL command");
		return GOT_LINE;
	}
	if (c->nrcpts == 0) {
		reply(c, "503 5.5.1 Error: need RCPT command");
		return GOT_LINE;
	}
	if ((fd = msg_tmpfile(c->cf->tmpdir)) < 0) {
		reply(c, "451 4.3.0 Error: cannot create a temporary file");
		return GOT_LINE;
	}
	reply(c, "354 End data with <CR><LF>.<CR><LF>");
	while (!done) {
		g = next_line(c, &p, &n, 0);
		if (g != GOT_LINE && g != GOT_PART)
			break;
		done = spool_line(&chunk, p, n, g == GOT_LINE, &at_start);
		if (chunk.len >= IN_SIZE || (done && chunk.len > 0)) {
			size += (long long)chunk.len;
			if (size <= c->cf->max_size && !write_err &&
			    store_write_all(fd, chunk.p, chunk.len) < 0)
				write_err = errno;
			buf_reset(&chunk);
		}
	}
	buf_free(&chunk);
	if (!done) {
		close(fd);
		return g;
	}
	if (size > c->cf->max_size)
		reply_all(c, "552 5.3.4 Error: message file too big");
	else if (write_err != 0) {
		buf_printf(&r, "451 4.3.0 Error: cannot store the message: %s",
		    strerror(write_err));
		reply_all(c, r.p);
	} else {
		for (i = 0; i < c->nrcpts; i++) {
			buf_reset(&r);
			c->cf->deliver(c->cf->arg, fd, c->from, c->rcpts[i], &r);
			reply(c, buf_cstr(&r));
			/* each reply as soon as it is known (RFC 2033 §4.2) */
			flush(c);
		}
	}
	buf_free(&r);
	close(fd);
	end_transaction(c);
	return GOT_LINE;
}

/* Skip the rest of a line too long to be a command. */
static enum got
skip_line(struct conn *c)
{
	const char *p;
	size_t n;
	enum got g;

	while ((g = next_line(c, &p, &n, 1)) == GOT_PART)
		;
	return g;
}

/* One command; 0 to go on, 1 after QUIT. */
static int
command(struct conn *c, const char *p, size_t n, int *greeted)
{
	struct lmtp_command cmd;

	lmtp_parse(p, n, &cmd);
	switch (cmd.verb) {
	case LV_BAD: {
		char line[128];

		snprintf(line, sizeof(line), "%d %s", cmd.code, cmd.text);
		reply(c, line);
		return -1;
	}
	case LV_LHLO:
		end_transaction(c);
		*greeted = 1;
		lhlo(c);
		break;
	case LV_HELO:
	case LV_EHLO:
		reply(c, "500 5.5.1 Error: this is LMTP, say LHLO");
		return -1;
	case LV_QUIT:
		reply(c, "221 2.0.0 Bye");
		return 1;
	case LV_NOOP:
		reply(c, "250 2.0.0 OK");
		break;
	case LV_RSET:
		end_transaction(c);
		reply(c, "250 2.0.0 OK");
		break;
	case LV_VRFY:
		reply(c, "252 2.5.0 Cannot VRFY user, but will accept the "
		    "message and attempt delivery");
		break;
	case LV_MAIL:
	case LV_RCPT:
	case LV_DATA:
		if (!*greeted) {
			reply(c, "503 5.5.1 Error: send LHLO first");
			return -1;
		}
		if (cmd.verb == LV_MAIL)
			mail(c, &cmd);
		else if (cmd.verb == LV_RCPT)
			rcpt(c, &cmd);
		else if ((c->ended = data(c)) != GOT_LINE)
			return 2;
		break;
	}
	return 0;
}

int
lmtp_session(int in, int out, const struct lmtp_config *cf)
{
	struct conn *c = xcalloc(1, sizeof(*c));
	char line[160];
	const char *p;
	size_t n;
	int greeted = 0, errors = 0, rc = 1, r;
	enum got g;

	c->cf = cf;
	c->in = in;
	c->out = out;
	c->conn_end = time(NULL) + cf->conn_timeout;
	snprintf(line, sizeof(line), "220 %s LMTP runnel ready", cf->hostname);
	reply(c, line);
	for (;;) {
		if (cf->stop != NULL && *cf->stop) {
			g = GOT_STOP;
			break;
		}
		g = next_line(c, &p, &n, 1);
		if (g == GOT_PART) {
			reply(c, "500 5.5.2 Error: line too long");
			if ((g = skip_line(c)) != GOT_LINE)
				break;
			if (++errors >= MAX_ERRORS) {
				reply(c, "421 4.7.0 Error: too many errors");
				break;
			}
			continue;
		}
		if (g != GOT_LINE)
			break;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n + 2 > LMTP_LINE_MAX) {
			reply(c, "500 5.5.2 Error: line too long");
			r = -1;
		} else
			r = command(c, p, n, &greeted);
		if (r == 1) {
			rc = 0;
			break;
		}
		if (r == 2) {
			g = c->ended;
			break;
		}
		errors = r < 0 ? errors + 1 : 0;
		if (errors >= MAX_ERRORS) {
			reply(c, "421 4.7.0 Error: too many errors");
			break;
		}
	}
	if (g == GOT_TIMEOUT)
		reply(c, "421 4.4.2 Error: timeout exceeded");
	else if (g == GOT_STOP)
		reply(c, "421 4.3.2 Service shutting down");
	flush(c);
	end_transaction(c);
	buf_free(&c->obuf);
	free(c);
	return rc;
}
