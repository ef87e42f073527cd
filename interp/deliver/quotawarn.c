/*
 * quotawarn.c: -w N and -W FILE, Courier's maildir_deliver_quota_warning.
 * Once a maildir++ is N percent full, a message made from a template is
 * put into its INBOX, at most once a day: the mtime of the root's
 * "quotawarn" file says when the last one went.  The warning is a
 * courtesy, so nothing about it fails the delivery that prompted it, and
 * no template (neither -W's nor <sysconfdir>/quotawarnmsg) means no
 * warnings, as in maildrop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "maildir.h"
#include "quota.h"
#include "../run/fileopen.h"
#include "../run/run.h"

#define WARN_EVERY	(24 * 60 * 60)

/* -W's file, else <sysconfdir>/quotawarnmsg; -1 when neither opens. */
static int
open_template(struct run *r)
{
	struct buf p = BUF_INIT;
	int fd = -1;

	if (r->quota_warn_file != NULL && *r->quota_warn_file != '\0')
		fd = file_open(r->quota_warn_file, O_RDONLY, 0, 0, NULL);
	if (fd < 0) {
		buf_printf(&p, "%s/quotawarnmsg", r->sysconfdir);
		fd = file_open(p.p, O_RDONLY, 0, 0, NULL);
		buf_free(&p);
	}
	return fd;
}

/* Claim this day's warning: 0 when root/quotawarn was missing or a day
   old and now says "now"; trouble with it means no warning. */
static int
stamp(const char *root, time_t now)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int fd = -1, rc = -1, made = 0;

	buf_printf(&p, "%s/quotawarn", root);
	if (stat(p.p, &st) == 0 ? st.st_mtime + WARN_EVERY <= now :
	    (made = errno == ENOENT))
		fd = file_open(p.p, O_WRONLY | O_CREAT | O_TRUNC, 0640, 0,
		    NULL);
	if (fd >= 0) {
		/* A new stamp is 0640 whatever the umask, an old one keeps
		   its mode, as with maildrop; its one byte is maildrop's
		   too; only the mtime counts. */
		if ((!made || fchmod(fd, 0640) == 0) && write(fd, "", 1) == 1)
			rc = 0;
		if (close(fd) != 0)
			rc = -1;
	}
	buf_free(&p);
	return rc;
}

/* Date and Message-Id as Courier writes them above the template. */
static void
headers(struct buf *b, time_t now)
{
	char date[64], host[257];
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	buf_printf(b, "Date: %s\nMessage-Id: <%lu.overquota@%s>\n", date,
	    (unsigned long)now, host);
}

static int
read_all(int fd, struct buf *b)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf_add(b, chunk, (size_t)n);
	}
	return 0;
}

/*
 * The warning counts against the quota like any message, but only if it
 * fits: Courier delivers it either way, and a full maildir stays "full"
 * rather than "over".
 */
static void
send_warning(struct run *r, const char *root, int tfd)
{
	struct buf text = BUF_INIT, why = BUF_INIT;
	struct quota q;
	time_t now = time(NULL);
	int fits;

	if (stamp(root, now) != 0)
		return;
	headers(&text, now);
	if (read_all(tfd, &text) != 0) {
		buf_printf(&why, "quota warning not delivered: template: %s",
		    strerror(errno));
		run_warn(r, NULL, why.p);
		goto out;
	}
	fits = quota_read(root, "", (off_t)text.len, 1, &q) == 0;
	if (maildir_put(r, root, "warn", &text) != 0) {
		buf_printf(&why, "quota warning not delivered to %s: %s",
		    root, strerror(errno));
		run_warn(r, NULL, why.p);
	} else if (fits && q.active)
		(void)quota_add(&q, (off_t)text.len);
	quota_free(&q);
out:
	buf_free(&text);
	buf_free(&why);
}

void
quota_warn(struct run *r, const char *maildir)
{
	struct quota q;
	int fd;

	if (r->quota_warn < 0)
		return;
	/* A folder's warning goes to the INBOX: the root holds the quota. */
	(void)quota_read(maildir, "", 0, 0, &q);
	if (quota_percent(&q) >= r->quota_warn &&
	    (fd = open_template(r)) >= 0) {
		send_warning(r, q.root, fd);
		close(fd);
	}
	quota_free(&q);
}
