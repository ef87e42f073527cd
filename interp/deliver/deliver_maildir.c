/*
 * deliver_maildir.c: a message counts as delivered only once its bytes
 * are on disk and its name is in new/ (or cur/): write to tmp/, fsync,
 * close, link into place, fsync the directory, each step checked
 * (DELIVERY.md §4.1, STYLE.md §9).  Any failure removes what was made,
 * so the MTA's retry cannot produce a duplicate or a torn message.
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
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../proc/cleanup.h"
#include "deliver.h"
#include "../message/message.h"
#include "quota.h"
#include "store.h"
#include "../run/vars.h"

/* maildrop prints both lines when a maildir write fails. */

static unsigned counter;		/* the _<n> of the unique name */

struct md {
	struct run		*r;
	const struct pos	*why;
	struct buf		 dir;	/* without the trailing '/' */
	struct buf		 base;	/* <sec>.M<usec>P<pid> */
	struct buf		 tmp, final, kw, kwtmp;
	struct buf		 path;	/* new/ or cur/ name, once linked */
	const struct buf	*text;	/* runnel's own message, else r->msg */
	const char		*uniq;	/* the name's _<n>, else the counter */
	char			 id[32];	/* the _<n> in use */
	char			 flags[8];
	mode_t			 mode;
	off_t			 size;
	int			 quiet;	/* the caller reports failures */
	int			 linked;
};

/* B6: only D F R S, each once, written in ASCII order. */
static int
check_flags(struct md *m)
{
	const char *f = vars_str(m->r->vars, "FLAGS");
	static const char order[] = "DFRS";
	int seen[4] = { 0, 0, 0, 0 };
	const char *p;
	size_t i, k = 0;

	for (p = f; *p != '\0'; p++) {
		const char *at = *p != '\0' ? strchr(order, *p) : NULL;

		if (at == NULL) {
			run_fail(m->r, m->why, DELIVER_WRITE_FAILED,
			    "FLAGS may hold only D (draft), F (flagged), "
			    "R (replied) and S (seen)",
			    "FLAGS=\"%s\": '%c' is not a maildir flag", f, *p);
			m->r->err.loud = 1;
			return -1;
		}
		seen[at - order] = 1;
	}
	for (i = 0; i < 4; i++)
		if (seen[i])
			m->flags[k++] = order[i];
	m->flags[k] = '\0';
	return 0;
}

/* A target that is not a maildir (any more) gets a way out. */
static int
check_dirs(struct md *m)
{
	static const char *const subs[] = { "tmp", "new", "cur" };
	struct buf p = BUF_INIT;
	struct stat st;
	size_t i;
	int e;

	for (i = 0; i < 3; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", m->dir.p, subs[i]);
		if (stat(p.p, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		e = errno;
		if (stat(p.p, &st) == 0)
			e = ENOTDIR;
		run_fail(m->r, m->why, DELIVER_OPEN_FAILED, NULL,
		    "%s: %s (as user %s)", p.p, strerror(e), store_user());
		buf_printf(&m->r->err.detail, "  %s is not a maildir; "
		    "create it: mkdir -p %s/{cur,new,tmp} (or maildirmake "
		    "%s)\n", m->dir.p, m->dir.p, m->dir.p);
		buf_free(&p);
		return -1;
	}
	buf_free(&p);
	return 0;
}

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
	fd = open(m->kwtmp.p, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0640);
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

static void
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

/* Undo what a failed attempt made; forget the names either way. */
static void
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

int
deliver_maildir(struct run *r, const struct pos *why, const char *dir,
    size_t *written)
{
	struct md m;
	struct quota q;
	struct stat st;
	int rc = -1, warn = 0;

	*written = 0;
	memset(&q, 0, sizeof(q));
	md_init(&m, r, why, dir);
	m.size = msg_size(r->msg);
	m.mode = store_mode(r);

	/* B11: nothing to store; say so rather than lose it silently. */
	if (m.size == 0) {
		run_warn(r, why, "empty message not delivered");
		rc = 0;
		goto out;
	}
	if (check_dirs(&m) != 0 || check_flags(&m) != 0)
		goto out;
	if (quota_check(r, m.dir.p, m.size, &q) == 1) {
		/* maildrop warns a full maildir's owner too. */
		quota_warn(r, m.dir.p);
		run_fail(r, why, "maildir over quota.",
		    "the mailbox owner must delete mail (or the quota "
		    "be raised); the MTA will retry",
		    "%s: holds %lld bytes in %lld messages; this one "
		    "(%lld bytes) would pass the quota of %lld bytes, %lld "
		    "messages (0: no limit)", q.root, q.bytes, q.count,
		    (long long)m.size, q.limit_bytes, q.limit_count);
		goto out;
	}
	if (write_tmp(&m, &st) != 0 || commit(&m, &st) != 0)
		goto out;
	rc = 0;
	warn = 1;
	*written = (size_t)m.size;
	if (q.active)
		(void)quota_add(&q, m.size);
out:
	md_end(&m, rc);
	quota_free(&q);
	/* Last, so nothing about the warning can undo the delivery. */
	if (warn)
		quota_warn(r, dir);
	return rc;
}

int
maildir_put(struct run *r, const char *dir, const char *uniq,
    const struct buf *text)
{
	struct md m;
	struct stat st;
	int rc = -1;

	md_init(&m, r, NULL, dir);
	m.text = text;
	m.uniq = uniq;
	m.size = (off_t)text->len;
	m.mode = 0640;		/* as maildrop leaves its own messages */
	m.quiet = 1;
	if (write_tmp(&m, &st) == 0 && commit(&m, &st) == 0)
		rc = 0;
	md_end(&m, rc);
	return rc;
}
