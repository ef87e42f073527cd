/*
 * spawn.c: one way to run a child, used by every effect that runs one.
 *
 * The child gets its own process group (so a timeout can kill the whole
 * pipeline a shell started, not just the shell), default signal handling
 * (we ignore SIGPIPE; an ignored signal would survive exec), umask 0007
 * whatever UMASK says (DIFFERENCES.md B23) and an environment built from
 * the filter's variables.  We write its input and read its output in one
 * poll loop with non-blocking ends, so a large message going in and a
 * large answer coming out can never wait on each other.  Each child has
 * its own deadline (RUNNEL_CHILD_TIMEOUT); there is no global alarm.
 *
 * maildrop leads its process group and sends it SIGHUP on exit, killing
 * what its commands left running in the background (DIFFERENCES.md B19).
 * Our children lead groups of their own, so at exit we send SIGHUP to
 * each of those groups instead: the same effect, kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "cleanup.h"
#include "../message/message.h"
#include "../run/run.h"
#include "spawn.h"
#include "../run/vars.h"

extern char **environ;

/* The longest single wait, so spawn_tick keeps held dot-locks fresh. */
#define SLICE_MS	1000

/* How long a child may take to die after SIGTERM before SIGKILL. */
#define GRACE_MS	2000

void (*spawn_tick)(void);

static void
tick(void)
{
	if (spawn_tick != NULL)
		spawn_tick();
}

/* Process groups of the children started, for the SIGHUP at exit. */
static pid_t	*groups;
static size_t	 ngroups, groupcap;

static void
hangup_groups(void)
{
	size_t i;

	for (i = 0; i < ngroups; i++)
		kill(-groups[i], SIGHUP);
}

static void
remember_group(pid_t pgid)
{
	size_t i;

	if (groupcap == 0)
		atexit(hangup_groups);
	for (i = 0; i < ngroups; i++)
		if (groups[i] == pgid)
			return;
	if (ngroups == groupcap) {
		groupcap = groupcap * 2 + 8;
		groups = xrealloc(groups, groupcap * sizeof(*groups));
	}
	groups[ngroups++] = pgid;
}

struct child {
	pid_t		 pid;
	int		 infd;		/* our end of its stdin, or -1 */
	int		 outfd;		/* our end of its stdout, or -1 */
	struct buf	*out;
	size_t		 outmax;
	int		 has_deadline;
	struct timespec	 deadline;
	int		 expired;
	struct spawn_res *res;
};

static long
ms_left(const struct child *c)
{
	struct timespec now;
	long ms;

	if (!c->has_deadline)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (c->deadline.tv_sec - now.tv_sec) * 1000 +
	    (c->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

static void
close_in(struct child *c)
{
	if (c->infd >= 0)
		close(c->infd);
	c->infd = -1;
}

static void
read_some(struct child *c)
{
	char tmp[65536];
	ssize_t n;

	for (;;) {
		n = read(c->outfd, tmp, sizeof(tmp));
		if (n > 0) {
			buf_add(c->out, tmp, (size_t)n);
			if (c->outmax > 0 && c->out->len > c->outmax) {
				/* `cat /dev/zero` must not fill memory */
				c->res->too_much = 1;
				c->expired = 1;
				return;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* EOF, or an error we can do nothing about. */
		close(c->outfd);
		c->outfd = -1;
		return;
	}
}

/*
 * Wait until the child's stdin can take bytes (when want_write) or its
 * output has come, reading what came.  Returns 1 when the deadline has
 * passed or the output ran past outmax.
 */
static int
pump(struct child *c, int want_write)
{
	struct pollfd pfd[2];
	int n = 0, iw = -1, ir = -1, rc;
	long ms;

	if (want_write && c->infd >= 0) {
		iw = n;
		pfd[n].fd = c->infd;
		pfd[n++].events = POLLOUT;
	}
	if (c->outfd >= 0) {
		ir = n;
		pfd[n].fd = c->outfd;
		pfd[n++].events = POLLIN;
	}
	if (n == 0)
		return 0;
	ms = ms_left(c);
	rc = poll(pfd, (nfds_t)n, ms < 0 || ms > SLICE_MS ? SLICE_MS : (int)ms);
	if (rc < 0)
		return 0;		/* EINTR: look again */
	if (rc == 0) {
		tick();
		if (ms >= 0 && ms_left(c) == 0) {
			c->expired = 1;
			return 1;
		}
		return 0;
	}
	if (ir >= 0 && pfd[ir].revents)
		read_some(c);
	if (c->expired)
		return 1;
	(void)iw;
	return 0;
}

/* msg_each_chunk callback: all of p into the child, or stop. */
static int
feed(void *arg, const char *p, size_t n)
{
	struct child *c = arg;
	ssize_t w;

	while (n > 0) {
		if (c->infd < 0)
			return 1;
		w = write(c->infd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			c->res->written += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN) {
			/* EPIPE: the child stopped reading (SIGPIPE is ignored). */
			c->res->write_errno = errno;
			close_in(c);
			return 1;
		}
		if (pump(c, 1))
			return 1;
	}
	return 0;
}

/* Wait for the child to end by itself, at most ms (-1: for ever). */
static int
reap(struct child *c, long ms, int *wstatus)
{
	struct pollfd pfd;
	struct timespec nap = { 0, 1000000 };
	long slice;
	int fd;

	fd = pidfd_open(c->pid, 0);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (waitpid(c->pid, wstatus, WNOHANG) == c->pid) {
			if (fd >= 0)
				close(fd);
			return 1;
		}
		if (ms == 0) {
			if (fd >= 0)
				close(fd);
			return 0;
		}
		slice = ms < 0 || ms > SLICE_MS ? SLICE_MS : ms;
		if (fd >= 0) {
			pfd.revents = 0;
			if (poll(&pfd, 1, (int)slice) < 0 && errno == EINTR)
				continue;
		} else {
			/* No pidfd (old kernel): look every few milliseconds. */
			slice = nap.tv_nsec / 1000000;
			nanosleep(&nap, NULL);
			if (nap.tv_nsec < 16000000)
				nap.tv_nsec *= 2;
		}
		tick();
		if (ms > 0)
			ms = ms > slice ? ms - slice : 0;
	}
}

/*
 * The deadline passed (or the output ran over): the whole group goes,
 * politely first.  Its stdin
 * stays open until then: a command that outlived SIGTERM would otherwise
 * read the rest of the pipe, see end-of-file and take the cut message
 * for the whole one.
 */
static void
kill_group(struct child *c, int *wstatus)
{
	c->res->timed_out = !c->res->too_much;
	kill(-c->pid, SIGTERM);
	kill(c->pid, SIGTERM);
	if (!reap(c, GRACE_MS, wstatus)) {
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		reap(c, -1, wstatus);
	}
	/* The leader is gone; stragglers in its group are not spared. */
	kill(-c->pid, SIGKILL);
	close_in(c);
	if (c->outfd >= 0) {
		close(c->outfd);
		c->outfd = -1;
	}
}

/*
 * Move a pipe end off fds 0-2: if we were started with one of them
 * closed, pipe2() may return it, and dup2(fd, fd) in the child would keep
 * its close-on-exec flag, leaving the child without that stream.
 */
static int
above_stdio(int *fd)
{
	int nfd;

	if (*fd > 2)
		return 0;
	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return -1;
	close(*fd);
	*fd = nfd;
	return 0;
}

static void
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * A program named without a '/' is looked up in the filter's PATH, the
 * one its shell commands see, not in the PATH runnel was started with.
 */
static void
resolve(struct run *r, const char *prog, struct buf *out)
{
	const char *dirs = NULL, *p, *end;

	if (strchr(prog, '/') != NULL || *prog == '\0') {
		buf_adds(out, prog);
		return;
	}
	if (r != NULL && r->vars != NULL)
		dirs = vars_str(r->vars, "PATH");
	if (dirs == NULL || *dirs == '\0')
		dirs = getenv("PATH");
	if (dirs == NULL || *dirs == '\0')
		dirs = "/usr/bin:/bin";
	for (p = dirs; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		buf_reset(out);
		if (end == p)
			buf_adds(out, ".");
		else
			buf_add(out, p, (size_t)(end - p));
		buf_addc(out, '/');
		buf_adds(out, prog);
		if (access(out->p, X_OK) == 0 || *end == '\0')
			return;
	}
}

int
spawn_can_exec(struct run *r, const char *prog, int *err)
{
	struct buf path = BUF_INIT;
	struct stat st;

	*err = 0;
	resolve(r, prog, &path);
	if (stat(path.p, &st) != 0)
		*err = errno;
	else if (!S_ISREG(st.st_mode) ||
	    faccessat(AT_FDCWD, path.p, X_OK, AT_EACCESS) != 0)
		*err = EACCES;
	buf_free(&path);
	return *err == 0;
}

static int
start(struct run *r, const struct spawn_req *q, struct child *c,
    int inp[2], int outp[2])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	struct buf path = BUF_INIT;
	sigset_t all, none;
	char **env;
	mode_t old;
	int rc, s;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (q->in == SPAWN_IN_NULL)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	else
		posix_spawn_file_actions_adddup2(&fa, inp[0], 0);
	if (q->out == SPAWN_OUT_BUF)
		posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	else if (q->out == SPAWN_OUT_FD && q->outfd != 1)
		posix_spawn_file_actions_adddup2(&fa, q->outfd, 1);

	sigemptyset(&all);
	for (s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaddset(&all, s);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setpgroup(&at, 0);
	/* RESETIDS: a child never starts with the spool's group (spool.h),
	   and exec then leaves it out of the saved gid as well. */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_RESETIDS);

	env = r != NULL && r->vars != NULL ? vars_environ(r->vars) : NULL;
	resolve(r, q->prog, &path);
	old = umask(007);
	rc = posix_spawn(&c->pid, path.p, &fa, &at, q->argv,
	    env != NULL ? env : environ);
	umask(old);
	buf_free(&path);
	if (env != NULL)
		vars_envfree(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

int
spawn_run(struct run *r, const struct spawn_req *q, struct spawn_res *res)
{
	struct child c;
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 };
	int rc, wstatus = 0, saved;

	memset(res, 0, sizeof(*res));
	res->status = -1;
	memset(&c, 0, sizeof(c));
	c.infd = c.outfd = -1;
	c.res = res;
	c.out = q->outbuf;
	c.outmax = q->outmax;
	if (q->timeout > 0) {
		c.has_deadline = 1;
		clock_gettime(CLOCK_MONOTONIC, &c.deadline);
		c.deadline.tv_sec += q->timeout;
	}
	/* Writing to a child that has gone must be an error, not our death. */
	signal(SIGPIPE, SIG_IGN);

	if ((q->in != SPAWN_IN_NULL && (pipe2(inp, O_CLOEXEC) < 0 ||
	    above_stdio(&inp[0]) < 0 || above_stdio(&inp[1]) < 0)) ||
	    (q->out == SPAWN_OUT_BUF && (pipe2(outp, O_CLOEXEC) < 0 ||
	    above_stdio(&outp[0]) < 0 || above_stdio(&outp[1]) < 0))) {
		saved = errno;
		goto fail;
	}
	fflush(NULL);		/* the child must not repeat our buffered output */
	rc = start(r, q, &c, inp, outp);
	if (rc != 0) {
		res->exec_errno = rc;
		saved = rc;
		goto fail;
	}
	remember_group(c.pid);
	cleanup_child(c.pid);
	if (inp[0] >= 0)
		close(inp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	c.infd = inp[1];
	c.outfd = outp[0];
	if (c.infd >= 0)
		set_nonblock(c.infd);
	if (c.outfd >= 0)
		set_nonblock(c.outfd);

	if (q->in == SPAWN_IN_MESSAGE) {
		if (msg_each_chunk(r->msg, feed, &c) < 0 && !c.expired &&
		    res->write_errno == 0)
			res->write_errno = errno != 0 ? errno : EIO;
	} else if (q->in == SPAWN_IN_BYTES)
		feed(&c, q->inbytes, q->inlen);
	if (!c.expired)
		close_in(&c);	/* else kill_group() does, once it is dead */
	while (!c.expired && c.outfd >= 0)
		pump(&c, 0);
	if (!c.expired && !reap(&c, ms_left(&c), &wstatus))
		c.expired = 1;
	if (c.expired)
		kill_group(&c, &wstatus);
	cleanup_child(0);
	if (WIFEXITED(wstatus) && !res->timed_out)
		res->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		res->signo = WTERMSIG(wstatus);
	return 0;

fail:
	if (inp[0] >= 0)
		close(inp[0]);
	if (inp[1] >= 0)
		close(inp[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	errno = saved;
	return -1;
}

void
spawn_shell_argv(struct run *r, const char *cmd, const char **argv,
    const char **prog)
{
	const char *shell = r != NULL && r->vars != NULL ?
	    vars_str(r->vars, "SHELL") : "";
	const char *base;

	if (shell == NULL || *shell == '\0')
		shell = "/bin/sh";
	base = strrchr(shell, '/');
	base = base != NULL && base[1] != '\0' ? base + 1 : shell;
	*prog = shell;
	argv[0] = base;
	argv[1] = "-c";
	argv[2] = cmd;
	argv[3] = NULL;
}

unsigned
spawn_timeout(const struct run *r)
{
	const char *s = r != NULL && r->vars != NULL ?
	    vars_str(r->vars, SPAWN_TIMEOUT_VAR) : "";
	unsigned long v = 0;

	if (s == NULL)
		return SPAWN_TIMEOUT_DEFAULT;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return SPAWN_TIMEOUT_DEFAULT;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 86400UL * 365)
			v = 86400UL * 365;
	}
	return (unsigned)v;
}

void
spawn_describe(const struct spawn_res *res, unsigned timeout,
    struct buf *out)
{
	if (res->exec_errno != 0)
		buf_printf(out, "could not be started: %s",
		    strerror(res->exec_errno));
	else if (res->timed_out)
		buf_printf(out, "timed out after %u s and was killed "
		    "(with its process group)", timeout);
	else if (res->signo != 0)
		buf_printf(out, "was killed by signal %d (%s)", res->signo,
		    strsignal(res->signo));
	else
		buf_printf(out, "exited with status %d", res->status);
	if (res->write_errno != 0)
		buf_printf(out, "; writing the message to it failed after "
		    "%zu bytes: %s", res->written, strerror(res->write_errno));
}
