/*
 * spawn.c: the child runner without a message or variables: big input
 * and big output at once (no deadlock), exit statuses, signals, EPIPE,
 * exec failure, umask 0007, and a timeout that kills a whole process
 * group.  Also the logfile record layout (DELIVERY.md §4.5).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../interp/deliver/logrec.h"
#include "../../interp/proc/spawn.h"
#include "unit.h"

static int
sh(const char *cmd, const char *in, size_t inlen, struct buf *out,
    unsigned timeout, struct spawn_res *res)
{
	const char *argv[4];
	struct spawn_req q;

	memset(&q, 0, sizeof(q));
	spawn_shell_argv(NULL, cmd, argv, &q.prog);
	q.argv = (char *const *)argv;
	q.in = in != NULL ? SPAWN_IN_BYTES : SPAWN_IN_NULL;
	q.inbytes = in;
	q.inlen = inlen;
	q.out = out != NULL ? SPAWN_OUT_BUF : SPAWN_OUT_INHERIT;
	q.outbuf = out;
	q.timeout = timeout;
	return spawn_run(NULL, &q, res);
}

/* Dead but not reaped (PID 1 in a container may never reap it). */
static int
zombie(pid_t pid)
{
	char path[64], line[256];
	FILE *fp;
	int z = 0;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "State:", 6) == 0)
			z = strchr(line, 'Z') != NULL;
	fclose(fp);
	return z;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(void)
{
	struct spawn_res res;
	struct buf out = BUF_INIT;
	char *big, path[64], msg[128];
	size_t n = 8u << 20, i;
	struct stat st;
	const char *argv[2] = { "/nonexistent/prog", NULL };
	struct spawn_req q;
	double t0;
	int rc;

	/* 8 MB in, 8 MB out through cat: both pipes full at once. */
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = "abcdefghijklmnopqrstuvwxyz\n"[i % 27];
	rc = sh("cat", big, n, &out, 30, &res);
	unit_check(rc == 0 && res.status == 0 && out.len == n &&
	    memcmp(out.p, big, n) == 0 && res.written == n,
	    "spawn-cat-8mb-both-ways", "output differs from input");

	buf_reset(&out);
	rc = sh("echo hi; exit 7", NULL, 0, &out, 10, &res);
	unit_check(rc == 0 && res.status == 7 && out.len == 3 &&
	    memcmp(out.p, "hi\n", 3) == 0, "spawn-exit-status", "not 7/hi");

	buf_reset(&out);
	rc = sh("kill -9 $$", NULL, 0, &out, 10, &res);
	unit_check(rc == 0 && res.status == -1 && res.signo == SIGKILL,
	    "spawn-killed-by-signal", "signal not reported");

	/* The child stops reading at once: the write fails with EPIPE. */
	buf_reset(&out);
	rc = sh("exec 0<&-; sleep 0.2; exit 0", big, n, &out, 10, &res);
	unit_check(rc == 0 && res.status == 0 && res.write_errno == EPIPE &&
	    res.written < n, "spawn-short-write-is-reported", "EPIPE not seen");

	/* SIGPIPE is at its default in the child even though we ignore it. */
	buf_reset(&out);
	rc = sh("yes | head -1 >/dev/null; echo ok", NULL, 0, &out, 10, &res);
	unit_check(rc == 0 && res.status == 0 && out.len == 3,
	    "spawn-child-sigpipe-default", "yes did not stop");

	memset(&q, 0, sizeof(q));
	q.argv = (char *const *)argv;
	q.prog = argv[0];
	q.in = SPAWN_IN_NULL;
	rc = spawn_run(NULL, &q, &res);
	unit_check(rc == -1 && res.exec_errno == ENOENT, "spawn-exec-failure",
	    "no ENOENT");

	snprintf(path, sizeof(path), "/tmp/runnel-umask-%ld", (long)getpid());
	snprintf(msg, sizeof(msg), "touch %s", path);
	umask(077);
	rc = sh(msg, NULL, 0, NULL, 10, &res);
	unit_check(rc == 0 && stat(path, &st) == 0 &&
	    (st.st_mode & 0777) == 0660, "spawn-umask-0007",
	    "file is not 0660");
	unlink(path);

	/* A shell that backgrounds a sleeper: the group goes at the deadline. */
	snprintf(path, sizeof(path), "/tmp/runnel-pg-%ld", (long)getpid());
	snprintf(msg, sizeof(msg), "sleep 30 & echo $! > %s; wait", path);
	t0 = now();
	rc = sh(msg, NULL, 0, NULL, 1, &res);
	{
		FILE *fp = fopen(path, "r");
		long pid = 0;
		int gone;

		if (fp != NULL) {
			if (fscanf(fp, "%ld", &pid) != 1)
				pid = 0;
			fclose(fp);
		}
		usleep(100000);
		gone = pid > 0 && ((kill((pid_t)pid,
		    0) < 0 && errno == ESRCH) ||
		    zombie((pid_t)pid));
		unit_check(rc == 0 && res.timed_out && res.status == -1 &&
		    gone && now() - t0 < 5, "spawn-timeout-kills-group",
		    "sleeper survived or no timeout");
		unlink(path);
	}

	/* An output-only child that never exits, holding its stdout. */
	buf_reset(&out);
	t0 = now();
	rc = sh("echo partial; exec sleep 30", big, n, &out, 1, &res);
	unit_check(rc == 0 && res.timed_out && now() - t0 < 5,
	    "spawn-timeout-while-feeding", "not timed out in time");

	/* The log record: maildrop's layout, 72 columns after the prefix. */
	buf_reset(&out);
	logrec_format(NULL, 0, "Maildir", 0, 158, &out);
	{
		const char *last = strstr(out.p, "File: ");

		unit_check(last != NULL && strlen(last) == 6 + 72 + 2 &&
		    strncmp(last + 6 + 72 - 5, "(158)\n\n", 7) == 0 &&
		    strncmp(last + 6, "Maildir   ", 10) == 0,
		    "logrec-file-line-width", "%s", out.p);
	}
	buf_reset(&out);
	logrec_format(NULL, 0, "|some command with a very long text that "
	    "goes on and on past the 72 columns of the record", 1, 12345,
	    &out);
	{
		const char *last = strstr(out.p, "!Err: ");

		unit_check(last != NULL && strlen(last) == 6 + 72 + 2 &&
		    strstr(last, " (12345)\n\n") != NULL,
		    "logrec-err-line-truncated", "%s", out.p);
	}
	free(big);
	buf_free(&out);
	return unit_done();
}
