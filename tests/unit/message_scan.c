/*
 * message_scan.c: the text patterns search, compared with what maildrop
 * 2.9.3 searches.  For each tests/messages/NAME.eml, msg_scan() in each
 * mode must print exactly NAME.h.scan (headers of the message and its
 * parts), NAME.H.scan (top-level header only) and NAME.b.scan (bodies),
 * one searched line per line.  The expected files come from maildrop's
 * own `foreach /^.*$/:h` output where runnel agrees with it (see
 * tests/messages/README).
 *
 * With arguments, `message_scan FILE.eml h|H|b|hb` prints the scan of one
 * message, to make or review expected files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../../interp/message/message.h"
#include "unit.h"

static int
collect(void *arg, const char *line, size_t len)
{
	struct buf *out = arg;

	buf_add(out, line, len);
	buf_addc(out, '\n');
	return 0;
}

static unsigned
mode_bits(const char *mode)
{
	unsigned what = 0;

	if (strchr(mode, 'h'))
		what |= MSG_TOP_HEADER | MSG_PART_HEADERS;
	if (strchr(mode, 'H'))
		what |= MSG_TOP_HEADER;
	if (strchr(mode, 'b'))
		what |= MSG_BODY;
	return what;
}

static int
scan_file(const char *path, const char *mode, struct buf *out)
{
	struct message *m;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	m = msg_read(fd, NULL, 0, NULL);
	close(fd);
	if (m == NULL)
		return -1;
	msg_scan(m, mode_bits(mode), collect, out);
	msg_free(m);
	return 0;
}

static int
slurp(const char *path, struct buf *out)
{
	char tmp[4096];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_add(out, tmp, (size_t)n);
	close(fd);
	buf_add(out, "", 0);
	return 0;
}

static const char *
messages_dir(void)
{
	static const char *const dirs[] = {
		"tests/messages", "../tests/messages", "../../tests/messages",
	};
	const char *env = getenv("RUNNEL_TEST_MESSAGES");
	size_t i;

	if (env != NULL)
		return env;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (access(dirs[i], R_OK) == 0)
			return dirs[i];
	return NULL;
}

/* Say which line differs first, so a FAIL line is enough to start. */
static void
first_diff(const char *name, const struct buf *want, const struct buf *got)
{
	size_t i = 0, line = 1, s = 0;

	while (i < want->len && i < got->len && want->p[i] == got->p[i]) {
		if (want->p[i] == '\n') {
			line++;
			s = i + 1;
		}
		i++;
	}
	unit_check(0, name, "scan differs\nline %zu: want \"%.*s\"\n"
	    "line %zu: got  \"%.*s\"", line, (int)strcspn(want->p + s, "\n"),
	    want->p + s, line, (int)strcspn(got->p + s, "\n"), got->p + s);
}

int
main(int argc, char **argv)
{
	static const char *const modes[] = { "h", "H", "b" };
	struct buf got = BUF_INIT, want = BUF_INIT, path = BUF_INIT;
	const char *dir;
	struct dirent *de;
	DIR *d;
	size_t i, len;
	const char *name;
	int files = 0;

	if (argc == 3) {
		int rc = scan_file(argv[1], argv[2], &got);

		if (rc < 0)
			perror(argv[1]);
		else
			fwrite(got.p, 1, got.len, stdout);
		buf_free(&got);
		return rc < 0;
	}
	if ((dir = messages_dir()) == NULL || (d = opendir(dir)) == NULL) {
		unit_check(0, "message_scan", "tests/messages not found (run "
		    "from the top of the tree)");
		return unit_done();
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
			buf_reset(&path);
			buf_printf(&path, "%s/%.*s.%s.scan", dir,
			    (int)(len - 4), de->d_name, modes[i]);
			buf_reset(&want);
			if (slurp(path.p, &want) < 0)
				continue;	/* that mode not tested */
			buf_reset(&path);
			buf_printf(&path, "%s/%s", dir, de->d_name);
			buf_reset(&got);
			buf_add(&got, "", 0);
			files++;
			name = unit_name("%s :%s", de->d_name, modes[i]);
			if (scan_file(path.p, modes[i], &got) < 0)
				unit_check(0, name, "%s", strerror(errno));
			else if (got.len != want.len ||
			    memcmp(got.p, want.p, got.len) != 0)
				first_diff(name, &want, &got);
			else
				unit_pass(name);
		}
	}
	closedir(d);
	if (files == 0)
		unit_check(0, "message_scan", "no NAME.eml with NAME.h.scan in "
		    "%s", dir);
	buf_free(&got);
	buf_free(&want);
	buf_free(&path);
	return unit_done();
}
