/*
 * reformail_split.c: reformail -s COMMAND [ARG...], Courier's mbox
 * splitter.  Each message of the mbox on standard input (from one
 * "From " line to the next) is piped to its own run of COMMAND, started
 * without a shell, one after the other, with FILENO in its environment:
 * 000, 001, ... or, when FILENO is set to digits, counting up from that
 * number with as many digits.  The bytes each command gets are Courier's,
 * quirks included: a line's CR before its newline is dropped, so is the
 * newline before the next "From " line (and at the end of the input),
 * and the blank lines after the first message's first line are read as
 * Courier's header reader reads them (skipped at the start, the one
 * ending the header moved behind the next line).  What is not copied:
 * when a command fails, Courier stops and exits 0, and a script that
 * then removes the mbox loses the rest; here reformail stops, names the
 * command, its status and the message, and exits 1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../grammar/buf.h"
#include "../proc/spawn.h"
#include "../run/run.h"
#include "../run/vars.h"
#include "tools.h"

extern char **environ;

/* Courier's reader: the first line raw, then a header reader, then raw. */
enum state { HEAD_START, HEAD, BLANK, BODY };

struct reader {
	enum state	 st;
	struct buf	 line;		/* the last raw line */
	struct buf	 pending;	/* HEAD: the line read ahead */
	struct buf	 out;		/* what next() returns */
};

/* One line of stdin with its CR dropped and a newline always: 0 at EOF. */
static int
raw_line(struct buf *b)
{
	int c;

	buf_reset(b);
	while ((c = getchar()) != EOF && c != '\n')
		buf_addc(b, c);
	if (c == EOF && b->len == 0)
		return 0;
	if (b->len > 0 && b->p[b->len - 1] == '\r')
		buf_truncate(b, b->len - 1);
	buf_addc(b, '\n');
	return 1;
}

/* The next piece: a header field with its continuation lines, or a line. */
static int
next(struct reader *r)
{
	int more;

	switch (r->st) {
	case HEAD_START:
		while ((more = raw_line(&r->line)) && r->line.p[0] == '\n')
			;
		if (!more)
			return 0;
		buf_copy(&r->pending, &r->line);
		/* FALLTHROUGH */
	case HEAD:
		buf_copy(&r->out, &r->pending);
		while ((more = raw_line(&r->line)) && r->line.p[0] != '\n' &&
		    isspace((unsigned char)r->line.p[0]))
			buf_addb(&r->out, &r->line);
		if (!more || r->line.p[0] == '\n')
			r->st = BLANK;
		else {
			buf_copy(&r->pending, &r->line);
			r->st = HEAD;
		}
		return 1;
	case BLANK:
		r->st = BODY;
		buf_set(&r->out, "\n", 1);
		return 1;
	case BODY:
		if (!raw_line(&r->out))
			return 0;
		return 1;
	}
	return 0;
}

static int
is_from(const struct buf *b)
{
	return b->len >= 5 && memcmp(b->p, "From ", 5) == 0;
}

int
reformail_split(char **cmd)
{
	struct reader r = { HEAD_START, BUF_INIT, BUF_INIT, BUF_INIT };
	struct buf msg = BUF_INIT, num = BUF_INIT;
	struct run run;
	struct spawn_req q;
	struct spawn_res res;
	const char *fileno_env = getenv("FILENO"), *s;
	unsigned long n = 0;
	size_t width = 3;
	int numbered = 1, more, rc = 0;
	char **e;

	if (cmd[0] == NULL) {
		fputs("reformail: Invalid arguments.\n", stderr);
		return 1;
	}
	if (fileno_env != NULL) {
		for (s = fileno_env; isdigit((unsigned char)*s); s++)
			;
		numbered = *s == '\0';
		width = strlen(fileno_env);
		n = strtoul(fileno_env, NULL, 10);
	}
	memset(&run, 0, sizeof(run));
	run.vars = vars_new();
	for (e = environ; *e != NULL; e++)
		if ((s = strchr(*e, '=')) != NULL)
			vars_set(run.vars, *e, (size_t)(s - *e), s + 1,
			    strlen(s + 1));
	memset(&q, 0, sizeof(q));
	q.argv = cmd;
	q.prog = cmd[0];
	q.in = SPAWN_IN_BYTES;
	q.out = SPAWN_OUT_INHERIT;

	/* the first line is read raw: leading blank lines skipped */
	while ((more = raw_line(&r.out)) && r.out.p[0] == '\n')
		;
	while (more) {
		buf_reset(&msg);
		do {
			buf_addb(&msg, &r.out);
			more = next(&r);
			if (!more || is_from(&r.out))
				buf_truncate(&msg, msg.len - 1);
		} while (more && !is_from(&r.out));
		if (numbered) {
			buf_reset(&num);
			/* at least width digits; none for 0 in width 0 */
			if (n != 0 || width != 0)
				buf_printf(&num, "%0*lu", (int)width, n);
			vars_sets(run.vars, "FILENO", buf_cstr(&num));
		}
		q.inbytes = msg.p != NULL ? msg.p : "";
		q.inlen = msg.len;
		memset(&res, 0, sizeof(res));
		if (spawn_run(&run, &q, &res) != 0 || res.status != 0) {
			fprintf(stderr, "reformail: %s: ", cmd[0]);
			if (res.exec_errno != 0)
				fprintf(stderr, "%s", strerror(res.exec_errno));
			else if (res.signo != 0)
				fprintf(stderr, "killed by signal %d", res.signo);
			else if (res.status > 0)
				fprintf(stderr, "exit status %d", res.status);
			else
				fprintf(stderr, "%s", strerror(errno));
			fprintf(stderr, " on message %lu; the messages from "
			    "there on were not passed on\n", n);
			rc = 1;
			break;
		}
		if (res.write_errno != 0) {
			fputs("reformail: write() failed.\n", stderr);
			rc = 1;
			break;
		}
		n++;
	}
	vars_free(run.vars);
	buf_free(&r.line);
	buf_free(&r.pending);
	buf_free(&r.out);
	buf_free(&msg);
	buf_free(&num);
	return rc;
}
