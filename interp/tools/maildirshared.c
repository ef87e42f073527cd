/*
 * maildirshared.c: maildirmake --add NAME=PATH and --del NAME.  A
 * maildir's list of the sharable maildirs its mail reader shows folders
 * from is the file shared-maildirs in its top directory, one
 * "NAME<TAB>PATH" line each (and /etc/maildirshared for every maildir).
 * Courier's order of checks, texts and exit statuses; what is not
 * copied: a name holding a tab or a newline is invalid (Courier writes
 * it and the list no longer reads back), an --add to a list whose last
 * line has no newline starts a line of its own (Courier glues the two
 * entries together), the list is never opened through a symbolic link or
 * a FIFO, and --del's new list is synced before it replaces the old.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../deliver/store.h"
#include "../run/fileopen.h"
#include "tools.h"

#define GLOBAL_LIST	"/etc/maildirshared"

/* Does the list text name `name` (the text before a line's tab)? */
static int
listed(const struct buf *list, const char *name)
{
	const char *p = list->p, *end = list->p + list->len, *nl, *tab;
	size_t n = strlen(name);

	for (; p != NULL && p < end; p = nl != NULL ? nl + 1 : NULL) {
		nl = memchr(p, '\n', (size_t)(end - p));
		tab = memchr(p, '\t', (size_t)((nl != NULL ? nl : end) - p));
		if (tab != NULL && (size_t)(tab - p) == n &&
		    memcmp(p, name, n) == 0)
			return 1;
	}
	return 0;
}

/* The maildir must be a directory we can reach: "DIR: reason" else. */
static int
reach(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || (!S_ISDIR(st.st_mode) && (errno = ENOTDIR))) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
tools_shared_add(const char *dir, const char *name, const char *path)
{
	struct buf file = BUF_INIT, list = BUF_INIT, global = BUF_INIT,
	    line = BUF_INIT;
	struct stat st;
	int fd = -1, rc = 1;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	if (strpbrk(name, "./\t\n") != NULL) {
		fprintf(stderr, "%s: invalid name\n", name);
		return 1;
	}
	if (reach(dir) != 0)
		return 1;
	buf_printf(&file, "%s/shared-maildirs", dir);
	/* 0666 less the umask, as Courier's */
	fd = file_open(file.p, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW, 0666,
	    0, NULL);
	if (fd < 0 || file_slurp(file.p, &list) != 0) {
		fprintf(stderr, "maildirmake: %s: %s\n", file.p,
		    file_strerror(errno));
		goto out;
	}
	(void)file_slurp(GLOBAL_LIST, &global);	/* none is fine */
	if (listed(&list, name) || listed(&global, name)) {
		fprintf(stderr, "%s: already defined as a sharable maildir.\n",
		    name);
		rc = 2;
		goto out;
	}
	if (list.len > 0 && list.p[list.len - 1] != '\n')
		buf_addc(&line, '\n');
	buf_printf(&line, "%s\t%s\n", name, path);
	if (store_write_all(fd, line.p, line.len) != 0 || fsync(fd) != 0) {
		fprintf(stderr, "maildirmake: %s: %s\n", file.p,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	buf_free(&file);
	buf_free(&list);
	buf_free(&global);
	buf_free(&line);
	return rc;
}

/* Write text to a new file tmp, sync it, and rename it over file. */
static int
replace(const char *tmp, const char *file, const char *dir,
    const struct buf *text)
{
	int fd, e;

	/* 0644 less the umask, as Courier's */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0)
		return -1;
	if (store_write_all(fd, text->p, text->len) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, file) != 0)
		return -1;
	return store_sync_dir(dir);
}

int
tools_shared_del(const char *dir, const char *name)
{
	struct buf file = BUF_INIT, list = BUF_INIT, keep = BUF_INIT,
	    tmp = BUF_INIT, one = BUF_INIT;
	const char *p, *end, *nl;
	int rc = 1, found = 0;

	if (reach(dir) != 0)
		return 1;
	buf_printf(&file, "%s/shared-maildirs", dir);
	if (file_slurp(file.p, &list) != 0) {
		/* Courier's text names the maildir */
		fprintf(stderr, "%s: %s\n", dir, file_strerror(errno));
		goto out;
	}
	for (p = list.p, end = list.p + list.len; p != NULL && p < end;
	    p = nl != NULL ? nl + 1 : NULL) {
		nl = memchr(p, '\n', (size_t)(end - p));
		buf_set(&one, p, (size_t)((nl != NULL ? nl + 1 : end) - p));
		if (listed(&one, name))
			found = 1;
		else
			buf_addb(&keep, &one);
	}
	if (!found) {
		fprintf(stderr, "%s: not found.\n", name);
		goto out;
	}
	/* the new list beside the mail, then in place at once */
	buf_printf(&tmp, "%s/tmp/%ld.%ld_shared.%s", dir, (long)time(NULL),
	    (long)getpid(), store_host());
	if (replace(tmp.p, file.p, dir, &keep) != 0) {
		fprintf(stderr, "maildirmake: %s: %s\n", file.p,
		    strerror(errno));
		(void)unlink(tmp.p);
		goto out;
	}
	rc = 0;
out:
	buf_free(&file);
	buf_free(&list);
	buf_free(&keep);
	buf_free(&tmp);
	buf_free(&one);
	return rc;
}
