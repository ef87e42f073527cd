/*
 * fileopen.c: one way to open what the filter or the user names.
 * O_NONBLOCK makes the open of a FIFO return at once (at once with the
 * descriptor when reading, with ENXIO when writing and nobody reads);
 * fstat then tells what was opened, and only a regular file (or what
 * the caller allows) goes on, with O_NONBLOCK cleared so that reads and
 * writes behave as usual.  A FIFO found by ENXIO is reported as a FIFO.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "fileopen.h"

static int
kind_ok(mode_t m, unsigned allow)
{
	return S_ISREG(m) || ((allow & FILE_CHR) && S_ISCHR(m));
}

int
file_open(const char *path, int flags, mode_t mode, unsigned allow,
    struct stat *st)
{
	struct stat tmp;
	int fd, e, fl;

	if (st == NULL)
		st = &tmp;
	fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode);
	if (fd < 0) {
		e = errno;
		if (e == ENXIO && stat(path, st) == 0 && S_ISFIFO(st->st_mode))
			e = FILE_EKIND_OF(st->st_mode);
		errno = e;
		return -1;
	}
	if (fstat(fd, st) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!kind_ok(st->st_mode, allow)) {
		close(fd);
		errno = FILE_EKIND_OF(st->st_mode);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

const char *
file_strerror(int e)
{
	mode_t refused = (mode_t)e & S_IFMT;

	if (!FILE_REFUSED(e))
		return strerror(e);
	if (S_ISFIFO(refused))
		return "a named pipe (FIFO), not a regular file";
	if (S_ISDIR(refused))
		return "a directory, not a regular file";
	if (S_ISSOCK(refused))
		return "a socket, not a regular file";
	if (S_ISCHR(refused) || S_ISBLK(refused))
		return "a device, not a regular file";
	return "not a regular file";
}

int
file_slurp(const char *path, struct buf *b)
{
	return file_slurp_max(path, b, 0);
}

int
file_slurp_max(const char *path, struct buf *b, size_t max)
{
	char chunk[8192];
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, e;

	if ((fd = file_open(path, O_RDONLY, 0, 0, &st)) < 0)
		return -1;
	e = max > 0 && (uintmax_t)st.st_size > max ? EFBIG : 0;
	/* the size may grow while we read: count as well */
	while (e == 0 && (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				e = errno;
			continue;
		}
		if (max > 0 && (got += (size_t)n) > max)
			e = EFBIG;
		else
			buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	errno = e;
	return e != 0 ? -1 : 0;
}
