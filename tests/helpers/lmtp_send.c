/*
 * lmtp_send.c: a small LMTP client for the tests and the benchmark.  It
 * speaks as Postfix's lmtp client does: LHLO, then per message MAIL
 * FROM, RCPT TO for each recipient, DATA with CRLF line ends and dot
 * stuffing, and reads one reply per accepted recipient.
 *
 *   lmtp_send [-n COUNT] [-c CONNS] [-f SENDER] [-r RCPT]... [-q]
 *             -m MESSAGE  unix:PATH | tcp:HOST:PORT | exec:COMMAND
 *
 * Each of CONNS connections sends COUNT messages.  Every reply after
 * DATA is printed as "RCPT: reply" unless -q; the last line is
 * "sent N, delivered D, seconds S".  Exit 0 when every recipient got
 * 250, 1 otherwise, 2 on a protocol or connection error.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *rcpts[256];
static int nrcpts, quiet;
static const char *sender = "ann@example.com";

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "lmtp_send: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int
connect_to(const char *spec)
{
	int fd, sv[2];

	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sa;

		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", spec + 5);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die(spec);
		return fd;
	}
	if (strncmp(spec, "tcp:", 4) == 0) {
		struct addrinfo hints, *ai;
		char *host = strdup(spec + 4), *port = strrchr(host, ':');

		if (port == NULL)
			die(spec);
		*port++ = '\0';
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(host, port, &hints, &ai) != 0)
			die(spec);
		if ((fd = socket(ai->ai_family, SOCK_STREAM, 0)) < 0 ||
		    connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
			die(spec);
		freeaddrinfo(ai);
		free(host);
		return fd;
	}
	if (strncmp(spec, "exec:", 5) == 0) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			die("socketpair");
		switch (fork()) {
		case -1:
			die("fork");
		case 0:
			dup2(sv[1], 0);
			dup2(sv[1], 1);
			close(sv[0]);
			close(sv[1]);
			execl("/bin/sh", "sh", "-c", spec + 5, (char *)NULL);
			_exit(127);
		}
		close(sv[1]);
		return sv[0];
	}
	errno = EINVAL;
	die(spec);
}

struct conn {
	FILE	*in, *out;
};

/* One reply (the last line of a multi-line one) into line; its code. */
static int
reply(struct conn *c, char *line, size_t size)
{
	for (;;) {
		if (fgets(line, (int)size, c->in) == NULL) {
			fprintf(stderr, "lmtp_send: the server closed the "
			    "connection\n");
			exit(2);
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (strlen(line) < 4 || line[3] != '-')
			return atoi(line);
	}
}

static void
expect(struct conn *c, int want, const char *after)
{
	char line[1024];
	int code = reply(c, line, sizeof(line));

	if (code / 100 != want / 100) {
		fprintf(stderr, "lmtp_send: after %s: %s\n", after, line);
		exit(2);
	}
}

/* The message with CRLF line ends and leading dots doubled. */
static void
send_data(FILE *out, const char *m, size_t n)
{
	size_t i;
	int start = 1;

	for (i = 0; i < n; i++) {
		if (start && m[i] == '.')
			fputc('.', out);
		start = m[i] == '\n';
		if (start && (i == 0 || m[i - 1] != '\r'))
			fputc('\r', out);
		fputc(m[i], out);
	}
	if (n > 0 && m[n - 1] != '\n')
		fputs("\r\n", out);
	fputs(".\r\n", out);
}

/* COUNT messages on one connection; the number of 250 replies. */
static long
session(const char *spec, const char *m, size_t n, long count)
{
	struct conn c;
	char line[1024];
	long ok = 0, k;
	int fd = connect_to(spec), i, accepted;

	c.in = fdopen(fd, "r");
	c.out = fdopen(dup(fd), "w");
	if (c.in == NULL || c.out == NULL)
		die("fdopen");
	expect(&c, 220, "connecting");
	fprintf(c.out, "LHLO client.example\r\n");
	fflush(c.out);
	expect(&c, 250, "LHLO");
	for (k = 0; k < count; k++) {
		/* pipelined, as Postfix sends them */
		fprintf(c.out, "MAIL FROM:<%s>\r\n", sender);
		for (i = 0; i < nrcpts; i++)
			fprintf(c.out, "RCPT TO:<%s>\r\n", rcpts[i]);
		fprintf(c.out, "DATA\r\n");
		fflush(c.out);
		expect(&c, 250, "MAIL");
		for (accepted = 0, i = 0; i < nrcpts; i++) {
			if (reply(&c, line, sizeof(line)) / 100 == 2)
				accepted++;
			else if (!quiet)
				printf("%s: %s\n", rcpts[i], line);
		}
		if (reply(&c, line, sizeof(line)) != 354) {
			if (!quiet)
				printf("DATA: %s\n", line);
			fprintf(c.out, "RSET\r\n");
			fflush(c.out);
			expect(&c, 250, "RSET");
			continue;
		}
		send_data(c.out, m, n);
		fflush(c.out);
		/* RFC 2033 §4.2: one reply per accepted recipient */
		for (i = 0; i < accepted; i++) {
			if (reply(&c, line, sizeof(line)) == 250)
				ok++;
			if (!quiet)
				printf("%s\n", line);
		}
	}
	fprintf(c.out, "QUIT\r\n");
	fflush(c.out);
	(void)reply(&c, line, sizeof(line));
	fclose(c.in);
	fclose(c.out);
	return ok;
}

int
main(int argc, char **argv)
{
	const char *msgfile = NULL;
	long count = 1, conns = 1, ok = 0, i;
	struct timespec t0, t1;
	char *m = NULL;
	size_t n = 0;
	FILE *f;
	int opt, pfd[2];

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "n:c:f:r:m:q")) != -1)
		switch (opt) {
		case 'n': count = atol(optarg); break;
		case 'c': conns = atol(optarg); break;
		case 'f': sender = optarg; break;
		case 'r':
			if (nrcpts < 256)
				rcpts[nrcpts++] = optarg;
			break;
		case 'm': msgfile = optarg; break;
		case 'q': quiet = 1; break;
		default: exit(2);
		}
	if (optind + 1 != argc || msgfile == NULL || nrcpts == 0) {
		fprintf(stderr, "usage: lmtp_send [-n COUNT] [-c CONNS] "
		    "[-f SENDER] -r RCPT... [-q] -m MESSAGE TARGET\n");
		exit(2);
	}
	if ((f = fopen(msgfile, "r")) == NULL)
		die(msgfile);
	{
		char b[65536];
		size_t got;

		while ((got = fread(b, 1, sizeof(b), f)) > 0) {
			m = realloc(m, n + got);
			memcpy(m + n, b, got);
			n += got;
		}
		fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (conns == 1)
		ok = session(argv[optind], m, n, count);
	else {
		if (pipe(pfd) < 0)
			die("pipe");
		for (i = 0; i < conns; i++)
			if (fork() == 0) {
				long got = session(argv[optind], m, n, count);

				(void)!write(pfd[1], &got, sizeof(got));
				_exit(0);
			}
		close(pfd[1]);
		for (i = 0; i < conns; i++) {
			long got = 0;

			if (read(pfd[0], &got, sizeof(got)) == sizeof(got))
				ok += got;
		}
		while (wait(NULL) > 0)
			;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("sent %ld, delivered %ld, seconds %.3f\n",
	    count * conns * nrcpts, ok, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(m);
	return ok == count * conns * nrcpts ? 0 : 1;
}
