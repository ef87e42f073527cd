/*
 * deliver_mbox.c: a failed write truncates back to the old length; half
 * a message corrupts every message after it (DELIVERY.md §4.2, STYLE.md
 * §9).  The order follows mail.local: lstat, dot-lock, open, fstat and
 * compare with what lstat saw, kernel lock, remember the old end, write,
 * fsync, and leave through one exit label that undoes what failed.
 * Layout is maildrop 2.9.3's (DIFFERENCES.md A13): a From_ line, the
 * message with >From quoting, one empty line.
 *
 * A process that is killed (SIGKILL, the OOM killer) or a machine that
 * loses power cannot undo anything, so an append leaves a journal that
 * the next delivery acts on (journal.c):
 *
 *   1. under both locks, a journal MBOX.runnel-journal left by an earlier
 *      append is checked and, if it holds, the mailbox is cut back to
 *      the size it recorded and fsynced, and the journal removed;
 *   2. the journal of this append (device, inode, the size before it,
 *      the From_ line) is written, fsynced, and its directory fsynced,
 *      before the first byte goes to the mailbox;
 *   3. the message is appended and the mailbox fsynced;
 *   4. the journal is removed and its directory fsynced; only then may
 *      the run end with 0.
 *
 * So a journal that stands means "not known to be complete": whoever
 * wrote it never told the MTA the message was delivered, and the MTA
 * delivers it again.  That holds even when the append had in fact
 * finished (killed between 3 and 4): cutting it is right, as keeping it
 * would give the message twice.  A message acknowledged with 0 is never
 * cut, since its journal went, durably, before the 0.  A journal is
 * believed only under the checks in journal.h (owner, mode, links, this
 * very file, its From_ line at the recorded size, no later message); a
 * planted or stale one is removed and the mailbox left alone.  A failed
 * write still cuts back at once, as before, and a fatal signal cuts back
 * in cleanup_run(); the journal then stays and the next delivery just
 * removes it.
 *
 * The user's own mailbox in a spool that only group mail may write
 * (Debian's /var/mail, set-gid install, spool.h) takes the group up for
 * its fixed companions only: MBOX.lock with its temporary name, the
 * journal, and creating the mailbox itself, user's and group mail's, as
 * maildrop makes it.  Writing the message is done with the user's ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../proc/cleanup.h"
#include "../run/fileopen.h"
#include "../run/spool.h"
#include "deliver.h"
#include "journal.h"
#include "lock.h"
#include "../message/message.h"
#include "store.h"
#include "../run/vars.h"

#define OUTBUF		65536

/*
 * The quoting writer: the message goes through in chunks, and a line
 * start may be split across chunks, so the state is how many '>' and how
 * much of "From " the current line has begun with.
 */
struct out {
	int	 fd;
	char	 b[OUTBUF];
	size_t	 n;
	size_t	 written;	/* escaped message bytes, for the log */
	int	 bol;		/* inside a line's leading ">*From " */
	size_t	 gt;		/* '>' seen at this line's start */
	size_t	 from;		/* bytes of "From " matched after them */
	int	 last_nl;	/* the last byte sent was '\n' */
	int	 err;		/* errno of a failed write, else 0 */
};

static int
flush(struct out *o)
{
	if (o->n > 0 && store_write_all(o->fd, o->b, o->n) != 0) {
		o->err = errno;
		return -1;
	}
	o->n = 0;
	return 0;
}

static int
put(struct out *o, char c)
{
	if (o->n == sizeof(o->b) && flush(o) != 0)
		return -1;
	o->b[o->n++] = c;
	o->written++;
	o->last_nl = c == '\n';
	return 0;
}

/* The pending ">>>Fro" of a line that turned out not to need quoting. */
static int
put_pending(struct out *o)
{
	size_t i;

	for (i = 0; i < o->gt; i++)
		if (put(o, '>') != 0)
			return -1;
	for (i = 0; i < o->from; i++)
		if (put(o, "From "[i]) != 0)
			return -1;
	o->bol = 0;
	o->gt = o->from = 0;
	return 0;
}

static int
quote_chunk(void *arg, const char *p, size_t n)
{
	struct out *o = arg;
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = p[i];
		if (o->bol) {
			if (o->from == 0 && c == '>') {
				o->gt++;
				continue;
			}
			if (c == "From "[o->from]) {
				if (++o->from < 5)
					continue;
				/* ^>*From : one more '>' in front. */
				if (put(o, '>') != 0)
					return -1;
				if (put_pending(o) != 0)
					return -1;
				continue;
			}
			if (put_pending(o) != 0)
				return -1;
		}
		if (put(o, c) != 0)
			return -1;
		if (c == '\n')
			o->bol = 1;
	}
	return 0;
}

static void
fail_errno(struct run *r, const struct pos *why, const char *compat,
    const char *what, const char *path, int e)
{
	deliver_fail(r, why, compat, what, path, e,
	    "fix the owner or mode of the mailbox or its directory");
}

/*
 * A symbolic link is followed only when it belongs to us or to root;
 * one planted by someone else could point our writes anywhere.
 */
static int
symlink_ok(const struct stat *lst)
{
	return lst->st_uid == geteuid() || lst->st_uid == 0;
}

/* What the plan found: the mailbox as lstat saw it, and its dot-lock. */
struct mbox_plan {
	struct stat	 before;
	int		 existed;
	int		 device;	/* a character or block device */
	int		 flags;		/* for open(2) */
	struct buf	 lockname;	/* empty for a device */
	int		 spool;		/* the user's own spool mailbox */
};

/*
 * The plan: every check before the first write, in the real order
 * (DELIVERY.md §4.2: the symlink, the dot-lock, a directory, the open),
 * each failing with the line the real step fails with.  Writes nothing.
 * In two halves, since the real run takes the dot-lock in between: a
 * lock it cannot take is reported first, as maildrop does.
 */
static int
plan_lock(struct run *r, const struct pos *why, const char *path,
    struct mbox_plan *p)
{
	struct stat lst;
	const char *ext;
	int fresh;

	p->flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
	p->existed = lstat(path, &lst) == 0;
	if (p->existed && S_ISLNK(lst.st_mode)) {
		if (!symlink_ok(&lst)) {
			run_fail(r, why, DELIVER_OPEN_FAILED, "if the link is "
			    "meant, let its owner be the mailbox's owner",
			    "%s: a symbolic link owned by uid %lu, not by "
			    "user %s; not followed", path,
			    (unsigned long)lst.st_uid, store_user());
			return -1;
		}
		p->existed = stat(path, &p->before) == 0;
	} else {
		p->before = lst;
		p->flags |= O_NOFOLLOW;
	}
	p->device = p->existed && (S_ISCHR(p->before.st_mode) ||
	    S_ISBLK(p->before.st_mode));

	/* Devices (/dev/null) take no dot-lock, as in maildrop. */
	if (!p->device) {
		ext = vars_get(r->vars, "LOCKEXT", 7) != NULL ?
		    vars_str(r->vars, "LOCKEXT") : "";
		buf_printf(&p->lockname, "%s%s", path, *ext ? ext : ".lock");
		/* Only the lock's own name: a LOCKEXT of the filter's could
		   name another user's mailbox. */
		p->spool = (*ext == '\0' || strcmp(ext, ".lock") == 0) &&
		    spool_mailbox(path, r->user_name);
		fresh = !r->err.set;
		if (lock_dot_plan(r, why, p->lockname.p, p->spool) != 0) {
			/* "Maildir/.Lists/": a maildir was meant. */
			if (fresh && r->err.errnum == ENOENT &&
			    path[strlen(path) - 1] == '/') {
				buf_reset(&r->err.hint);
				buf_printf(&r->err.hint, "%s is no maildir; create "
				    "it: mkdir -p %s{cur,new,tmp} (or maildirmake "
				    "%s)", path, path, path);
			}
			return -1;
		}
	}
	return 0;
}

static int
plan_open(struct run *r, const struct pos *why, const char *path,
    const struct mbox_plan *p)
{
	/* After the dot-lock, as in maildrop: its line comes first. */
	if (p->existed && S_ISDIR(p->before.st_mode)) {
		run_fail(r, why, DELIVER_OPEN_FAILED, "a maildir needs tmp/, "
		    "new/ and cur/ inside it",
		    "%s: is a directory but not a maildir (as user %s)",
		    path, store_user());
		return -1;
	}
	/* What file_open() refuses or open(2) would: the same words. */
	if (*path == '\0') {
		fail_errno(r, why, DELIVER_OPEN_FAILED, "open", path, ENOENT);
		return -1;
	}
	if (p->existed && !S_ISREG(p->before.st_mode) &&
	    !S_ISCHR(p->before.st_mode)) {
		fail_errno(r, why, DELIVER_OPEN_FAILED, "open", path,
		    FILE_EKIND_OF(p->before.st_mode));
		return -1;
	}
	if (p->existed && faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0) {
		fail_errno(r, why, DELIVER_OPEN_FAILED, "open", path, errno);
		return -1;
	}
	return 0;
}

int
mbox_plan(struct run *r, const struct pos *why, const char *path)
{
	struct mbox_plan p;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = plan_lock(r, why, path, &p) != 0 ? -1 :
	    plan_open(r, why, path, &p);
	buf_free(&p.lockname);
	return rc;
}

int
deliver_mbox(struct run *r, const struct pos *why, const char *path,
    size_t *written)
{
	struct buf line = BUF_INIT, journal = BUF_INIT;
	struct mbox_plan p;
	struct lock *dot = NULL;
	struct stat st;
	struct out *o = NULL;
	const char *from;
	off_t old = -1, end;
	time_t now;
	int existed, device, fd = -1, rc = -1, e, cut = 0, keep;
	int journaled = 0, spool;
	char date[64];

	*written = 0;
	memset(&p, 0, sizeof(p));
	if (plan_lock(r, why, path, &p) != 0)
		goto out;
	existed = p.existed;
	device = p.device;
	spool = p.spool;
	if (!device && lock_dot(r, why, p.lockname.p, existed ?
	    p.before.st_uid : geteuid(), spool, &dot) != 0)
		goto out;
	if (plan_open(r, why, path, &p) != 0)
		goto out;
	/* A new spool mailbox needs the group; it must be new, then. */
	if (spool && !existed && spool_up() == 0) {
		fd = file_open(path, p.flags | O_EXCL, store_mode(r), FILE_CHR,
		    NULL);
		e = errno;
		spool_down();
		errno = e;
	} else
		fd = file_open(path, p.flags, store_mode(r), FILE_CHR, NULL);
	if (fd < 0) {
		fail_errno(r, why, DELIVER_OPEN_FAILED, "open", path, errno);
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		fail_errno(r, why, DELIVER_OPEN_FAILED, "fstat", path, errno);
		goto out;
	}
	if ((existed && (st.st_dev != p.before.st_dev ||
	    st.st_ino != p.before.st_ino)) ||
	    (!S_ISREG(st.st_mode) && !(device && S_ISCHR(st.st_mode)))) {
		run_fail(r, why, DELIVER_OPEN_FAILED, "check who else writes there",
		    "%s: the file changed while it was being opened, or is "
		    "not a regular file", path);
		goto out;
	}
	if (!device) {
		if (!existed)
			(void)fchmod(fd, store_mode(r));
		if (lock_fd(fd, lock_wait_bound(r)) != 0) {
			e = errno;
			run_fail(r, why, "Unable to lock mailbox.",
			    e == ETIMEDOUT ? "another process holds the "
			    "mailbox; find it" : NULL, "%s: %s", path,
			    e == ETIMEDOUT ? "still locked by another process"
			    : strerror(e));
			goto out;
		}
		/* The end as it is now that nobody else may write. */
		if (fstat(fd, &st) != 0) {
			fail_errno(r, why, DELIVER_WRITE_FAILED, "fstat", path, errno);
			goto out;
		}
		/* An earlier append that did not finish is taken off. */
		buf_printf(&journal, "%s%s", path, JOURNAL_EXT);
		if (spool)
			(void)spool_up();
		e = journal_recover(r, why, path, journal.p, fd, &st, &end);
		spool_down();
		if (e != 0)
			goto out;
		old = end;
		/* A fatal signal from here on cuts the file back too. */
		cut = cleanup_truncate(fd, (long long)old) == 0;
	}

	from = vars_str(r->vars, "FROM");
	if (*from == '\0')
		from = "MAILER-DAEMON";
	now = time(NULL);
	if (ctime_r(&now, date) == NULL)
		snprintf(date, sizeof(date), "Thu Jan  1 00:00:00 1970\n");
	buf_printf(&line, "From %s %s", from, date);	/* ctime ends in \n */

	if (!device) {
		if (spool)
			(void)spool_up();
		e = journal_begin(r, why, journal.p, &st, old, &line);
		spool_down();
		if (e != 0)
			goto out;
		journaled = 1;
	}

	o = xcalloc(1, sizeof(*o));
	o->fd = fd;
	o->bol = 1;
	o->gt = o->from = 0;
	o->last_nl = 1;		/* the From_ line's: an empty message adds none */
	if (store_write_all(fd, line.p, line.len) != 0) {
		fail_errno(r, why, DELIVER_WRITE_FAILED, "write", path, errno);
		goto out;
	}
	e = msg_each_chunk(r->msg, quote_chunk, o);
	if (e == 0 && o->bol && (o->gt > 0 || o->from > 0))
		e = put_pending(o);
	if (e == 0 && !o->last_nl)
		e = put(o, '\n');
	*written = o->written;
	if (e == 0)
		e = put(o, '\n');	/* the empty line between messages */
	if (e == 0)
		e = flush(o);
	if (e != 0) {
		fail_errno(r, why, DELIVER_WRITE_FAILED, o->err ? "write" : "read "
		    "the message for", path, o->err ? o->err : errno);
		goto out;
	}
	if (!device && fsync(fd) != 0) {
		fail_errno(r, why, DELIVER_WRITE_FAILED, "fsync", path, errno);
		goto out;
	}
	/* A new file's name was made durable with the journal's (its
	   directory was fsynced in journal_begin()). */
	if (cut) {
		cleanup_untruncate(fd);
		cut = 0;
	}
	/*
	 * close(2) may report a lost write (NFS) even after fsync; keep a
	 * second descriptor to cut the file back with if it does.
	 */
	keep = dup(fd);
	e = close(fd);
	fd = keep;
	if (e != 0 && !device) {
		e = errno;
		fail_errno(r, why, DELIVER_WRITE_FAILED, "close", path, e);
		goto out;
	}
	/* Last: a journal that stands means the append is not complete. */
	if (journaled) {
		if (spool)
			(void)spool_up();
		e = journal_end(journal.p, 1) != 0 ? errno : 0;
		spool_down();
		if (e != 0) {
			fail_errno(r, why, DELIVER_WRITE_FAILED, "remove the "
			    "journal", journal.p, e);
			goto out;
		}
	}
	journaled = 0;
	rc = 0;
out:
	if (rc != 0) {
		/* *written stays: maildrop logs what it tried to write. */
		if (fd >= 0 && old >= 0) {
			/* Back to where it was, durably, before unlocking;
			   the journal goes only once that is done. */
			if (ftruncate(fd, old) == 0 && fsync(fd) == 0) {
				if (journaled && spool)
					(void)spool_up();
				if (journaled)
					(void)journal_end(journal.p, 0);
				spool_down();
			} else
				buf_printf(&r->err.more, "  could not cut %s "
				    "back to %lld bytes: %s; the journal %s "
				    "stays, so that the next delivery does it\n",
				    path, (long long)old, strerror(errno),
				    journal.p);
		}
	}
	if (cut && fd >= 0)
		cleanup_untruncate(fd);
	if (fd >= 0)
		close(fd);
	lock_release(dot);
	free(o);
	buf_free(&p.lockname);
	buf_free(&line);
	buf_free(&journal);
	return rc;
}
