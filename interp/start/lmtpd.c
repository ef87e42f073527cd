/*
 * lmtpd.c: runnel as an LMTP service (RFC 2033).  The protocol is
 * interp/lmtp/'s; this file holds what it needs from start-up: the
 * recipient lookup at RCPT, and each recipient's delivery, which is
 * runner_main() -- the very call `runnel -d user` makes -- in a fresh
 * child.  The child starts from the server's clean state: default
 * signal dispositions, the umask the server was started with, the
 * message on a descriptor of its own, nothing else open; runner_main()
 * drops privileges as -d does before it touches a file of the user's.
 * Its exit status becomes the reply (interp/lmtp/reply.c).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../lmtp/reply.h"
#include "../lmtp/session.h"
#include "../message/message.h"
#include "listen.h"
#include "options.h"

#define MAX_SIZE_DEFAULT	(50LL << 20)
#define MAX_RCPTS		1000
#define TIMEOUT_DEFAULT		300
#define CONN_TIMEOUT		3600
#define CONNECTIONS_DEFAULT	16
/* What of a failed delivery's stderr goes into the reply. */
#define WHY_MAX			400

static volatile sig_atomic_t stopping;
static mode_t start_umask;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

struct server {
	const struct options *o;
	char		 host[256];
};

/*
 * rcpt's user and extension: the local part, folded to lower case as
 * Postfix's local(8) folds $user, split at the first delimiter byte.
 */
static void
split_rcpt(const struct options *o, const char *rcpt, struct buf *user,
    struct buf *ext)
{
	const char *at = strrchr(rcpt, '@'), *end, *d = NULL;
	const char *p;

	end = at != NULL ? at : rcpt + strlen(rcpt);
	if (o->rcpt_delimiter != NULL && *o->rcpt_delimiter != '\0')
		for (p = rcpt; p < end && d == NULL; p++)
			if (strchr(o->rcpt_delimiter, *p) != NULL)
				d = p;
	for (p = rcpt; p < (d != NULL ? d : end); p++)
		buf_addc(user, tolower((unsigned char)*p));
	buf_add(user, "", 0);
	if (d != NULL)
		buf_add(ext, d + 1, (size_t)(end - d - 1));
	buf_add(ext, "", 0);
}

static void
rcpt(void *arg, const char *addr, struct buf *reply)
{
	struct server *s = arg;
	struct buf user = BUF_INIT, ext = BUF_INIT;
	struct passwd *pw;

	split_rcpt(s->o, addr, &user, &ext);
	errno = 0;
	pw = user.len > 0 && user.p[0] != '-' && strchr(user.p, '/') == NULL ?
	    getpwnam(user.p) : NULL;
	if (pw != NULL)
		buf_printf(reply, "250 2.1.5 <%s> OK", addr);
	else if (errno != 0 && errno != ENOENT && errno != ESRCH &&
	    errno != EBADF && errno != EPERM)
		buf_printf(reply, "451 4.3.0 <%s> cannot look the user up: %s",
		    addr, strerror(errno));
	else
		buf_printf(reply, "550 5.1.1 <%s> User unknown in local "
		    "recipient table", addr);
	buf_free(&user);
	buf_free(&ext);
}

/* Back to what a freshly started runnel has: no handler, nothing blocked. */
static void
fresh_signals(void)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * The child: the message on fd 0 with an offset of its own (a reopen,
 * so a leftover process of one delivery cannot move the next one's),
 * /dev/null on 1, the error file on 2, nothing else; then -d user.
 */
static _Noreturn void
child(struct server *s, int msgfd, int errfd, const char *from,
    const char *addr)
{
	struct options o;
	struct buf user = BUF_INIT, ext = BUF_INIT, rp = BUF_INIT,
	    dt = BUF_INIT;
	const char *headers[2];
	char proc[64], *args[1];
	int fd;

	fresh_signals();
	umask(start_umask);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", msgfd);
	if ((fd = open(proc, O_RDONLY)) < 0 && (fd = dup(msgfd)) >= 0)
		(void)lseek(fd, 0, SEEK_SET);	/* no /proc: share the offset */
	if (fd < 0 || dup2(fd, 0) < 0 ||
	    dup2(errfd, 2) < 0 || (fd = open("/dev/null", O_WRONLY)) < 0 ||
	    dup2(fd, 1) < 0) {
		dprintf(errfd, "maildrop: Unable to read message.\n");
		_exit(EX_TEMPFAIL);
	}
	closefrom(3);
	split_rcpt(s->o, addr, &user, &ext);
	memset(&o, 0, sizeof(o));
	o.cmd = CMD_RUN;
	o.argv0 = s->o->argv0;
	o.delivery = 1;
	o.user = user.p;
	o.from = from;
	o.quota_warn = s->o->quota_warn;
	o.warn_file = s->o->warn_file;
	if (!s->o->no_envelope_headers) {
		/* Postfix local(8)'s order: Return-Path on top. */
		buf_printf(&rp, "Return-Path: <%s>", from);
		buf_printf(&dt, "Delivered-To: %s", addr);
		headers[0] = rp.p;
		headers[1] = dt.p;
		o.headers = headers;
		o.nheaders = 2;
	}
	if (ext.len > 1) {
		args[0] = ext.p;
		o.args = args;
		o.nargs = 1;
	}
	fd = runner_main(&o);
	fflush(NULL);
	_exit(fd);
}

/*
 * The delivery's first stderr line, made safe for a reply: printable
 * ASCII only, at most WHY_MAX bytes.  All of it goes to our stderr,
 * the service's log.
 */
static void
why(int errfd, const char *addr, struct buf *out)
{
	char b[4096];
	ssize_t n;
	off_t off = 0;
	int first = 1;
	size_t i;

	while ((n = pread(errfd, b, sizeof(b), off)) > 0) {
		if (off == 0)
			fprintf(stderr, "runnel-lmtp: <%s>:\n", addr);
		off += n;
		fwrite(b, 1, (size_t)n, stderr);
		for (i = 0; first && i < (size_t)n; i++) {
			if (b[i] == '\n' || out->len >= WHY_MAX) {
				first = 0;
				break;
			}
			buf_addc(out, b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '?');
		}
	}
	buf_add(out, "", 0);
}

static void
deliver(void *arg, int msgfd, const char *from, const char *addr,
    struct buf *reply)
{
	struct server *s = arg;
	struct buf text = BUF_INIT;
	int errfd, ws = 0;
	pid_t pid;

	if ((errfd = msg_tmpfile(NULL)) < 0) {
		buf_printf(reply, "451 4.3.0 <%s> cannot create a temporary "
		    "file: %s", addr, strerror(errno));
		return;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		buf_printf(reply, "451 4.3.0 <%s> cannot fork: %s", addr,
		    strerror(errno));
		close(errfd);
		return;
	}
	if (pid == 0)
		child(s, msgfd, errfd, from, addr);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	why(errfd, addr, &text);
	close(errfd);
	lmtp_reply_status(reply, ws, addr, text.p);
	buf_free(&text);
}

static void
config(struct server *s, const struct options *o, struct lmtp_config *cf)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	if (gethostname(s->host, sizeof(s->host) - 1) < 0 || !s->host[0])
		strcpy(s->host, "localhost");
	memset(cf, 0, sizeof(*cf));
	cf->hostname = s->host;
	cf->max_size = o->max_size > 0 ? o->max_size : MAX_SIZE_DEFAULT;
	cf->max_rcpts = MAX_RCPTS;
	cf->cmd_timeout = o->lmtp_timeout > 0 ? o->lmtp_timeout :
	    TIMEOUT_DEFAULT;
	cf->conn_timeout = CONN_TIMEOUT;
	cf->stop = &stopping;
	cf->rcpt = rcpt;
	cf->deliver = deliver;
	cf->arg = s;
}

/* SIGTERM and SIGINT set the flag and interrupt a wait (no SA_RESTART). */
static void
server_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Reap finished connections; the count still running. */
static int
reap(pid_t *kids, int n, int block)
{
	pid_t pid;
	int i, ws;

	while ((pid = waitpid(-1, &ws, block ? 0 : WNOHANG)) > 0 ||
	    (pid < 0 && errno == EINTR && !stopping)) {
		for (i = 0; i < n; i++)
			if (kids[i] == pid) {
				kids[i] = kids[--n];
				break;
			}
		block = 0;
	}
	return n;
}

/*
 * --listen: a child per connection, at most max_connections at once;
 * more wait in the socket's backlog.  SIGTERM closes the socket, passes
 * the signal on, and waits: each connection finishes the transaction it
 * is in (its deliveries included) and says 421.
 */
static int
serve(const struct options *o, const struct lmtp_config *cf)
{
	int max = o->max_connections > 0 ? o->max_connections :
	    CONNECTIONS_DEFAULT;
	pid_t *kids = xcalloc((size_t)max, sizeof(*kids)), pid;
	struct pollfd p;
	int sock, fd, n = 0, i;

	if ((sock = listen_open(o->listen, o->listen_any)) < 0) {
		free(kids);
		return EX_CONFIG;
	}
	while (!stopping) {
		n = reap(kids, n, n >= max);
		if (n >= max)
			continue;
		p.fd = sock;
		p.events = POLLIN;
		if (poll(&p, 1, 1000) <= 0)
			continue;
		if ((fd = accept4(sock, NULL, NULL, SOCK_CLOEXEC)) < 0)
			continue;
		if ((pid = fork()) == 0) {
			close(sock);
			free(kids);
			_exit(lmtp_session(fd, fd, cf) == 0 ? 0 : 1);
		}
		close(fd);
		if (pid > 0)
			kids[n++] = pid;
	}
	listen_close(o->listen, sock);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	while (n > 0 && waitpid(-1, NULL, 0) > 0)
		n--;
	free(kids);
	return 0;
}

int
lmtpd_main(const struct options *o)
{
	struct server s;
	struct lmtp_config cf;

	start_umask = umask(077);
	umask(start_umask);
	config(&s, o, &cf);
	server_signals();
	if (o->listen != NULL)
		return serve(o, &cf);
	lmtp_session(0, 1, &cf);
	return 0;
}
