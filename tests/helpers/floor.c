/*
 * floor.c: the least a maildir delivery can do, the benchmark's floor:
 * read the message from stdin, write it to MAILDIR/tmp, fsync it, rename
 * it into MAILDIR/new and fsync that directory.  No filter, no parsing.
 *   floor MAILDIR < message
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

static void
die(const char *what)
{
	perror(what);
	exit(EX_TEMPFAIL);
}

int
main(int argc, char **argv)
{
	static char buf[1 << 16];
	char tmp[4096], new[4096], dir[4096];
	ssize_t n, w, off;
	int fd, dfd;

	if (argc != 2) {
		fprintf(stderr, "usage: floor MAILDIR < message\n");
		return EX_USAGE;
	}
	snprintf(tmp, sizeof(tmp), "%s/tmp/%ld.%d.floor", argv[1],
	    (long)time(NULL), (int)getpid());
	snprintf(new, sizeof(new), "%s/new/%ld.%d.floor", argv[1],
	    (long)time(NULL), (int)getpid());
	snprintf(dir, sizeof(dir), "%s/new", argv[1]);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		die(tmp);
	while ((n = read(0, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; off += w)
			if ((w = write(fd, buf + off, (size_t)(n - off))) < 0)
				die(tmp);
	if (n < 0)
		die("stdin");
	if (fsync(fd) != 0 || close(fd) != 0)
		die(tmp);
	if (rename(tmp, new) != 0)
		die(new);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 || fsync(dfd) != 0)
		die(dir);
	close(dfd);
	return 0;
}
