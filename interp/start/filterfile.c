/*
 * filterfile.c: a filter file is run with the user's rights, so one that
 * someone else could rewrite is refused (DIFFERENCES.md A14), and so is
 * a $HOME/.mailfilters others could add to.  -M's lookup tries the most
 * specific name first (DELIVERY.md §1).  Reading and parsing print
 * maildrop's lines for each error, and the parse warnings too in manual
 * mode or a dry run.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "../../grammar/diag.h"
#include "../../grammar/parse.h"
#include "filterfile.h"
#include "../run/fileopen.h"
#include "../run/run.h"
#include "user.h"

int
filter_open(struct run *r, const struct buf *file)
{
	run_verbose(r, 2, "maildrop: Attempting %s", file->p);
	return file_open(file->p, O_RDONLY, 0, 0, NULL);
}

void
filter_embedded_name(const char *name, struct buf *n)
{
	char *p;

	buf_reset(n);
	buf_adds(n, name);
	for (p = n->p; *p; p++)
		if (*p == '/' || *p == '.')
			*p = ':';
}

/*
 * -M's $HOME/.mailfilters: missing is fine (no filter runs), as in
 * maildrop; otherwise a directory of the user's that others cannot write
 * into (DIFFERENCES.md A14's rule, applied to the directory).  Returns 0
 * or the exit status after printing maildrop's line.
 */
static int
dir_checks(struct run *r, const struct user *u)
{
	struct stat st;
	struct buf b = BUF_INIT;
	int rc = 0;

	if (stat(".mailfilters", &st) < 0) {
		if (errno != ENOENT)
			rc = run_die(r, EX_TEMPFAIL, "Unable to read "
			    "$HOME/.mailfilters.", NULL, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		rc = run_die(r, EX_TEMPFAIL, "$HOME/.mailfilters should be a "
		    "directory.", NULL, "$HOME/.mailfilters is not a "
		    "directory");
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		buf_printf(&b, "$HOME/.mailfilters is writable by %s",
		    st.st_mode & S_IWOTH ? "every user" : "its group");
		rc = run_die(r, EX_TEMPFAIL, st.st_mode & S_IWOTH ?
		    "Invalid permissions on $HOME/.mailfilters - "
		    "world-writable." : "Invalid permissions on "
		    "$HOME/.mailfilters - remove world and group perms.",
		    "another user could add filters; fix: chmod go-w "
		    ".mailfilters", b.p);
	} else if (st.st_uid != u->uid) {
		buf_printf(&b, "$HOME/.mailfilters belongs to uid %u, not to "
		    "%s", (unsigned)st.st_uid, u->name);
		rc = run_die(r, EX_TEMPFAIL, "Invalid user ownership of "
		    "$HOME/.mailfilters.", NULL, b.p);
	}
	buf_free(&b);
	return rc;
}

int
filter_open_embedded(struct run *r, const struct user *u, struct buf *n,
    struct buf *file)
{
	char *p;
	int fd;

	if (dir_checks(r, u) != 0)
		return -2;
	buf_reset(file);
	buf_printf(file, ".mailfilters/%s", n->p);
	if ((fd = filter_open(r, file)) >= 0 || errno != ENOENT)
		return fd;
	for (;;) {
		buf_reset(file);
		buf_printf(file, ".mailfilters/%s-default", n->p);
		if ((fd = filter_open(r, file)) >= 0 || errno != ENOENT)
			return fd;
		if ((p = strrchr(n->p, '-')) == NULL)
			break;
		*p = '\0';
		n->len = (size_t)(p - n->p);
	}
	buf_reset(file);
	buf_adds(file, ".mailfilters/default");
	return filter_open(r, file);
}

/*
 * A filter owned by someone else.  In delivery mode the file is the
 * user's own and must become theirs; run by hand (root trying a user's
 * filter), chown would break that user's delivery: run it as its owner.
 */
static void
owner_hint(struct run *r, const struct stat *st, const struct user *u,
    const char *file, struct buf *h)
{
	struct passwd *pw = getpwuid(st->st_uid);

	if (r->mode == MODE_DELIVERY || pw == NULL) {
		buf_printf(h, "fix: chown %s %s", u->name, file);
		return;
	}
	if (r->trace != NULL)
		buf_printf(h, "the filter is %s's: run `runnel --dry-run -d %s` "
		    "(it reads ~%s/.mailfilter), or run this as %s", pw->pw_name,
		    pw->pw_name, pw->pw_name, pw->pw_name);
	else
		buf_printf(h, "the filter is %s's: run it as %s, or deliver "
		    "for %s with `runnel -d %s`", pw->pw_name, pw->pw_name,
		    pw->pw_name, pw->pw_name);
}

int
filter_checks(struct run *r, const struct user *u, int fd, const char *file)
{
	struct stat st;
	struct buf b = BUF_INIT, h = BUF_INIT;
	int rc = 0;

	if (fstat(fd, &st) < 0) {
		buf_printf(&b, "%s: %s", file, strerror(errno));
		rc = run_die(r, EX_TEMPFAIL, "Unable to open filter file.",
		    NULL, b.p);
	} else if (!S_ISREG(st.st_mode)) {
		buf_printf(&b, "%s is not a regular file", file);
		rc = run_die(r, EX_TEMPFAIL, "mailfilter file isn't a regular "
		    "file.", NULL, b.p);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		buf_printf(&b, "%s is writable by %s", file,
		    st.st_mode & S_IWOTH ? "every user" : "its group");
		buf_printf(&h, "another user could rewrite it; fix: "
		    "chmod go-w %s", file);
		rc = run_die(r, EX_TEMPFAIL, st.st_mode & S_IWOTH ?
		    "Invalid permissions on the filter file - world-writable." :
		    "Cannot have world/group permissions on the filter file - "
		    "for your own good.", h.p, b.p);
	} else if (st.st_uid != u->uid && st.st_uid != 0) {
		buf_printf(&b, "%s belongs to uid %u, not to %s", file,
		    (unsigned)st.st_uid, u->name);
		owner_hint(r, &st, u, file, &h);
		rc = run_die(r, EX_TEMPFAIL, "mailfilter file is owned by the "
		    "wrong user.", h.p, b.p);
	}
	buf_free(&b);
	buf_free(&h);
	return rc;
}

int
filter_load(struct run *r, int fd, const char *file, unsigned flags,
    struct program **out)
{
	struct buf text = BUF_INIT;
	struct diags d;
	char chunk[8192], *t;
	ssize_t n;
	size_t i;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf_free(&text);
			return run_die(r, EX_TEMPFAIL, "Unable to read filter "
			    "file.", NULL, strerror(errno));
		}
		buf_add(&text, chunk, (size_t)n);
	}
	t = arena_alloc(r->perm, text.len + 1);
	if (text.len)
		memcpy(t, text.p, text.len);
	memset(&d, 0, sizeof(d));
	*out = parse_program(r->perm, arena_strdup(r->perm, file), t,
	    text.len, flags, &builtin_fns, &d);
	for (i = 0; i < d.n; i++)
		if (d.v[i].level == DIAG_ERROR || r->mode == MODE_MANUAL ||
		    r->trace != NULL)
			diag_print_maildrop(stderr, &d.v[i], t, text.len);
	diag_free(&d);
	buf_free(&text);
	return *out == NULL ? EX_TEMPFAIL : 0;
}
