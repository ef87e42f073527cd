/*
 * fault.c: an LD_PRELOAD library that makes one chosen file-system call
 * fail, so tests can prove that no failure point of a delivery loses or
 * tears a message.  Calls are counted in the order the program makes
 * them; the library interposes the exported libc symbols the program
 * (and libraries it links, like gdbm) call through the PLT.  glibc's own
 * internal calls (stdio's buffered writes, getpwnam's file reads) do not
 * pass through here, which is why stdio wrappers are interposed too.
 *
 * Environment:
 *   FAULT_AT=N        fail the Nth counted call (1-based); 0 or unset:
 *                     only count
 *   FAULT_ERRNO=E     ENOSPC (default), EIO, EDQUOT, EINTR, ... or a number
 *   FAULT_PERSIST=1   also fail, after the Nth, every later call that
 *                     needs space (open write fsync fdatasync link
 *                     rename mkdir fflush fclose): a disk that stays
 *                     full.  unlink, close, read, ftruncate still work
 *                     there, as they do on a full disk.
 *   FAULT_CALLS=a,b   count only these (default: all of them): open read
 *                     write fsync fdatasync close rename link unlink
 *                     mkdir ftruncate fchmod fflush fclose
 *   FAULT_REPORT=f    the count so far is kept in file f (rewritten on
 *                     each counted call, so it survives _exit and kills)
 *   FAULT_TRACE=f     append "N call detail" for each counted call
 *   FAULT_KILL=when   instead of failing the Nth call, SIGKILL the
 *                     process there (nothing can clean up: a crash):
 *                     before (the call never happens), after (it
 *                     happens, then the kill), half (a write writes
 *                     half its bytes, then the kill; other calls as
 *                     after)
 *
 * Only the process that loaded the library first counts: the variables
 * are removed from its environment at start, so children run clean.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <signal.h>
#include <unistd.h>

static long at;			/* the call to fail, 0: none */
static long calls;		/* counted so far */
static int fail_errno = ENOSPC;
static int persist;
static char only[512];		/* ",open,write," or "" for all */
static char report[4096];
static char tracef[4096];
static int active;
static int kill_when;		/* 0, or KILL_BEFORE / _AFTER / _HALF */
static int kill_pending;	/* the current call ends in a kill */

#define KILL_BEFORE	1
#define KILL_AFTER	2
#define KILL_HALF	3

static void *
real(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL)
		abort();
	return p;
}

static int
errno_named(const char *s)
{
	static const struct {
		const char *name;
		int e;
	} names[] = {
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EDQUOT", EDQUOT },
		{ "EINTR", EINTR }, { "EACCES", EACCES }, { "EROFS", EROFS },
		{ "ENOMEM", ENOMEM }, { "EFBIG", EFBIG }, { "EAGAIN", EAGAIN },
		{ "EPERM", EPERM }, { "EMFILE", EMFILE }, { "ENOENT", ENOENT },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].e;
	return atoi(s) > 0 ? atoi(s) : ENOSPC;
}

__attribute__((constructor)) static void
fault_init(void)
{
	const char *s;

	if ((s = getenv("FAULT_AT")) != NULL)
		at = atol(s);
	if ((s = getenv("FAULT_ERRNO")) != NULL)
		fail_errno = errno_named(s);
	if ((s = getenv("FAULT_PERSIST")) != NULL)
		persist = atoi(s) != 0;
	if ((s = getenv("FAULT_CALLS")) != NULL && *s != '\0')
		snprintf(only, sizeof(only), ",%s,", s);
	if ((s = getenv("FAULT_REPORT")) != NULL)
		snprintf(report, sizeof(report), "%s", s);
	if ((s = getenv("FAULT_TRACE")) != NULL)
		snprintf(tracef, sizeof(tracef), "%s", s);
	if ((s = getenv("FAULT_KILL")) != NULL)
		kill_when = strcmp(s, "before") == 0 ? KILL_BEFORE :
		    strcmp(s, "half") == 0 ? KILL_HALF :
		    *s != '\0' ? KILL_AFTER : 0;
	unsetenv("LD_PRELOAD");
	unsetenv("FAULT_AT");
	unsetenv("FAULT_ERRNO");
	unsetenv("FAULT_PERSIST");
	unsetenv("FAULT_CALLS");
	unsetenv("FAULT_REPORT");
	unsetenv("FAULT_TRACE");
	unsetenv("FAULT_KILL");
	active = 1;
}

/* Write to a side file with the real calls, never counted. */
static void
side(const char *path, int flags, const char *text, size_t len)
{
	static int (*o)(const char *, int, ...);
	static ssize_t (*w)(int, const void *, size_t);
	static int (*c)(int);
	int fd, e = errno;

	if (o == NULL) {
		o = real("open");
		w = real("write");
		c = real("close");
	}
	if ((fd = o(path, flags | O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0) {
		(void)w(fd, text, len);
		c(fd);
	}
	errno = e;
}

/*
 * Count this call; 1 when it must fail (errno is set).  what is the path
 * or descriptor, for the trace.
 */
static int
fault(const char *call, const char *what, long fd)
{
	char b[4200], key[32];
	int n;

	if (!active)
		return 0;
	snprintf(key, sizeof(key), ",%s,", call);
	if (only[0] != '\0') {
		if (strstr(only, key) == NULL)
			return 0;
	}
	calls++;
	if (report[0] != '\0') {
		n = snprintf(b, sizeof(b), "%ld\n", calls);
		side(report, O_TRUNC, b, (size_t)n);
	}
	if (tracef[0] != '\0') {
		if (what != NULL)
			n = snprintf(b, sizeof(b), "%ld %s %s\n", calls, call,
			    what);
		else
			n = snprintf(b, sizeof(b), "%ld %s fd %ld\n", calls,
			    call, fd);
		if (n > (int)sizeof(b) - 1)
			n = (int)sizeof(b) - 1;
		side(tracef, O_APPEND, b, (size_t)n);
	}
	if (at > 0 && calls == at && kill_when == KILL_BEFORE)
		raise(SIGKILL);
	if (at > 0 && calls == at && kill_when != 0) {
		kill_pending = 1;
		return 0;
	}
	if (at > 0 && (calls == at || (persist && calls > at &&
	    strstr(",open,write,fsync,fdatasync,link,rename,mkdir,fflush,"
	    "fclose,", key) != NULL))) {
		errno = fail_errno;
		return 1;
	}
	return 0;
}

/* The call made, its result passed on, unless a kill was due. */
static long
done(long rc)
{
	if (kill_pending)
		raise(SIGKILL);
	return rc;
}

/* A write's length: half of it when the kill comes half way. */
static size_t
part(size_t n)
{
	return kill_pending && kill_when == KILL_HALF && n > 1 ? n / 2 : n;
}

static mode_t
mode_arg(int flags, va_list ap)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return (mode_t)va_arg(ap, int);
	return 0;
}

int
open(const char *path, int flags, ...)
{
	static int (*f)(const char *, int, ...);
	va_list ap;
	mode_t m;

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (f == NULL)
		f = real("open");
	if (fault("open", path, -1))
		return -1;
	return (int)done(f(path, flags, m));
}

int
open64(const char *path, int flags, ...)
{
	static int (*f)(const char *, int, ...);
	va_list ap;
	mode_t m;

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (f == NULL)
		f = real("open64");
	if (fault("open", path, -1))
		return -1;
	return (int)done(f(path, flags, m));
}

int
openat(int dfd, const char *path, int flags, ...)
{
	static int (*f)(int, const char *, int, ...);
	va_list ap;
	mode_t m;

	va_start(ap, flags);
	m = mode_arg(flags, ap);
	va_end(ap);
	if (f == NULL)
		f = real("openat");
	if (fault("open", path, -1))
		return -1;
	return (int)done(f(dfd, path, flags, m));
}

int
creat(const char *path, mode_t m)
{
	static int (*f)(const char *, mode_t);

	if (f == NULL)
		f = real("creat");
	if (fault("open", path, -1))
		return -1;
	return (int)done(f(path, m));
}

int
mkostemp(char *tmpl, int flags)
{
	static int (*f)(char *, int);

	if (f == NULL)
		f = real("mkostemp");
	if (fault("open", tmpl, -1))
		return -1;
	return (int)done(f(tmpl, flags));
}

int
mkstemp(char *tmpl)
{
	static int (*f)(char *);

	if (f == NULL)
		f = real("mkstemp");
	if (fault("open", tmpl, -1))
		return -1;
	return (int)done(f(tmpl));
}

FILE *
fopen(const char *path, const char *mode)
{
	static FILE *(*f)(const char *, const char *);
	FILE *fp;

	if (f == NULL)
		f = real("fopen");
	if (fault("open", path, -1))
		return NULL;
	fp = f(path, mode);
	(void)done(0);
	return fp;
}

ssize_t
read(int fd, void *p, size_t n)
{
	static ssize_t (*f)(int, void *, size_t);

	if (f == NULL)
		f = real("read");
	if (fault("read", NULL, fd))
		return -1;
	return (ssize_t)done(f(fd, p, n));
}

ssize_t
write(int fd, const void *p, size_t n)
{
	static ssize_t (*f)(int, const void *, size_t);

	if (f == NULL)
		f = real("write");
	/* Diagnostics on stderr are not part of any delivery. */
	if (fd != 2 && fault("write", NULL, fd))
		return -1;
	return (ssize_t)done(f(fd, p, part(n)));
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	static ssize_t (*f)(int, const void *, size_t, off_t);

	if (f == NULL)
		f = real("pwrite");
	if (fault("write", NULL, fd))
		return -1;
	return (ssize_t)done(f(fd, p, part(n), off));
}

ssize_t
writev(int fd, const struct iovec *v, int n)
{
	static ssize_t (*f)(int, const struct iovec *, int);

	if (f == NULL)
		f = real("writev");
	if (fd != 2 && fault("write", NULL, fd))
		return -1;
	return (ssize_t)done(f(fd, v, n));
}

int
fsync(int fd)
{
	static int (*f)(int);

	if (f == NULL)
		f = real("fsync");
	if (fault("fsync", NULL, fd))
		return -1;
	return (int)done(f(fd));
}

int
fdatasync(int fd)
{
	static int (*f)(int);

	if (f == NULL)
		f = real("fdatasync");
	if (fault("fdatasync", NULL, fd))
		return -1;
	return (int)done(f(fd));
}

/* A failed close(2) still closes the descriptor, as on Linux. */
int
close(int fd)
{
	static int (*f)(int);
	int e;

	if (f == NULL)
		f = real("close");
	if (fd > 2 && fault("close", NULL, fd)) {
		e = errno;
		f(fd);
		errno = e;
		return -1;
	}
	return (int)done(f(fd));
}

int
rename(const char *a, const char *b)
{
	static int (*f)(const char *, const char *);

	if (f == NULL)
		f = real("rename");
	if (fault("rename", b, -1))
		return -1;
	return (int)done(f(a, b));
}

int
link(const char *a, const char *b)
{
	static int (*f)(const char *, const char *);

	if (f == NULL)
		f = real("link");
	if (fault("link", b, -1))
		return -1;
	return (int)done(f(a, b));
}

int
unlink(const char *p)
{
	static int (*f)(const char *);

	if (f == NULL)
		f = real("unlink");
	if (fault("unlink", p, -1))
		return -1;
	return (int)done(f(p));
}

int
mkdir(const char *p, mode_t m)
{
	static int (*f)(const char *, mode_t);

	if (f == NULL)
		f = real("mkdir");
	if (fault("mkdir", p, -1))
		return -1;
	return (int)done(f(p, m));
}

int
ftruncate(int fd, off_t len)
{
	static int (*f)(int, off_t);

	if (f == NULL)
		f = real("ftruncate");
	if (fault("ftruncate", NULL, fd))
		return -1;
	return (int)done(f(fd, len));
}

int
ftruncate64(int fd, off_t len)
{
	static int (*f)(int, off_t);

	if (f == NULL)
		f = real("ftruncate64");
	if (fault("ftruncate", NULL, fd))
		return -1;
	return (int)done(f(fd, len));
}

int
fchmod(int fd, mode_t m)
{
	static int (*f)(int, mode_t);

	if (f == NULL)
		f = real("fchmod");
	if (fault("fchmod", NULL, fd))
		return -1;
	return (int)done(f(fd, m));
}

int
fflush(FILE *fp)
{
	static int (*f)(FILE *);

	if (f == NULL)
		f = real("fflush");
	if (fp != NULL && fp != stderr && fault("fflush", NULL,
	    fileno(fp))) {
		errno = fail_errno;
		return EOF;
	}
	return (int)done(f(fp));
}

int
fclose(FILE *fp)
{
	static int (*f)(FILE *);
	int e;

	if (f == NULL)
		f = real("fclose");
	if (fp != stderr && fault("fclose", NULL, fileno(fp))) {
		e = errno;
		f(fp);
		errno = e;
		return EOF;
	}
	return (int)done(f(fp));
}
