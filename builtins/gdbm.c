/*
 * gdbm.c: gdbmopen, gdbmfetch, gdbmstore, gdbmclose.  maildrop keeps one
 * open database per recipe file, so an included file has its own and
 * does not close the includer's; the state here is a short list keyed by
 * the file name in the call's position.  Every open file is closed by
 * builtins_cleanup, which is what makes stores durable.  A dry run must
 * leave the world as it found it, so there a database opened for writing
 * is read only and gdbmstore only says what it would have stored.
 *
 * libgdbm is loaded when a filter first opens a database, not when
 * runnel starts: most filters never do, and loading it at start cost
 * every delivery a fifth of a trivial one's work.
 *
 * A database is written from message text (a vacation list keyed by the
 * sender), so every value gdbmfetch returns counts as message text
 * (DIFFERENCES.md B24): put into a command, it is quoted.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gdbm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../interp/run/effects.h"
#include "../interp/run/fileopen.h"
#include "bi.h"

struct gdbm_open {
	const char		*file;	/* the recipe file, from pos.file */
	GDBM_FILE		 dbf;
	int			 pretend;	/* dry run: writes only noted */
	struct gdbm_open	*next;
};

#ifndef GDBM_SONAME
#define GDBM_SONAME	"libgdbm.so.6"
#endif

static struct {
	void			*lib;
	__typeof__(gdbm_fd_open) *fd_open;
	__typeof__(gdbm_close)	*close;
	__typeof__(gdbm_fetch)	*fetch;
	__typeof__(gdbm_store)	*store;
} lib;

/* Load libgdbm once; on failure the delivery fails, saying what to do. */
static int
load(struct run *r, const struct expr *call)
{
	void *h;

	if (lib.lib != NULL)
		return 0;
	if ((h = dlopen(GDBM_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (*(void **)&lib.fd_open = dlsym(h, "gdbm_fd_open")) == NULL ||
	    (*(void **)&lib.close = dlsym(h, "gdbm_close")) == NULL ||
	    (*(void **)&lib.fetch = dlsym(h, "gdbm_fetch")) == NULL ||
	    (*(void **)&lib.store = dlsym(h, "gdbm_store")) == NULL) {
		run_fail(r, &call->pos, "Unable to load the gdbm library.",
		    "install it: apt-get install libgdbm6", "%s", dlerror());
		return -1;
	}
	lib.lib = h;
	return 0;
}

static struct gdbm_open *
state(struct run *r, const struct expr *call, int create)
{
	struct gdbm_open *g;
	const char *file = call->pos.file ? call->pos.file : "";

	for (g = r->gdbm; g != NULL; g = g->next)
		if (strcmp(g->file, file) == 0)
			return g;
	if (!create)
		return NULL;
	g = xcalloc(1, sizeof(*g));
	g->file = xstrdup(file);
	g->next = r->gdbm;
	r->gdbm = g;
	return g;
}

static void
close_db(struct gdbm_open *g)
{
	if (g == NULL)
		return;
	if (g->dbf != NULL) {
		lib.close(g->dbf);
		g->dbf = NULL;
	}
	g->pretend = 0;
}

static void
note(struct run *r, const struct expr *call, const char *fmt,
    const char *arg)
{
	struct buf b = BUF_INIT;

	if (r->fx == NULL || r->fx->note == NULL)
		return;
	buf_printf(&b, fmt, arg);
	r->fx->note(r, &call->pos, b.p);
	buf_free(&b);
}

/* The open(2) flags for a gdbm mode. */
static int
open_flags(int gdbm_flags)
{
	switch (gdbm_flags) {
	case GDBM_READER:
		return O_RDONLY;
	case GDBM_WRITER:
		return O_RDWR;
	default:			/* GDBM_WRCREAT, GDBM_NEWDB */
		return O_RDWR | O_CREAT;
	}
}

/*
 * The file is opened here and its descriptor handed to libgdbm, so the
 * file checked is the file used: not a symbolic link (O_NOFOLLOW), not
 * a named pipe (file_open cannot hang on one), and owned by the user or
 * root; another user's file could feed the filter answers or receive
 * its stores.  A refused file fails the open as a missing one does
 * ("-1"), with a warning that names it; a missing file is no news.
 */
static GDBM_FILE
db_open(struct run *r, const struct expr *call, const char *file, int flags,
    int mode)
{
	struct buf why = BUF_INIT;
	struct stat st;
	GDBM_FILE dbf;
	int fd, e;

	fd = file_open(file, open_flags(flags) | O_NOFOLLOW, (mode_t)mode, 0,
	    &st);
	e = errno;
	if (fd >= 0 && st.st_uid != geteuid() && st.st_uid != 0) {
		close(fd);
		fd = -1;
		buf_printf(&why, "gdbmopen: %s belongs to user %lu; refused: "
		    "a database must be your own file", file,
		    (unsigned long)st.st_uid);
	} else if (fd < 0 && e == ELOOP)
		buf_printf(&why, "gdbmopen: %s is a symbolic link; refused: "
		    "name the database file itself", file);
	else if (fd < 0 && e != ENOENT)
		buf_printf(&why, "gdbmopen: %s: %s", file, file_strerror(e));
	if (fd < 0) {
		if (why.len > 0)
			run_warn(r, &call->pos, why.p);
		buf_free(&why);
		return NULL;
	}
	/* gdbm_close closes fd; a failed open leaves it to us. */
	if ((dbf = lib.fd_open(fd, file, 0, flags | GDBM_CLOEXEC, NULL)) ==
	    NULL)
		close(fd);
	return dbf;
}

/*
 * Dry run: open for reading instead.  What the real open would answer:
 * N and C succeed even without a file (they create it), W needs one.
 */
static int
open_pretend(struct run *r, const struct expr *call, struct gdbm_open *g,
    const char *file, int flags)
{
	g->pretend = 1;
	if (flags != GDBM_NEWDB)
		g->dbf = db_open(r, call, file, GDBM_READER, 0);
	return g->dbf != NULL || flags != GDBM_WRITER;
}

/* May this open for writing write?  The effects decide (a dry run not). */
static int
may_write(struct run *r, const struct expr *call, const char *file)
{
	struct buf what = BUF_INIT;
	int ok;

	buf_printf(&what, "gdbmopen \"%s\"", file);
	ok = r->fx->may_write(r, &call->pos, what.p);
	buf_free(&what);
	return ok;
}

/*
 * gdbmopen(file[, mode]): R reads (the default), W writes, C creates, N
 * starts a new, empty file; the last of them wins.  "0" when open, "-1"
 * when not.  Embedded mode (-m, -M) may only read (LANGUAGE.md §8).
 */
enum flow
bi_gdbmopen(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf file = BUF_INIT, mode = BUF_INIT;
	struct gdbm_open *g;
	int flags = GDBM_READER;
	mode_t old;
	size_t i;
	enum flow f = FLOW_FAIL;

	if (bi_arg(r, call, 0, &file) == FLOW_FAIL ||
	    bi_arg(r, call, 1, &mode) == FLOW_FAIL)
		goto done;
	for (i = 0; i < mode.len; i++)
		switch (mode.p[i]) {
		case 'c': case 'C':
			flags = GDBM_WRCREAT;
			break;
		case 'w': case 'W':
			flags = GDBM_WRITER;
			break;
		case 'n': case 'N':
			flags = GDBM_NEWDB;
			break;
		}
	/*
	 * maildrop looks only at the first letter, so "RC" creates and writes in
	 * embedded mode; any write letter is refused here (LANGUAGE.md §8).
	 */
	if (r->embedded && flags != GDBM_READER) {
		run_fail(r, &call->pos,
		    "Open gdbm file for write in embedded mode not allowed.",
		    "open it with mode \"R\", or write from a filter that "
		    "is not run with -m or -M",
		    "gdbmopen(\"%s\", \"%s\")", buf_cstr(&file),
		    buf_cstr(&mode));
		goto done;
	}
	if (load(r, call) < 0)
		goto done;
	g = state(r, call, 1);
	close_db(g);
	if (flags != GDBM_READER && !may_write(r, call, buf_cstr(&file))) {
		i = open_pretend(r, call, g, buf_cstr(&file), flags);
		buf_set(out, i ? "0" : "-1", i ? 1 : 2);
		f = FLOW_NEXT;
		goto done;
	}
	/*
	 * maildrop runs with umask 007 and applies UMASK to mailboxes only,
	 * so a database it creates is 0660 [observed 2.9.3]; do the same,
	 * so a database shared with the group keeps working.
	 */
	old = umask(007);
	g->dbf = db_open(r, call, buf_cstr(&file), flags, 0664);
	umask(old);
	buf_set(out, g->dbf != NULL ? "0" : "-1", g->dbf != NULL ? 1 : 2);
	f = FLOW_NEXT;
done:
	buf_free(&file);
	buf_free(&mode);
	return f;
}

enum flow
bi_gdbmclose(struct run *r, const struct expr *call, struct buf *out)
{
	close_db(state(r, call, 0));
	buf_reset(out);
	return FLOW_NEXT;
}

/* One gdbm_fetch; 1 and the value in out when the key is there. */
static int
fetch(GDBM_FILE dbf, const char *key, size_t len, struct buf *out)
{
	datum k, v;

	if (dbf == NULL)
		return 0;
	k.dptr = (char *)key;
	k.dsize = (int)len;
	v = lib.fetch(dbf, k);
	if (v.dptr == NULL)
		return 0;
	buf_set(out, v.dptr, (size_t)v.dsize);
	buf_mark(out, 0, out->len);	/* message text (B24) */
	free(v.dptr);
	return 1;
}

/*
 * The fallbacks of gdbmfetch's options, as maildrop's gdbmobj has them.
 * D: "user@sub.example.com", then "user@", then "sub.example.com",
 * "example.com", "com".  I: "192.168.1.2", "192.168.1", "192.168", "192".
 */
static int
fetch_with(GDBM_FILE dbf, const char *key, size_t len, int opt,
    struct buf *out)
{
	size_t i;

	for (;;) {
		if (fetch(dbf, key, len, out))
			return 1;
		if (opt == 'I') {
			while (len > 0 && key[--len] != '.')
				;
			if (len == 0)
				return 0;
			continue;
		}
		if (opt != 'D')
			return 0;
		for (i = 0; i < len; i++)
			if (key[i] == '@') {
				i++;
				break;
			}
		if (i < len) {
			if (fetch(dbf, key, i, out))
				return 1;
			key += i;
			len -= i;
			continue;
		}
		for (i = 0; i < len; i++)
			if (key[i] == '.') {
				i++;
				break;
			}
		if (i >= len)
			return 0;
		key += i;
		len -= i;
	}
}

/* gdbmfetch(key[, opts[, default]]): default is evaluated only on a miss. */
enum flow
bi_gdbmfetch(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf key = BUF_INIT, opts = BUF_INIT;
	struct gdbm_open *g;
	enum flow f = FLOW_FAIL;

	if (bi_arg(r, call, 0, &key) == FLOW_FAIL ||
	    bi_arg(r, call, 1, &opts) == FLOW_FAIL)
		goto done;
	g = state(r, call, 0);
	buf_reset(out);
	f = FLOW_NEXT;
	if (!fetch_with(g ? g->dbf : NULL, buf_cstr(&key), key.len,
	    opts.len ? opts.p[0] : 0, out) && call->nargs > 2)
		f = bi_arg(r, call, 2, out);
done:
	buf_free(&key);
	buf_free(&opts);
	return f;
}

/* gdbmstore(key, value): "0" stored, "-1" not (no file open for write). */
enum flow
bi_gdbmstore(struct run *r, const struct expr *call, struct buf *out)
{
	struct buf key = BUF_INIT, val = BUF_INIT;
	struct gdbm_open *g;
	datum k, v;
	int rc = -1;
	enum flow f = FLOW_FAIL;

	if (bi_arg(r, call, 0, &key) == FLOW_FAIL ||
	    bi_arg(r, call, 1, &val) == FLOW_FAIL)
		goto done;
	g = state(r, call, 0);
	if (g != NULL && g->pretend) {
		note(r, call, "gdbmstore \"%s\": not written in a dry run",
		    buf_cstr(&key));
		rc = 0;
	} else if (g != NULL && g->dbf != NULL) {
		k.dptr = (char *)buf_cstr(&key);
		k.dsize = (int)key.len;
		v.dptr = (char *)buf_cstr(&val);
		v.dsize = (int)val.len;
		rc = lib.store(g->dbf, k, v, GDBM_REPLACE);
	}
	buf_reset(out);
	buf_printf(out, "%d", rc);
	f = FLOW_NEXT;
done:
	buf_free(&key);
	buf_free(&val);
	return f;
}

void
bi_gdbm_cleanup(struct run *r)
{
	struct gdbm_open *g, *next;

	for (g = r->gdbm; g != NULL; g = next) {
		next = g->next;
		close_db(g);
		free((char *)g->file);
		free(g);
	}
	r->gdbm = NULL;
}

/* An include returned: its database closes with it, as in maildrop. */
void
bi_gdbm_file_done(struct run *r, const char *file)
{
	struct gdbm_open *g, *prev = NULL;

	for (g = r->gdbm; g != NULL; prev = g, g = g->next) {
		if (strcmp(g->file, file ? file : "") != 0)
			continue;
		if (prev != NULL)
			prev->next = g->next;
		else
			r->gdbm = g->next;
		close_db(g);
		free((char *)g->file);
		free(g);
		return;
	}
}
