/*
 * maildir_put.c: one message into a maildir the durable way of
 * DELIVERY.md §4.1: written to tmp/, fsynced, closed, linked into new/
 * (cur/ with flags), the directory fsynced, each step checked; a failure
 * removes what was made.  Used by a delivery (deliver_maildir.c) and for
 * the message runnel writes itself, the quota warning (quotawarn.c).
 * The temp file is registered with cleanup.h for the length of the
 * attempt, so a signal or an out-of-memory exit does not leave it behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../proc/cleanup.h"
#include "../run/fileopen.h"
#include "deliver.h"
#include "maildir.h"
#include "../message/message.h"
#include "store.h"
#include "../run/vars.h"

static unsigned counter;		/* the _<n> of the unique name */

static void
fail_errno(struct md *m, const char *compat, const char *what,
    const char *path, int e)
{
	if (m->quiet) {
		errno = e;
		return;
	}
	deliver_fail(m->r, m->why, compat, what, path, e,
	    "fix the owner or mode of the maildir");
}

/* Open tmp/<sec>.M<usec>P<pid>_<n>.<host>,S=<size>, a fresh name. */
static int
open_tmp(struct md *m)
{
	struct timeval tv;
	int fd, tries;

	for (tries = 0; tries < 5; tries++) {
		gettimeofday(&tv, NULL);
		if (m->uniq != NULL)
			snprintf(m->id, sizeof(m->id), "%s", m->uniq);
		else
			snprintf(m->id, sizeof(m->id), "%u", counter++);
		buf_reset(&m->base);
		buf_printf(&m->base, "%lld.M%ldP%ld", (long long)tv.tv_sec,
		    (long)tv.tv_usec, (long)getpid());
		buf_reset(&m->tmp);
		buf_printf(&m->tmp, "%s/tmp/%s_%s.%s", m->dir.p, m->base.p,
		    m->id, store_host());
		if (m->size > 0)
			buf_printf(&m->tmp, ",S=%lld", (long long)m->size);
		if (cleanup_register(m->tmp.p) != 0) {
			errno = ENOMEM;
			return -1;
		}
		fd = open(m->tmp.p, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
		    m->mode);
		if (fd >= 0)
			return fd;
		cleanup_unregister(m->tmp.p);
		if (errno != EEXIST)
			return -1;
		usleep(10000);
	}
	errno = EEXIST;
	return -1;
}

/*
 * KEYWORDS="a,b": courierimapkeywords/<base> lists them one a line,
 * sorted and without duplicates as maildrop writes them.  Written to a
 * dot-name first and renamed, so a reader never sees half a list.
 */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
write_keywords(struct md *m, const char *finalbase)
{
	const char *kw = vars_str(m->r->vars, "KEYWORDS");
	struct buf list = BUF_INIT, dir = BUF_INIT;
	char **v = NULL, *s, *tok, *save;
	size_t nv = 0, i;
	struct stat st;
	int fd = -1, rc = -1, e;

	s = xstrdup(kw);
	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		v = xrealloc(v, (nv + 1) * sizeof(*v));
		v[nv++] = tok;
	}
	if (nv == 0) {
		free(s);
		return 0;
	}
	qsort(v, nv, sizeof(*v), cmp_str);
	for (i = 0; i < nv; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			buf_printf(&list, "%s\n", v[i]);

	buf_printf(&dir, "%s/courierimapkeywords", m->dir.p);
	if (mkdir(dir.p, 0700) == 0) {
		/* B23: the directory takes the maildir's own mode. */
		if (stat(m->dir.p, &st) == 0)
			(void)chmod(dir.p, st.st_mode & 0777);
	} else if (errno != EEXIST) {
		fail_errno(m, DELIVER_WRITE_FAILED, "mkdir", dir.p, errno);
		goto out;
	}
	buf_printf(&m->kwtmp, "%s/.tmp.%s", dir.p, finalbase);
	buf_printf(&m->kw, "%s/%s", dir.p, finalbase);
	if (cleanup_register(m->kwtmp.p) != 0) {
		fail_errno(m, DELIVER_WRITE_FAILED, "create", m->kwtmp.p, ENOMEM);
		goto out;
	}
	fd = file_open(m->kwtmp.p, O_CREAT | O_TRUNC | O_WRONLY, 0640, 0, NULL);
	if (fd < 0) {
		fail_errno(m, DELIVER_WRITE_FAILED, "create", m->kwtmp.p, errno);
		goto out;
	}
	/* 0640 whatever the umask, as maildrop leaves them (B23). */
	if (fchmod(fd, 0640) != 0 || store_write_all(fd, list.p, list.len)
	    != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		fail_errno(m, DELIVER_WRITE_FAILED, "write", m->kwtmp.p, e);
		goto out;
	}
	if (close(fd) != 0) {
		fail_errno(m, DELIVER_WRITE_FAILED, "write", m->kwtmp.p, errno);
		goto out;
	}
	if (rename(m->kwtmp.p, m->kw.p) != 0) {
		fail_errno(m, DELIVER_WRITE_FAILED, "rename to", m->kw.p, errno);
		goto out;
	}
	cleanup_unregister(m->kwtmp.p);
	/* Until the message is linked, the keyword file goes if we die. */
	if (cleanup_register(m->kw.p) != 0) {
		unlink(m->kw.p);
		fail_errno(m, DELIVER_WRITE_FAILED, "create", m->kw.p, ENOMEM);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && m->kwtmp.len > 0) {
		unlink(m->kwtmp.p);
		cleanup_unregister(m->kwtmp.p);
	}
	if (rc != 0)
		buf_reset(&m->kw);
	free(v);
	free(s);
	buf_free(&list);
	buf_free(&dir);
	return rc;
}

static int
write_body(struct md *m, int fd)
{
	if (m->text != NULL)
		return store_write_all(fd, m->text->p, m->text->len);
	return msg_write_fd(m->r->msg, fd);
}

/* tmp/ holds all the bytes, on disk; *st gives the final name. */
static int
write_tmp(struct md *m, struct stat *st)
{
	int fd, e;

	if ((fd = open_tmp(m)) < 0) {
		fail_errno(m, DELIVER_OPEN_FAILED, "create", m->tmp.p, errno);
		/* Never made, or someone else's (EEXIST): not ours to remove. */
		buf_reset(&m->tmp);
		return -1;
	}
	/* The mode is the caller's, whatever the process umask is. */
	if (fchmod(fd, m->mode) != 0 || write_body(m, fd) != 0 ||
	    fsync(fd) != 0 || fstat(fd, st) != 0) {
		e = errno;
		close(fd);
		fail_errno(m, DELIVER_WRITE_FAILED, "write", m->tmp.p, e);
		return -1;
	}
	if (close(fd) != 0) {
		fail_errno(m, DELIVER_WRITE_FAILED, "write", m->tmp.p, errno);
		return -1;
	}
	return 0;
}

/* Keywords first, then the name in new/ (cur/ with FLAGS), then the
   directory's fsync: only then is the message delivered. */
static int
commit(struct md *m, const struct stat *st)
{
	const char *sub = m->flags[0] != '\0' ? "cur" : "new";
	struct buf d = BUF_INIT;
	int rc = -1;

	buf_printf(&m->final, "%sV%016llXI%016llX_%s.%s,S=%lld", m->base.p,
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	    m->id, store_host(), (long long)m->size);
	if (m->text == NULL && write_keywords(m, m->final.p) != 0)
		return -1;
	if (m->flags[0] != '\0')
		buf_printf(&m->final, ":2,%s", m->flags);
	buf_printf(&m->path, "%s/%s/%s", m->dir.p, sub, m->final.p);
	if (link(m->tmp.p, m->path.p) != 0 &&
	    (errno != EXDEV || rename(m->tmp.p, m->path.p) != 0)) {
		fail_errno(m, DELIVER_WRITE_FAILED, "link to", m->path.p, errno);
		return -1;
	}
	m->linked = 1;
	/* From here the name in new/ is what must go if we fail. */
	(void)cleanup_register(m->path.p);
	if (unlink(m->tmp.p) == 0 || errno == ENOENT)
		cleanup_unregister(m->tmp.p);
	/* A second name left in tmp/ is harmless (readers clean tmp/
	   after 36 hours); if it stays registered, a fatal exit removes
	   it, which is fine since new/ holds the message. */
	buf_printf(&d, "%s/%s", m->dir.p, sub);
	if (store_sync_dir(d.p) != 0)
		fail_errno(m, DELIVER_WRITE_FAILED, "fsync", d.p, errno);
	else
		rc = 0;
	buf_free(&d);
	return rc;
}

void
md_init(struct md *m, struct run *r, const struct pos *why, const char *dir)
{
	size_t len = strlen(dir);

	memset(m, 0, sizeof(*m));
	m->r = r;
	m->why = why;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	buf_add(&m->dir, dir, len);
}

void
md_end(struct md *m, int rc)
{
	int e = errno;

	if (m->tmp.len > 0 && (rc != 0 || !m->linked)) {
		unlink(m->tmp.p);
		cleanup_unregister(m->tmp.p);
	}
	if (m->linked) {
		if (rc != 0)
			unlink(m->path.p);
		cleanup_unregister(m->path.p);
	}
	if (m->kw.len > 0) {
		if (rc != 0)
			unlink(m->kw.p);
		cleanup_unregister(m->kw.p);
	}
	buf_free(&m->dir);
	buf_free(&m->base);
	buf_free(&m->tmp);
	buf_free(&m->final);
	buf_free(&m->kw);
	buf_free(&m->kwtmp);
	buf_free(&m->path);
	errno = e;
}

/*
 * A file server stamps a new file with its own clock.  When that clock
 * and this host's disagree, IMAP servers that compare them refuse the
 * mailbox ("Clock skew detected"); say so at delivery, with both times.
 */
static void
skew_check(struct md *m, const struct stat *st)
{
	time_t now = time(NULL);
	double d = difftime(st->st_mtime, now);
	char file[32], host[32];
	struct buf b = BUF_INIT;
	struct tm tm;

	if (m->r->clock_skew <= 0 || (d < 0 ? -d : d) <= m->r->clock_skew)
		return;
	strftime(file, sizeof(file), "%Y-%m-%d %H:%M:%S UTC",
	    gmtime_r(&st->st_mtime, &tm));
	strftime(host, sizeof(host), "%Y-%m-%d %H:%M:%S UTC",
	    gmtime_r(&now, &tm));
	buf_printf(&b, "clock skew: %s was stamped %s by its file system, "
	    "this host's clock says %s (%+.0f s, more than RUNNEL_CLOCK_SKEW "
	    "%.0f s); check the time service of both", m->tmp.p, file, host,
	    d, m->r->clock_skew);
	run_warn(m->r, NULL, b.p);
	buf_free(&b);
}

int
md_write(struct md *m)
{
	struct stat st;

	if (write_tmp(m, &st) != 0)
		return -1;
	skew_check(m, &st);
	return commit(m, &st) != 0 ? -1 : 0;
}

int
maildir_put(struct run *r, const char *dir, const char *uniq,
    const struct buf *text)
{
	struct md m;
	int rc = -1;

	md_init(&m, r, NULL, dir);
	m.text = text;
	m.uniq = uniq;
	m.size = (off_t)text->len;
	m.mode = 0640;		/* as maildrop leaves its own messages */
	m.quiet = 1;
	if (md_write(&m) == 0)
		rc = 0;
	md_end(&m, rc);
	return rc;
}
