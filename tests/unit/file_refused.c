/*
 * file_refused.c: a file refused for its kind says its kind in the errno
 * value itself (fileopen.h), so an error record that keeps the value
 * names the right kind however many refusals come after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../interp/run/fileopen.h"
#include "unit.h"

int
main(void)
{
	char dir[] = "/tmp/file_refused.XXXXXX", fifo[64];
	int fd, e_fifo, e_dir, e_missing;

	if (mkdtemp(dir) == NULL) {
		unit_check(0, "mkdtemp", "%s", strerror(errno));
		return unit_done();
	}
	snprintf(fifo, sizeof(fifo), "%s/p", dir);
	if (mkfifo(fifo, 0600) != 0) {
		unit_check(0, "mkfifo", "%s", strerror(errno));
		return unit_done();
	}
	fd = file_open(fifo, O_RDONLY, 0, 0, NULL);
	e_fifo = errno;
	unit_check(fd < 0 && FILE_REFUSED(e_fifo), "fifo-refused",
	    "fd %d errno %d", fd, e_fifo);
	fd = file_open(dir, O_RDONLY, 0, 0, NULL);
	e_dir = errno;
	unit_check(fd < 0 && FILE_REFUSED(e_dir), "dir-refused",
	    "fd %d errno %d", fd, e_dir);
	/* the first value still names its own kind after the second */
	unit_str("fifo-kind-kept", file_strerror(e_fifo),
	    "a named pipe (FIFO), not a regular file");
	unit_str("dir-kind", file_strerror(e_dir),
	    "a directory, not a regular file");
	snprintf(fifo, sizeof(fifo), "%s/none", dir);
	fd = file_open(fifo, O_RDONLY, 0, 0, NULL);
	e_missing = errno;
	unit_check(fd < 0 && !FILE_REFUSED(e_missing) && e_missing == ENOENT,
	    "errno-as-is", "errno %d", e_missing);
	unit_str("strerror", file_strerror(ENOENT),
	    strerror(ENOENT));
	snprintf(fifo, sizeof(fifo), "%s/p", dir);
	unlink(fifo);
	rmdir(dir);
	return unit_done();
}
