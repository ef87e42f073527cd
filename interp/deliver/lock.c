/*
 * lock.c: dot-locks and kernel locks.  The dot-lock follows maildrop's
 * link(2) dance so that maildrop, procmail and mutt running beside runnel
 * exclude each other; what runnel adds is that no wait is endless (the
 * MTA would rather retry later than hold a slot for ever) and that a lock
 * whose owner has died is broken at once instead of after LOCKTIMEOUT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "../proc/cleanup.h"
#include "../run/fileopen.h"
#include "lock.h"
#include "../run/run.h"
#include "../run/spool.h"
#include "../proc/spawn.h"
#include "store.h"
#include "../run/vars.h"

struct lock {
	int		 fd;		/* flock file, else -1 */
	char		*path;		/* dot-lock file, else NULL */
	char		*tmp;		/* its temp name, in case it stayed */
	long		 refresh;	/* LOCKREFRESH seconds, 0: never */
	int		 spool;		/* made with the spool's group */
	time_t		 next;		/* when to touch it next */
	struct lock	*next_held;
};

static struct lock *held;		/* dot-locks, for lock_refresh() */
static unsigned tmpcount;		/* the <n> of DIR/<pid>.<n>.<host> */

/*
 * A lock that stays unchanged for LOCKTIMEOUT is broken as stale, so a
 * wait longer than twice that (plus one nap) means the lock is being
 * refreshed or retaken by others all along: give up, the MTA retries.
 */
unsigned
lock_wait_bound(struct run *r)
{
	long t = vars_num(r->vars, "LOCKTIMEOUT", 60);
	long s = vars_num(r->vars, "LOCKSLEEP", 5);

	if (t > 86400)
		t = 86400;
	if (s > 3600)
		s = 3600;
	return (unsigned)(2 * t + (s < 1 ? 1 : s));
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The temporary file DIR/<pid>.<n>.<host> could not be made (errno e). */
static void
create_failed(struct run *r, const struct pos *why, const char *tmp, int e)
{
	struct buf compat = BUF_INIT;
	int fresh = !r->err.set;

	const char *fix = e == EACCES ? spool_hint(tmp) : NULL;

	buf_printf(&compat, "Unable to create a dot-lock at %s.\n", tmp);
	run_fail(r, why, compat.p, fix != NULL ? fix :
	    e == ENOENT ? "the directory does not exist; create it or "
	    "fix the mailbox path" :
	    e == EEXIST || e == ELOOP ? "something already has this "
	    "temporary name; it is not runnel's: look at it and "
	    "remove it" :
	    e == EACCES || e == EPERM || e == EROFS ? "a dot-lock needs "
	    "write access to the mailbox's directory" : NULL,
	    "%s: %s (as user %s)", tmp, strerror(e), store_user());
	run_fail_cause(r, fresh, "create", tmp, e);
	buf_free(&compat);
}

/* The temporary name of the next attempt at lockname. */
static void
tmp_name(struct buf *tmp, const char *lockname)
{
	const char *slash = strrchr(lockname, '/');

	if (slash != NULL)
		buf_add(tmp, lockname, (size_t)(slash - lockname) + 1);
	buf_printf(tmp, "%ld.%u.%s", (long)getpid(), tmpcount, store_host());
}

/* This run holds lockname already (a dotlock block around a delivery). */
static int
held_here(const char *lockname)
{
	struct lock *l;

	for (l = held; l != NULL; l = l->next_held)
		if (strcmp(l->path, lockname) == 0)
			return 1;
	return 0;
}

int
lock_dot_plan(struct run *r, const struct pos *why, const char *lockname,
    int spool)
{
	struct buf tmp = BUF_INIT, dir = BUF_INIT;
	const char *slash = strrchr(lockname, '/');
	struct stat st;
	int e = 0;

	if (held_here(lockname))
		return 0;
	tmp_name(&tmp, lockname);
	if (slash == NULL)
		buf_adds(&dir, ".");
	else
		buf_add(&dir, lockname, slash == lockname ? 1 :
		    (size_t)(slash - lockname));
	/* The spool's group, as lock_dot() takes it for the same names. */
	if (spool && spool_up() != 0)
		spool = 0;
	if (lstat(tmp.p, &st) == 0)
		e = EEXIST;
	else if (faccessat(AT_FDCWD, dir.p, W_OK | X_OK, AT_EACCESS) != 0)
		e = errno;
	else if (stat(dir.p, &st) != 0 || !S_ISDIR(st.st_mode))
		e = ENOTDIR;
	if (spool)
		spool_down();
	if (e != 0)
		create_failed(r, why, tmp.p, e);
	buf_free(&tmp);
	buf_free(&dir);
	return e != 0 ? -1 : 0;
}

/*
 * One attempt: 1 when someone else holds it, 0 when it is ours, -1 after
 * run_fail().
 */
static int
attempt(struct run *r, const struct pos *why, const char *tmp,
    const char *lockname, int spool)
{
	int (*reg)(const char *) = spool ? cleanup_register_spool :
	    cleanup_register;
	char pid[32];
	struct stat st;
	int fd, n, e;

	if (reg(tmp) != 0) {
		run_fail(r, why, "Unable to create a dot-lock.", NULL,
		    "%s: out of memory", tmp);
		return -1;
	}
	/*
	 * A new file or nothing: whatever already has this name (a link
	 * planted to make us write through it, a leftover of a killed run)
	 * is not ours to write, truncate or remove.
	 */
	fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		e = errno;
		cleanup_unregister(tmp);
		create_failed(r, why, tmp, e);
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (store_write_all(fd, pid, (size_t)n) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		cleanup_unregister(tmp);
		run_fail(r, why, "Unable to write to a dot-lock.", NULL,
		    "%s: %s", tmp, strerror(e));
		return -1;
	}
	if (close(fd) != 0) {
		e = errno;
		unlink(tmp);
		cleanup_unregister(tmp);
		run_fail(r, why, "Unable to close a dot-lock.", NULL,
		    "%s: %s", tmp, strerror(e));
		return -1;
	}
	/* link() may report failure over NFS and still have worked; the
	   link count is the truth. */
	e = link(tmp, lockname) == 0 ? 0 : errno;
	if (stat(tmp, &st) == 0 && st.st_nlink == 2) {
		if (reg(lockname) != 0) {
			unlink(lockname);
			unlink(tmp);
			cleanup_unregister(tmp);
			run_fail(r, why, "Unable to create a dot-lock.", NULL,
			    "%s: out of memory", lockname);
			return -1;
		}
		/* If this unlink fails the name stays registered and
		   lock_release() tries again. */
		if (unlink(tmp) == 0 || errno == ENOENT)
			cleanup_unregister(tmp);
		return 0;
	}
	unlink(tmp);
	cleanup_unregister(tmp);
	if (e != 0 && e != EEXIST) {
		run_fail(r, why, "Unable to create a dot-lock.",
		    "check the file system and the directory's permissions",
		    "link %s to %s: %s (as user %s)", tmp, lockname,
		    strerror(e), store_user());
		return -1;
	}
	return 1;
}

/*
 * The lock file holds "<pid>\n".  When that process no longer exists on
 * this host the lock is dead: remove it, but only if the file we read is
 * still the one at lockname (someone may have replaced it meanwhile).
 * Its word counts only when it is a regular file of the mailbox's owner
 * or root: anyone else who can write in the directory could forge a
 * dead pid and have us break a live lock.  Such a lock waits for
 * LOCKTIMEOUT like any other.  Returns 1 when it was removed.
 */
static int
break_if_dead(const char *lockname, uid_t owner)
{
	char b[64];
	struct stat a, now;
	ssize_t n;
	long pid;
	char *end;
	int fd;

	if ((fd = open(lockname, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode) ||
	    (a.st_uid != owner && a.st_uid != 0) ||
	    (n = read(fd, b, sizeof(b) - 1)) <= 0) {
		close(fd);
		return 0;
	}
	close(fd);
	b[n] = '\0';
	pid = strtol(b, &end, 10);
	if (end == b || (*end != '\n' && *end != '\0') || pid <= 0 ||
	    pid == (long)getpid())
		return 0;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0;
	if (stat(lockname, &now) != 0 || now.st_dev != a.st_dev ||
	    now.st_ino != a.st_ino)
		return 0;
	return unlink(lockname) == 0;
}

int
lock_dot(struct run *r, const struct pos *why, const char *lockname,
    uid_t owner, int spool, struct lock **out)
{
	struct buf tmp = BUF_INIT;
	struct stat last, cur;
	long sleep_s, timeout, refresh;
	time_t start, seen = 0;
	unsigned bound;
	int have_last = 0, rc;
	struct lock *l;

	*out = NULL;
	/*
	 * `dotlock "mbox.lock" { to "mbox" }`: this run holds the lock
	 * already.  maildrop waits for itself until its watchdog fires
	 * (its refresh keeps the lock from going stale); the filter's
	 * intent is plainly to deliver under that lock, so the inner
	 * request is granted as it stands (released as a no-op).
	 */
	if (held_here(lockname)) {
		l = xcalloc(1, sizeof(*l));
		l->fd = -1;
		*out = l;
		return 0;
	}
	sleep_s = vars_num(r->vars, "LOCKSLEEP", 5);
	timeout = vars_num(r->vars, "LOCKTIMEOUT", 60);
	refresh = vars_num(r->vars, "LOCKREFRESH", 15);
	if (sleep_s < 1)
		sleep_s = 1;
	bound = lock_wait_bound(r);

	tmp_name(&tmp, lockname);
	tmpcount++;
	memset(&last, 0, sizeof(last));
	start = time(NULL);
	/*
	 * The spool's group is up only while these names are made, read or
	 * removed: the loop runs no filter code and no command.
	 */
	if (spool && spool_up() != 0)
		spool = 0;
	while ((rc = attempt(r, why, tmp.p, lockname, spool)) == 1) {
		if (break_if_dead(lockname, owner))
			continue;
		/* maildrop's rule: stale when unchanged for LOCKTIMEOUT. */
		if (stat(lockname, &cur) == 0) {
			if (!have_last || cur.st_ino != last.st_ino ||
			    cur.st_ctime != last.st_ctime ||
			    cur.st_atime != last.st_atime) {
				have_last = 1;
				last = cur;
				seen = time(NULL);
			} else if (time(NULL) - seen >= timeout) {
				unlink(lockname);
				have_last = 0;
			}
		}
		if (time(NULL) - start >= (time_t)bound) {
			run_fail(r, why, "Unable to lock mailbox.",
			    "find the process holding it, or remove the "
			    "lock file if it is stale",
			    "%s: still locked by another process after %u "
			    "seconds", lockname, bound);
			buf_free(&tmp);
			spool_down();
			return -1;
		}
		nap_ms(sleep_s * 1000L);
	}
	spool_down();
	if (rc < 0) {
		buf_free(&tmp);
		return -1;
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = -1;
	l->path = xstrdup(lockname);
	l->tmp = xstrdup(tmp.p);
	l->spool = spool;
	buf_free(&tmp);
	l->refresh = refresh >= 10 ? refresh : 0;
	l->next = time(NULL) + l->refresh;
	l->next_held = held;
	held = l;
	spawn_tick = lock_refresh;	/* refreshed while a child runs too */
	*out = l;
	return 0;
}

int
lock_fd(int fd, unsigned seconds)
{
	struct flock fl;
	struct timespec t0, t;
	long ms = 10;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EACCES && errno != EAGAIN)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= (time_t)seconds) {
			errno = ETIMEDOUT;
			return -1;
		}
		nap_ms(ms);
		if (ms < 1000)
			ms *= 2;
	}
}

int
lock_flock(struct run *r, const struct pos *why, const char *path,
    struct lock **out)
{
	struct stat st;
	struct lock *l;
	int fd, e;

	*out = NULL;
	if ((fd = file_open(path, O_CREAT | O_WRONLY, 0600, FILE_CHR,
	    NULL)) < 0) {
		e = errno;
		run_fail(r, why, "Unable to create flock file.",
		    e == ENOENT ? "create the directory first" :
		    FILE_REFUSED(e) ? "a lock file is a regular file; remove "
		    "what is there or name another file" : NULL,
		    "%s: %s (as user %s)", path, file_strerror(e), store_user());
		return -1;
	}
	if (lock_fd(fd, lock_wait_bound(r)) != 0) {
		e = errno;
		/* Devices may not lock; writing to one is the user's
		   choice (maildrop's filelock.C says the same). */
		if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) ||
		    e == ETIMEDOUT) {
			close(fd);
			run_fail(r, why, "flock() failed.",
			    e == ETIMEDOUT ? "another process holds the "
			    "lock; find it" : NULL,
			    "%s: %s", path, e == ETIMEDOUT ?
			    "still locked by another process" : strerror(e));
			return -1;
		}
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	*out = l;
	return 0;
}

void
lock_release(struct lock *l)
{
	struct lock **pp;

	if (l == NULL)
		return;
	if (l->path != NULL) {
		for (pp = &held; *pp != NULL; pp = &(*pp)->next_held)
			if (*pp == l) {
				*pp = l->next_held;
				break;
			}
		if (l->spool && spool_up() != 0)
			l->spool = 0;
		unlink(l->path);
		cleanup_unregister(l->path);
		free(l->path);
		if (access(l->tmp, F_OK) == 0 && unlink(l->tmp) == 0)
			cleanup_unregister(l->tmp);
		free(l->tmp);
		if (l->spool)
			spool_down();
	}
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}

void
lock_refresh(void)
{
	struct lock *l;
	time_t now = 0;

	for (l = held; l != NULL; l = l->next_held) {
		if (l->refresh == 0)
			continue;
		if (now == 0)
			now = time(NULL);
		if (now < l->next)
			continue;
		/* maildrop touches the ctime with chmod; do the same so its
		   stale test sees a live lock. */
		(void)chmod(l->path, 0644);
		l->next = now + l->refresh;
	}
}
