/*
 * quota.c: maildir++ quotas as Courier keeps them, so that courier-imap,
 * dovecot and maildrop agree with runnel on how full a maildir is.
 * maildirsize is a cache: when it is missing, large, or says "over"
 * while looking out of date, it is rebuilt from a scan, and trouble
 * with it never fails a delivery by itself (README.maildirquota).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "quota.h"
#include "../run/fileopen.h"
#include "../run/run.h"
#include "store.h"
#include "../run/vars.h"

#define SIZEFILE_MAX	5120		/* bigger: recalculate */
#define SIZEFILE_AGE	(15 * 60)	/* older and over quota: recalculate */

int
quota_parse(const char *def, long long *bytes, long long *count)
{
	const char *p = def;
	char *end;
	long long v;
	int any = 0;

	*bytes = *count = 0;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			return -1;
		v = strtoll(p, &end, 10);
		if (*end == 'S')
			*bytes = v, any = 1;
		else if (*end == 'C')
			*count = v, any = 1;
		else if (*end == '\0' || *end == ',')
			return -1;
		p = end + 1;
		while (*p != '\0' && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	return any ? 0 : -1;
}

/* ",S=nnn" in a maildir++ name, else stat(); -1 when it has gone. */
static long long
msg_bytes(const char *dir, const char *name)
{
	const char *s = strstr(name, ",S=");
	struct buf p = BUF_INIT;
	struct stat st;
	long long v;

	if (s != NULL && s[3] >= '0' && s[3] <= '9')
		return strtoll(s + 3, NULL, 10);
	buf_printf(&p, "%s/%s", dir, name);
	v = stat(p.p, &st) == 0 ? (long long)st.st_size : -1;
	buf_free(&p);
	return v;
}

static void
scan_dir(const char *dir, long long *bytes, long long *count)
{
	struct dirent *de;
	long long v;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((v = msg_bytes(dir, de->d_name)) < 0)
			continue;
		*bytes += v;
		(*count)++;
	}
	closedir(d);
}

/* new/ and cur/ of the root and of every folder but .Trash. */
static void
scan(const char *root, long long *bytes, long long *count)
{
	struct buf p = BUF_INIT;
	struct dirent *de;
	DIR *d;

	*bytes = *count = 0;
	buf_printf(&p, "%s/new", root);
	scan_dir(p.p, bytes, count);
	buf_reset(&p);
	buf_printf(&p, "%s/cur", root);
	scan_dir(p.p, bytes, count);
	if ((d = opendir(root)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] != '.' || strcmp(de->d_name, ".") == 0
			    || strcmp(de->d_name, "..") == 0 ||
			    strcmp(de->d_name, ".Trash") == 0)
				continue;
			buf_reset(&p);
			buf_printf(&p, "%s/%s/new", root, de->d_name);
			scan_dir(p.p, bytes, count);
			buf_reset(&p);
			buf_printf(&p, "%s/%s/cur", root, de->d_name);
			scan_dir(p.p, bytes, count);
		}
		closedir(d);
	}
	buf_free(&p);
}

/* Write a fresh maildirsize through tmp/ and rename; errors ignored. */
static void
rewrite(struct quota *q, const char *def)
{
	struct buf tmp = BUF_INIT, dst = BUF_INIT, text = BUF_INIT;
	struct timeval tv;
	int fd;

	gettimeofday(&tv, NULL);
	buf_printf(&tmp, "%s/tmp/%lld.M%ldP%ld_quota.%s", q->root,
	    (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(),
	    store_host());
	buf_printf(&dst, "%s/maildirsize", q->root);
	buf_printf(&text, "%s\n%12lld %12lld\n", def, q->bytes, q->count);
	fd = open(tmp.p, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0640);
	if (fd >= 0) {
		/* 0640 whatever the umask, as maildrop leaves it. */
		if (fchmod(fd, 0640) != 0 ||
		    store_write_all(fd, text.p, text.len) != 0 ||
		    close(fd) != 0 || rename(tmp.p, dst.p) != 0)
			unlink(tmp.p);
	}
	buf_free(&tmp);
	buf_free(&dst);
	buf_free(&text);
}

static int
over(const struct quota *q, off_t size, int n)
{
	return (q->limit_bytes > 0 && q->bytes + size > q->limit_bytes) ||
	    (q->limit_count > 0 && q->count + n > q->limit_count);
}

int
quota_check(struct run *r, const char *maildir, off_t size, struct quota *q)
{
	return quota_look(maildir, vars_str(r->vars, "MAILDIRQUOTA"), size, 1,
	    q);
}

int
quota_read(const char *maildir, const char *want, off_t size, int nmsgs,
    struct quota *q)
{
	int rc = quota_look(maildir, want, size, nmsgs, q);

	quota_settle(q);
	return rc;
}

void
quota_settle(struct quota *q)
{
	if (q->rebuild == NULL)
		return;
	rewrite(q, q->rebuild);
	free(q->rebuild);
	q->rebuild = NULL;
}

int
quota_look(const char *maildir, const char *want, off_t size, int nmsgs,
    struct quota *q)
{
	char text[SIZEFILE_MAX + 1], *nl, *p, *end;
	struct buf path = BUF_INIT, def = BUF_INIT;
	struct stat st;
	ssize_t n = 0;
	int fd, lines = 0, fresh = 0;
	long long b, c;

	memset(q, 0, sizeof(*q));
	/* A folder's maildirsize lives in its maildir++ root. */
	buf_printf(&path, "%s/maildirfolder", maildir);
	if (stat(path.p, &st) == 0) {
		buf_reset(&path);
		buf_printf(&path, "%s/..", maildir);
		q->root = xstrdup(path.p);
	} else
		q->root = xstrdup(maildir);
	buf_reset(&path);
	buf_printf(&path, "%s/maildirsize", q->root);

	fd = file_open(path.p, O_RDONLY, 0, 0, NULL);
	if (fd >= 0) {
		size_t got = 0;

		while (got < SIZEFILE_MAX &&
		    (n = read(fd, text + got, SIZEFILE_MAX - got)) > 0)
			got += (size_t)n;
		if (n < 0 || fstat(fd, &st) != 0)
			got = SIZEFILE_MAX;	/* unreadable: rebuild */
		close(fd);
		text[got] = '\0';
		n = (ssize_t)got;
	}
	nl = fd >= 0 ? strchr(text, '\n') : NULL;
	if (nl != NULL)
		buf_add(&def, text, (size_t)(nl - text));
	if (nl != NULL && n < SIZEFILE_MAX) {
		for (p = nl + 1; *p != '\0'; p = end) {
			if ((end = strchr(p, '\n')) == NULL)
				break;		/* a torn last line: ignore */
			*end++ = '\0';
			if (sscanf(p, "%lld %lld", &b, &c) == 2) {
				q->bytes += b;
				q->count += c;
				lines++;
			}
		}
	} else if (fd >= 0)
		fresh = -1;			/* too big or torn: rebuild */
	if (*want != '\0' && (def.len == 0 || strcmp(def.p, want) != 0)) {
		buf_set(&def, want, strlen(want));
		fresh = -1;			/* the quota changed */
	}
	if (def.len == 0 || quota_parse(def.p, &q->limit_bytes,
	    &q->limit_count) != 0) {
		buf_free(&path);
		buf_free(&def);
		return 0;			/* no quota here */
	}
	q->active = 1;
	if (fd < 0 || fresh < 0 || (over(q, size, nmsgs) && (lines > 1 ||
	    st.st_mtime + SIZEFILE_AGE < time(NULL)))) {
		scan(q->root, &q->bytes, &q->count);
		q->rebuild = xstrdup(def.p);
	}
	buf_free(&path);
	buf_free(&def);
	return over(q, size, nmsgs) ? 1 : 0;
}

/* Courier's maildir_readquota(): the fuller of bytes and count, in whole
   percent, 100 when over; big byte quotas are divided in KiB so the
   product cannot overflow on 32-bit Courier. */
static int
percent_of(long long used, long long limit)
{
	long long x = limit > 20000000 ? 1024 : 1;

	if (limit <= 0)
		return 0;
	if (used > limit)
		return 100;
	return (int)((used / x) * 100 / (limit / x));
}

int
quota_percent(const struct quota *q)
{
	int b, c;

	if (!q->active)
		return 0;
	b = percent_of(q->bytes, q->limit_bytes);
	c = percent_of(q->count, q->limit_count);
	return b > c ? b : c;
}

int
quota_add(struct quota *q, off_t size)
{
	struct buf path = BUF_INIT;
	char line[64];
	struct stat st;
	int fd, n, rc = -1, e;

	if (!q->active)
		return 0;
	buf_printf(&path, "%s/maildirsize", q->root);
	n = snprintf(line, sizeof(line), "%12lld %12lld\n", (long long)size,
	    1LL);
	fd = file_open(path.p, O_WRONLY | O_APPEND, 0, 0, &st);
	if (fd >= 0) {
		/* Half a line would spoil every later sum: undo it. */
		if (store_write_all(fd, line, (size_t)n) == 0)
			rc = 0;
		else {
			e = errno;
			(void)ftruncate(fd, st.st_size);
			errno = e;
		}
	}
	if (fd >= 0)
		close(fd);
	buf_free(&path);
	return rc;
}

void
quota_free(struct quota *q)
{
	free(q->root);
	free(q->rebuild);
	q->root = q->rebuild = NULL;
}
