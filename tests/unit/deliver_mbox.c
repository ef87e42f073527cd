/*
 * deliver_mbox.c: mbox layout and >From quoting as maildrop 2.9.3 writes
 * it (the expected bytes were taken from maildrop's output, date aside),
 * /dev/null, the dot-lock error for a missing directory, a dead owner's
 * lock broken at once, bounded waits on live dot-locks and kernel locks,
 * and the lock statements' API.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../interp/deliver/deliver.h"
#include "../../interp/deliver/lock.h"
#include "../../interp/message/message.h"
#include "../../interp/run/run.h"
#include "../../interp/run/vars.h"
#include "unit.h"

/* The message and the bytes maildrop 2.9.3 appended for it. */
static const char MSG[] = "From x\nFrom: a@b\nSubject: x\n\nbody\n"
    "From the body\n>From q\n>>From qq\n>Fromx\n From\nlast";
static const char WANT[] = ">From x\nFrom: a@b\nSubject: x\n\nbody\n"
    ">From the body\n>>From q\n>>>From qq\n>Fromx\n From\nlast\n\n";

static void
fresh(struct run *r, const char *text)
{
	int p[2];

	memset(r, 0, sizeof(*r));
	r->vars = vars_new();
	r->logfd = -1;
	vars_sets(r->vars, "UMASK", "077");
	if (pipe(p) != 0 || write(p[1], text, strlen(text)) !=
	    (ssize_t)strlen(text))
		abort();
	close(p[1]);
	r->msg = msg_read(p[0], NULL, 0, NULL);
	close(p[0]);
}

static void
done(struct run *r)
{
	msg_free(r->msg);
	vars_free(r->vars);
	rt_error_free(&r->err);
}

static char *
slurp(const char *path, size_t *len)
{
	static char b[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	b[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return b;
}

/* "From MAILER-DAEMON Www Mmm dd hh:mm:ss yyyy\n" then want. */
static int
is_entry(const char *s, const char *from, const char *want)
{
	size_t fl = strlen(from);
	const char *nl;

	if (strncmp(s, "From ", 5) != 0 || strncmp(s + 5, from, fl) != 0 ||
	    s[5 + fl] != ' ' || (nl = strchr(s, '\n')) == NULL ||
	    nl - (s + 6 + fl) != 24)
		return 0;
	return strncmp(nl + 1, want, strlen(want)) == 0;
}

static void
test_layout(void)
{
	struct run r;
	struct stat st;
	size_t w, len;
	char *s;
	int rc;

	fresh(&r, MSG);
	rc = deliver_mbox(&r, NULL, "mb", &w);
	s = slurp("mb", &len);
	unit_check(rc == 0 && s != NULL && is_entry(s, "MAILER-DAEMON", WANT) &&
	    len == strlen(WANT) + 44, "mbox-layout-as-maildrop", "%s", s ? s :
	    "no mbox");
	/* maildrop's log said (88): escaped bytes, no From_, no blank */
	unit_check(w == 88, "mbox-written-count", "not 88");
	unit_check(stat("mb", &st) == 0 && (st.st_mode & 0777) == 0600,
	    "mbox-mode", "not 0600");
	unit_check(access("mb.lock", F_OK) != 0, "mbox-lock-released",
	    "mb.lock left");
	done(&r);

	fresh(&r, "Subject: 2\n\nFrom\n");
	vars_sets(r.vars, "FROM", "joe@example.com");
	rc = deliver_mbox(&r, NULL, "mb", &w);
	s = slurp("mb", &len);
	unit_check(rc == 0 && s != NULL && len == 44 + strlen(WANT) + 46 + 18 &&
	    is_entry(s + 44 + strlen(WANT), "joe@example.com",
	    "Subject: 2\n\nFrom\n\n"), "mbox-append-second", "%s", s ? s :
	    "no mbox");
	done(&r);

	fresh(&r, MSG);
	rc = deliver_mbox(&r, NULL, "/dev/null", &w);
	unit_check(rc == 0, "mbox-dev-null", "%s", buf_cstr(&r.err.what));
	unit_check(access("/dev/null.lock", F_OK) != 0, "mbox-dev-null-no-lock",
	    "locked /dev/null");
	done(&r);
}

static void
test_errors(void)
{
	struct run r;
	char want[600], host[256];
	size_t w;
	int rc;

	fresh(&r, MSG);
	rc = deliver_mbox(&r, NULL, "nodir/mb", &w);
	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "localhost");
	snprintf(want, sizeof(want),
	    "Unable to create a dot-lock at nodir/%ld.0.%s.\n",
	    (long)getpid(), host);
	unit_check(rc == -1 && r.err.compat.p != NULL &&
	    strcmp(r.err.compat.p, want) == 0, "mbox-missing-dir-dotlock-error",
	    "%s", r.err.compat.p ? r.err.compat.p : "no error");
	done(&r);

	mkdir("adir", 0700);
	fresh(&r, MSG);
	rc = deliver_mbox(&r, NULL, "adir", &w);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "Unable to open mailbox.") == 0, "mbox-directory-refused", "%s",
	    r.err.compat.p ? r.err.compat.p : "delivered");
	done(&r);
}

static void
write_lock(const char *path, long pid)
{
	FILE *fp = fopen(path, "w");

	fprintf(fp, "%ld\n", pid);
	fclose(fp);
}

static void
test_locks(void)
{
	struct run r;
	struct lock *l;
	size_t w, len;
	pid_t pid;
	time_t t0;
	char *s;
	int rc, p[2];

	/* A lock whose owner is gone is broken at once. */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	write_lock("m2.lock", (long)pid);
	fresh(&r, MSG);
	t0 = time(NULL);
	rc = deliver_mbox(&r, NULL, "m2", &w);
	unit_check(rc == 0 && time(NULL) - t0 <= 1 &&
	    access("m2.lock", F_OK) != 0, "dead-owner-lock-broken",
	    "waited or failed");
	done(&r);

	/* A live owner that keeps its lock fresh: bounded wait, then 75. */
	write_lock("m3.lock", (long)getpid() + 0);
	if ((pid = fork()) == 0) {
		for (;;) {
			write_lock("m3.lock", (long)getppid());
			usleep(200000);
		}
	}
	fresh(&r, MSG);
	vars_sets(r.vars, "LOCKTIMEOUT", "1");
	vars_sets(r.vars, "LOCKSLEEP", "1");
	t0 = time(NULL);
	rc = deliver_mbox(&r, NULL, "m3", &w);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "Unable to lock mailbox.") == 0 && time(NULL) - t0 <= 6 &&
	    access("m3", F_OK) != 0, "live-dotlock-bounded-wait", "%s",
	    r.err.compat.p ? r.err.compat.p : "delivered");
	done(&r);
	unlink("m3.lock");

	/* A kernel lock held by another process: bounded as well. */
	write_lock("m4", 1);
	if (pipe(p) != 0)
		abort();
	if ((pid = fork()) == 0) {
		int fd = open("m4", O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

		fcntl(fd, F_SETLKW, &fl);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(p[0], &len, 1) != 1)
		abort();
	fresh(&r, MSG);
	vars_sets(r.vars, "LOCKTIMEOUT", "1");
	vars_sets(r.vars, "LOCKSLEEP", "1");
	rc = deliver_mbox(&r, NULL, "m4", &w);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	s = slurp("m4", &len);
	unit_check(rc == -1 && strcmp(r.err.compat.p,
	    "Unable to lock mailbox.") == 0 && s != NULL && len == 2 &&
	    access("m4.lock", F_OK) != 0, "kernel-lock-bounded-wait", "%s",
	    r.err.compat.p ? r.err.compat.p : "delivered");
	done(&r);

	/* The statements' API. */
	fresh(&r, MSG);
	rc = lock_dot(&r, NULL, "stmt.lock", geteuid(), 0, &l);
	s = slurp("stmt.lock", NULL);
	unit_check(rc == 0 && s != NULL && atol(s) == (long)getpid(),
	    "dotlock-holds-pid", "no lock");
	lock_release(l);
	unit_check(access("stmt.lock", F_OK) != 0, "dotlock-release", "left");
	rc = lock_flock(&r, NULL, "nodir/f", &l);
	unit_check(rc == -1 && strcmp(r.err.compat.p, "Unable to create flock "
	    "file.") == 0, "flock-create-error", "no error");
	done(&r);
	fresh(&r, MSG);
	rc = lock_flock(&r, NULL, "flk", &l);
	unit_check(rc == 0 && access("flk", F_OK) == 0, "flock-takes",
	    "failed");
	lock_release(l);
	done(&r);
}

int
main(void)
{
	char tmpl[] = "/tmp/runnel-unit-mbox.XXXXXX";
	char cmd[300];

	if (mkdtemp(tmpl) == NULL || chdir(tmpl) != 0) {
		unit_check(0, "setup", "no temp directory");
		return unit_done();
	}
	test_errors();		/* first: the lock's temp name ends .0. */
	test_layout();
	test_locks();
	if (chdir("/") == 0 && !unit_failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			unit_check(0, "clean-up", "%s failed", cmd);
	}
	return unit_done();
}
