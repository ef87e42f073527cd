/*
 * check.c: --check and --dump-ast.  Both are "parse and report": nothing
 * runs, no message is read, so a user can test a filter before installing
 * it.  --check prints every error and warning of every file in the
 * compiler form (LANGUAGE.md §9) and fails when any file has an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "../grammar/arena.h"
#include "../grammar/buf.h"
#include "../grammar/parse.h"
#include "options.h"

/* The whole file, or -1 with errno set. */
static int
slurp(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd, saved;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

static unsigned
parse_flags(const struct options *o)
{
	return o->embedded || o->embedded_name != NULL ? PARSE_EMBEDDED : 0;
}

/*
 * Parse one file into a; print its diagnostics to stderr.  Returns the
 * program, or NULL after an error (unreadable file included).
 */
static struct program *
check_file(struct arena *a, const char *path, unsigned flags,
    struct buf *text)
{
	struct diags d;
	struct program *prog;
	size_t i;

	memset(&d, 0, sizeof(d));
	if (slurp(path, text) < 0) {
		fprintf(stderr, "%s: error: cannot read the filter: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	prog = parse_program(a, path, text->p, text->len, flags, &d);
	for (i = 0; i < d.n; i++)
		diag_print_compiler(stderr, &d.v[i], text->p, text->len);
	diag_free(&d);
	return prog;
}

int
check_main(const struct options *o)
{
	struct arena a;
	int i, status = 0;

	if (o->nargs < 1) {
		fprintf(stderr, "runnel: --check needs a FILE to check\n");
		return EX_USAGE;
	}
	arena_init(&a);
	for (i = 0; i < o->nargs; i++) {
		struct buf text = BUF_INIT;

		if (check_file(&a, o->args[i], parse_flags(o), &text) == NULL)
			status = 1;
		buf_free(&text);
	}
	arena_free(&a);
	return status;
}

int
dump_ast_main(const struct options *o)
{
	struct arena a;
	struct buf text = BUF_INIT;
	struct program *prog;
	int status = 0;

	if (o->nargs != 1) {
		fprintf(stderr, "runnel: --dump-ast needs exactly one FILE\n");
		return EX_USAGE;
	}
	arena_init(&a);
	prog = check_file(&a, o->args[0], parse_flags(o), &text);
	if (prog != NULL) {
		fflush(stderr);
		ast_dump(stdout, prog);
	} else
		status = 1;
	buf_free(&text);
	arena_free(&a);
	return status;
}
