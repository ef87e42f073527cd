/*
 * tracedir.c: storing the trace of a real delivery in the user's trace
 * directory (README "Why did my filter do that?").  The trace is a
 * convenience, the delivery is not: nothing here can fail, stop or slow
 * the delivery.  There are no locks and no fsync; a directory that is a
 * link, is not the user's or is writable by others gets nothing; the
 * file is always new (O_EXCL, never following a link, never opening
 * what someone planted under its name), mode 0600; a write that fails
 * (a full disk) removes the file.  The oldest traces go, so the
 * directory holds at most `files` of them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "../deliver/store.h"
#include "tracedir.h"

#define SUFFIX	".trace"

/* The directory, if it is safe to write in: its descriptor, else -1. */
static int
open_dir(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
is_trace(const char *name)
{
	size_t n = strlen(name);

	return n > strlen(SUFFIX) && name[0] != '.' &&
	    strcmp(name + n - strlen(SUFFIX), SUFFIX) == 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Remove the oldest traces (the names start with the time) until
 * `keep` are left.  Only regular files of ours are counted and removed.
 */
static void
prune(int dfd, unsigned keep)
{
	struct dirent *e;
	struct stat st;
	char **names = NULL;
	size_t n = 0, i;
	DIR *d;
	int fd = dup(dfd);

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_trace(e->d_name) || fstatat(dfd, e->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if (n - i > keep)
			(void)unlinkat(dfd, names[i], 0);
		free(names[i]);
	}
	free(names);
}

/* A new file of our own: YYYYMMDDTHHMMSSZ-PID[-N].trace. */
static int
create(int dfd, struct buf *name)
{
	struct tm tm;
	time_t now = time(NULL);
	char stamp[32];
	int fd, k;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (k = 0; k < 10; k++) {
		buf_reset(name);
		buf_printf(name, "%s-%ld", stamp, (long)getpid());
		if (k > 0)
			buf_printf(name, "-%d", k);
		buf_adds(name, SUFFIX);
		fd = openat(dfd, name->p, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

void
tracedir_write(const char *dir, const struct buf *head,
    const struct buf *text, unsigned files)
{
	struct buf name = BUF_INIT;
	int dfd, fd, ok;

	if (files == 0 || (dfd = open_dir(dir)) < 0)
		return;
	prune(dfd, files - 1);
	if ((fd = create(dfd, &name)) >= 0) {
		ok = fchmod(fd, 0600) == 0 &&
		    store_write_all(fd, head->p, head->len) == 0 &&
		    store_write_all(fd, text->p, text->len) == 0;
		if (close(fd) < 0 || !ok)
			(void)unlinkat(dfd, name.p, 0);
	}
	close(dfd);
	buf_free(&name);
}
