/*
 * journal.c: the mbox append journal (journal.h; the scheme is told at
 * the top of deliver_mbox.c).  Cutting a mailbox is the one destructive
 * thing runnel does to mail already delivered, so the journal is read as
 * if someone else had written it: it counts only when every check says
 * it is ours and still describes the end of this very mailbox, and any
 * doubt leaves the mailbox as it is (a torn message is a nuisance; a cut
 * one that was acknowledged is lost mail).
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "deliver.h"
#include "journal.h"
#include "store.h"

#define JOURNAL_MAGIC	"runnel mbox journal 1\n"
#define MAGIC_LEN	(sizeof(JOURNAL_MAGIC) - 1)
#define JOURNAL_MAX	4096	/* the header and FIRST_MAX bytes fit */
#define FIRST_MAX	1024	/* of the From_ line, kept to compare */
#define SCAN_CHUNK	65536

/*
 * What the journal says: the append began at size on dev/ino with first.
 * On disk: JOURNAL_MAGIC, "dev ino size firstlen\n", then first.
 */
struct entry {
	unsigned long long dev, ino;
	long long	 size;
	const char	*first;
	size_t		 firstlen;
};

static int
parse(const char *b, size_t n, struct entry *e)
{
	unsigned long long v[4];
	const char *p = b + MAGIC_LEN;
	char *q;
	int i;

	if (n < MAGIC_LEN || memcmp(b, JOURNAL_MAGIC, MAGIC_LEN) != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		if (p >= b + n || *p < '0' || *p > '9')
			return -1;
		errno = 0;
		v[i] = strtoull(p, &q, 10);
		if (errno != 0 || q >= b + n || *q != (i < 3 ? ' ' : '\n'))
			return -1;
		p = q + 1;
	}
	if (v[2] > (unsigned long long)LLONG_MAX || v[3] == 0 ||
	    v[3] != (unsigned long long)(b + n - p))
		return -1;
	e->dev = v[0];
	e->ino = v[1];
	e->size = (long long)v[2];
	e->first = p;
	e->firstlen = (size_t)v[3];
	return 0;
}

/*
 * Why a journal file cannot be believed, or NULL.  A planted one could
 * make us cut another user's mail: only the mailbox's owner, we (who
 * may write the mailbox anyway) and root are trusted to have written
 * it, and only if nobody else could have changed it since.
 */
static const char *
distrust(const struct stat *js, const struct stat *mb, struct buf *why)
{
	if (S_ISLNK(js->st_mode))
		return "it is a symbolic link";
	if (!S_ISREG(js->st_mode))
		return "it is not a regular file";
	if (js->st_uid != mb->st_uid && js->st_uid != geteuid() &&
	    js->st_uid != 0) {
		buf_printf(why, "it belongs to uid %lu, not to the "
		    "mailbox's owner", (unsigned long)js->st_uid);
		return why->p;
	}
	if (js->st_mode & (S_IWGRP | S_IWOTH))
		return "others may write it";
	if (js->st_nlink != 1)
		return "it has other names (hard links)";
	if (js->st_size > JOURNAL_MAX)
		return "it is too large to be a journal";
	return NULL;
}

/* read(2) until n bytes or the end; the count, or -1. */
static ssize_t
read_full(int fd, char *p, size_t n, off_t at)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = pread(fd, p + got, n - got, at + (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/*
 * Is [e->size, end) of the mailbox the unfinished append alone?  Its
 * first bytes must be the From_ line the journal kept (or zeros, what a
 * power loss may leave in blocks that were never written), and no line
 * after it may start with "From ": our own lines never do (>From
 * quoting), so one that does is a message another program appended
 * since.  1 yes, 0 no (*why says why), -1 the mailbox could not be read.
 */
static int
only_ours(const char *mbox, const struct stat *mb, const struct entry *e,
    off_t end, const char **why)
{
	struct stat st;
	char *b;
	size_t n, i, keep = 0;
	off_t at;
	ssize_t k;
	int fd, rc = -1, zeros = 1, saved;

	if ((fd = open(mbox, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_dev != mb->st_dev ||
	    st.st_ino != mb->st_ino) {
		close(fd);
		*why = "the mailbox was replaced while it was checked";
		return 0;
	}
	b = xmalloc(SCAN_CHUNK + 8);
	n = e->firstlen;
	if ((off_t)n > end - (off_t)e->size)
		n = (size_t)(end - (off_t)e->size);
	if ((k = read_full(fd, b, n, (off_t)e->size)) < 0)
		goto out;
	for (i = 0; i < (size_t)k; i++)
		if (b[i] != '\0')
			zeros = 0;
	if ((size_t)k != n || (memcmp(b, e->first, n) != 0 && !zeros)) {
		*why = "what stands there is not the message it began";
		rc = 0;
		goto out;
	}
	/* Scan from just after the From_ line's first byte; a match may
	   straddle two chunks, so the last 5 bytes are kept. */
	at = (off_t)e->size + 1;
	while (at < end) {
		n = SCAN_CHUNK;
		if ((off_t)n > end - at)
			n = (size_t)(end - at);
		if ((k = read_full(fd, b + keep, n, at)) < 0)
			goto out;
		if (k == 0)
			break;
		at += k;
		n = keep + (size_t)k;
		for (i = 0; i + 6 <= n; i++)
			if (b[i] == '\n' && memcmp(b + i + 1, "From ", 5) == 0) {
				*why = "another message was appended after it";
				rc = 0;
				goto out;
			}
		keep = n < 5 ? n : 5;
		memmove(b, b + n - keep, keep);
	}
	rc = 1;
out:
	saved = errno;
	free(b);
	close(fd);
	errno = saved;
	return rc;
}

/* Remove the journal; 0, or -1 after run_fail(). */
static int
drop(struct run *r, const struct pos *why, const char *jpath)
{
	if (unlink(jpath) == 0 || errno == ENOENT)
		return 0;
	deliver_fail(r, why, DELIVER_OPEN_FAILED, "remove the journal",
	    jpath, errno, "let the mailbox's owner remove it");
	return -1;
}

static void
warn(struct run *r, const struct pos *why, const char *jpath,
    const char *what)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s: %s", jpath, what);
	run_warn(r, why, b.p);
	buf_free(&b);
}

int
journal_recover(struct run *r, const struct pos *why, const char *mbox,
    const char *jpath, int fd, const struct stat *mb, off_t *size)
{
	struct buf reason = BUF_INIT, msg = BUF_INIT;
	struct stat js, jf;
	struct entry e;
	const char *no = NULL;
	char *b = NULL;
	ssize_t n = 0;
	int jfd, rc = -1, ours, cut_short = 0;

	memset(&e, 0, sizeof(e));
	*size = mb->st_size;
	if (lstat(jpath, &js) != 0) {
		if (errno == ENOENT)
			return 0;
		deliver_fail(r, why, DELIVER_OPEN_FAILED, "lstat", jpath,
		    errno, "fix the mode of the mailbox's directory");
		return -1;
	}
	if ((no = distrust(&js, mb, &reason)) == NULL) {
		jfd = open(jpath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
		b = xmalloc(JOURNAL_MAX + 1);
		if (jfd < 0 || fstat(jfd, &jf) != 0 ||
		    jf.st_dev != js.st_dev || jf.st_ino != js.st_ino ||
		    (n = read_full(jfd, b, JOURNAL_MAX + 1, 0)) < 0)
			no = "it cannot be read or was replaced meanwhile";
		else if (n > JOURNAL_MAX || parse(b, (size_t)n, &e) != 0) {
			no = "it is not a journal runnel wrote";
			/* Ours, cut short while being written: complete
			   before its append's first byte, so no append
			   followed it. */
			cut_short = n <= JOURNAL_MAX && memcmp(b,
			    JOURNAL_MAGIC, (size_t)n < MAGIC_LEN ? (size_t)n :
			    MAGIC_LEN) == 0;
		}
		if (jfd >= 0)
			close(jfd);
	}
	if (cut_short)
		;	/* it never got as far as its append: say nothing */
	else if (no != NULL) {
		buf_printf(&msg, "not believed (%s); removed, the mailbox "
		    "left as it is", no);
		warn(r, why, jpath, msg.p);
	} else if (e.dev != (unsigned long long)mb->st_dev ||
	    e.ino != (unsigned long long)mb->st_ino)
		warn(r, why, jpath, "left by a delivery to another file of "
		    "that name; removed");
	else if ((off_t)e.size > mb->st_size)
		warn(r, why, jpath, "the mailbox has shrunk since an "
		    "unfinished delivery began; removed, the mailbox left "
		    "as it is");
	else if ((off_t)e.size < mb->st_size) {
		ours = only_ours(mbox, mb, &e, mb->st_size, &no);
		if (ours < 0) {
			buf_printf(&msg, "an unfinished delivery left %lld "
			    "bytes, but the mailbox cannot be read to check "
			    "them (%s); removed, the mailbox left as it is",
			    (long long)(mb->st_size - (off_t)e.size),
			    strerror(errno));
			warn(r, why, jpath, msg.p);
		} else if (ours == 0) {
			buf_printf(&msg, "an unfinished delivery began at "
			    "byte %lld, but %s; removed, the mailbox left as "
			    "it is", e.size, no);
			warn(r, why, jpath, msg.p);
		} else {
			/* Durably cut before the journal goes: if we die
			   in between, the next delivery finds it again. */
			if (ftruncate(fd, (off_t)e.size) != 0 ||
			    fsync(fd) != 0) {
				deliver_fail(r, why, DELIVER_WRITE_FAILED,
				    "cut off an unfinished delivery in", mbox,
				    errno, "fix the owner or mode of the "
				    "mailbox");
				goto out;
			}
			buf_printf(&msg, "removed the %lld bytes that an "
			    "unfinished delivery left at the end of %s (the "
			    "MTA still has that message)",
			    (long long)(mb->st_size - (off_t)e.size), mbox);
			run_warn(r, why, msg.p);
			*size = (off_t)e.size;
		}
	}
	rc = drop(r, why, jpath);
out:
	free(b);
	buf_free(&reason);
	buf_free(&msg);
	return rc;
}

int
journal_begin(struct run *r, const struct pos *why, const char *jpath,
    const struct stat *mb, off_t size, const struct buf *first)
{
	struct buf b = BUF_INIT;
	const char *what = "write";
	size_t n;
	int fd, e;

	n = first->len < FIRST_MAX ? first->len : FIRST_MAX;
	buf_printf(&b, JOURNAL_MAGIC "%llu %llu %lld %zu\n",
	    (unsigned long long)mb->st_dev, (unsigned long long)mb->st_ino,
	    (long long)size, n);
	buf_add(&b, first->p, n);
	/* O_EXCL: journal_recover() removed any; one here now is not ours. */
	fd = open(jpath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		deliver_fail(r, why, DELIVER_OPEN_FAILED, "create the journal",
		    jpath, errno, "a delivery to an mbox needs write access "
		    "to its directory");
		buf_free(&b);
		return -1;
	}
	if (fchmod(fd, 0600) != 0)
		what = "chmod";
	else if (store_write_all(fd, b.p, b.len) != 0)
		what = "write";
	else if (fsync(fd) != 0)
		what = "fsync";
	else
		what = NULL;
	e = errno;
	if (close(fd) != 0 && what == NULL) {
		what = "close";
		e = errno;
	}
	/* The journal's name, and a new mailbox's, must survive a crash. */
	if (what == NULL && store_sync_parent(jpath) != 0) {
		what = "fsync the directory of";
		e = errno;
	}
	buf_free(&b);
	if (what == NULL)
		return 0;
	(void)unlink(jpath);
	deliver_fail(r, why, DELIVER_WRITE_FAILED, what, jpath, e,
	    "fix the owner or mode of the mailbox's directory");
	return -1;
}

int
journal_end(const char *jpath, int sync)
{
	if (unlink(jpath) != 0)
		return -1;
	return sync ? store_sync_parent(jpath) : 0;
}
