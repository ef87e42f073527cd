/*
 * deliver_maildir.c: a message counts as delivered only once its bytes
 * are on disk and its name is in new/ (or cur/); maildir_put.c writes it
 * that way, each step checked (DELIVERY.md §4.1, STYLE.md §9), and any
 * failure removes what was made, so the MTA's retry cannot produce a
 * duplicate or a torn message.  Here: the plan (the target must be a
 * maildir that can be written, FLAGS valid, the maildir++ quota not
 * passed), which the dry run runs too, then the write; the quota warning
 * comes after the delivery, so nothing about it can undo one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "deliver.h"
#include "maildir.h"
#include "../message/message.h"
#include "quota.h"
#include "store.h"
#include "../run/vars.h"

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
	struct buf p = BUF_INIT, hint = BUF_INIT;
	struct stat st;
	size_t i;
	int e, fresh;

	for (i = 0; i < 3; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", m->dir.p, subs[i]);
		if (stat(p.p, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		e = errno;
		if (stat(p.p, &st) == 0)
			e = ENOTDIR;
		buf_reset(&hint);
		buf_printf(&hint, "%s is not a maildir; create it: mkdir -p "
		    "%s/{cur,new,tmp} (or maildirmake %s)", m->dir.p,
		    m->dir.p, m->dir.p);
		fresh = !m->r->err.set;
		run_fail(m->r, m->why, DELIVER_OPEN_FAILED, hint.p,
		    "%s: %s (as user %s)", p.p, strerror(e), store_user());
		run_fail_cause(m->r, fresh, "stat", p.p, e);
		buf_free(&hint);
		buf_free(&p);
		return -1;
	}
	buf_free(&p);
	return 0;
}

/* tmp/ takes the new file, new/ or cur/ its name: both writable. */
static int
check_writable(struct md *m)
{
	const char *sub = m->flags[0] != '\0' ? "cur" : "new";
	struct buf p = BUF_INIT;
	int rc = 0;

	buf_printf(&p, "%s/tmp", m->dir.p);
	if (faccessat(AT_FDCWD, p.p, W_OK | X_OK, AT_EACCESS) != 0 ||
	    (buf_reset(&p), buf_printf(&p, "%s/%s", m->dir.p, sub),
	    faccessat(AT_FDCWD, p.p, W_OK | X_OK, AT_EACCESS) != 0)) {
		deliver_fail(m->r, m->why, DELIVER_OPEN_FAILED, "create a "
		    "file in", p.p, errno, "fix the owner or mode of the "
		    "maildir");
		rc = -1;
	}
	buf_free(&p);
	return rc;
}

/*
 * The plan: every check before the first write, each failing with the
 * line the write would have failed with.  Over quota, *over is set (the
 * real run then warns the owner, as maildrop does).
 */
static int
plan(struct md *m, struct quota *q, int *over)
{
	struct run *r = m->r;

	*over = 0;
	if (check_dirs(m) != 0 || check_flags(m) != 0 ||
	    check_writable(m) != 0)
		return -1;
	if (quota_check(r, m->dir.p, m->size, q) == 1) {
		*over = 1;
		run_fail(r, m->why, "maildir over quota.",
		    "the mailbox owner must delete mail (or the quota "
		    "be raised); the MTA will retry",
		    "%s: holds %lld bytes in %lld messages; this one "
		    "(%lld bytes) would pass the quota of %lld bytes, %lld "
		    "messages (0: no limit)", q->root, q->bytes, q->count,
		    (long long)m->size, q->limit_bytes, q->limit_count);
		/* maildrop 2.9.3 prints this one where it happens, trapped
		   by exception { } or not. */
		r->err.loud = 1;
		return -1;
	}
	return 0;
}

int
maildir_plan(struct run *r, const struct pos *why, const char *dir)
{
	struct md m;
	struct quota q;
	int over, rc;

	memset(&q, 0, sizeof(q));
	md_init(&m, r, why, dir);
	m.size = msg_size(r->msg);
	rc = plan(&m, &q, &over);
	md_end(&m, -1);
	quota_free(&q);
	return rc;
}

int
deliver_maildir(struct run *r, const struct pos *why, const char *dir,
    size_t *written)
{
	struct md m;
	struct quota q;
	int rc = -1, warn = 0, over;

	*written = 0;
	memset(&q, 0, sizeof(q));
	md_init(&m, r, why, dir);
	m.size = msg_size(r->msg);
	m.mode = store_mode(r);

	rc = plan(&m, &q, &over);
	quota_settle(&q);
	if (rc != 0) {
		/* maildrop warns a full maildir's owner too. */
		if (over)
			quota_warn(r, m.dir.p);
		goto out;
	}
	rc = -1;
	if (md_write(&m) != 0)
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
