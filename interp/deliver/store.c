/*
 * store.c: the helpers of store.h.  Kept apart so the delivery files
 * stay about one job each and agree on user, host and mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../run/run.h"
#include "store.h"
#include "../run/vars.h"

const char *
store_user(void)
{
	static char name[64];
	struct passwd *pw;

	if (name[0] != '\0')
		return name;
	if ((pw = getpwuid(geteuid())) != NULL && pw->pw_name != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %lu",
		    (unsigned long)geteuid());
	return name;
}

const char *
store_host(void)
{
	static char host[256];
	char *p;

	if (host[0] != '\0')
		return host;
	if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
		strcpy(host, "localhost");
	/* '/' would make a path and ':' starts the maildir info part. */
	for (p = host; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
		else if (*p == ':')
			*p = '.';
	return host;
}

mode_t
store_mode(struct run *r)
{
	const char *s = vars_str(r->vars, "UMASK");
	char *end;
	unsigned long m;

	if (*s == '\0')
		return 0600;
	errno = 0;
	m = strtoul(s, &end, 8);
	if (errno != 0 || *end != '\0' || m > 0777)
		m = 077;
	return 0666 & ~(mode_t)m;
}

int
store_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
store_sync_dir(const char *dir)
{
	int fd, rc, e;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	e = errno;
	if (close(fd) != 0 && rc == 0)
		return -1;
	errno = e;
	return rc;
}

int
store_sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc, e;

	if (slash == NULL)
		return store_sync_dir(".");
	if (slash == path)
		return store_sync_dir("/");
	dir = xstrndup(path, (size_t)(slash - path));
	rc = store_sync_dir(dir);
	e = errno;
	free(dir);
	errno = e;
	return rc;
}
