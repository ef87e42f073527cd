/*
 * runner.c: the startup sequence of DELIVERY.md §2, in its order, for
 * manual and delivery mode alike: who we are (user.c), the variables,
 * the home directory, the message, /etc/maildroprc, the filter
 * (filterfile.c), the default delivery.  Privileges are dropped before
 * any file of the user is read.  Every failure that is not the sender's
 * fault ends in 75 so the MTA keeps the message and retries.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/parse.h"
#include "../proc/cleanup.h"
#include "../deliver/dryrun.h"
#include "../deliver/traced.h"
#include "../run/effects.h"
#include "../eval/eval.h"
#include "filterfile.h"
#include "maillog.h"
#include "../message/message.h"
#include "options.h"
#include "../run/fileopen.h"
#include "../run/run.h"
#include "tracedir.h"
#include "user.h"
#include "../run/vars.h"

extern char **environ;

/* The watchdog of DELIVERY.md §2 step 5, in seconds. */
#define TIMEOUT_DEFAULT	300
/*
 * The other budgets (README), each far above what any real filter
 * uses: a runaway loop or string stops in seconds, not at the watchdog
 * or when memory runs out.
 */
#define STATEMENTS_DEFAULT	10000000UL
#define VAR_BYTES_DEFAULT	((size_t)256 << 20)
#define VALUE_DEFAULT		((size_t)64 << 20)
#define MATCH_TIME_DEFAULT	30.0
/* Seconds of disagreement between a file server's clock and ours. */
#define CLOCK_SKEW_DEFAULT	60.0
/* The trace directory of real deliveries: traces kept, bytes in one. */
#define TRACE_FILES_DEFAULT	100
#define TRACE_BYTES_DEFAULT	(1 << 20)

/*
 * The trace of a real delivery (README "Why did my filter do that?"):
 * on when the user's ~/.runnel-trace/ is a directory, or when
 * maildroprc sets RUNNEL_TRACEDIR.
 */
struct tracing {
	char		*dir;		/* NULL: no trace */
	struct buf	 text;
	size_t		 max_bytes;
	unsigned	 max_files;
};

static void
fatal_signal(int sig)
{
	static const char hex[] = "0123456789ABCDEF";
	char msg[] = "maildrop: signal 0x00\n";

	cleanup_run();
	msg[19] = hex[(sig >> 4) & 0xf];
	msg[20] = hex[sig & 0xf];
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(EX_TEMPFAIL);
}

static void
signals(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
	    SIGABRT, SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGQUIT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < nitems(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Past RLIMIT_FSIZE a write fails with EFBIG, which every delivery
	 * undoes and reports (75); SIGXFSZ would kill us mid-append with
	 * no cleanup and a status that is not 75.  Children get it back.
	 */
	signal(SIGXFSZ, SIG_IGN);
	xalloc_set_fail_hook(cleanup_run);
}

static const char *
orig_getenv(struct run *r, const char *name)
{
	size_t n = strlen(name);
	char **e;

	for (e = r->orig_env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* A budget from the caller's environment: a number, else def. */
static double
budget(struct run *r, const char *name, double def)
{
	const char *s = orig_getenv(r, name);
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtod(s, &end);
	return end != s && v >= 0 ? v : def;
}

static void
budgets(struct run *r)
{
	eval_budget(r, budget(r, "RUNNEL_TIMEOUT", TIMEOUT_DEFAULT));
	r->max_statements = (unsigned long)budget(r, "RUNNEL_MAX_STATEMENTS",
	    (double)STATEMENTS_DEFAULT);
	r->max_var_bytes = (size_t)budget(r, "RUNNEL_MAX_VARS",
	    (double)VAR_BYTES_DEFAULT);
	r->max_value = (size_t)budget(r, "RUNNEL_MAX_VALUE",
	    (double)VALUE_DEFAULT);
	r->match_time = budget(r, "RUNNEL_MATCH_TIME", MATCH_TIME_DEFAULT);
	r->clock_skew = budget(r, "RUNNEL_CLOCK_SKEW", CLOCK_SKEW_DEFAULT);
}

/*
 * RUNNEL_STORE_MARKER: a file that exists only while the shared store is
 * mounted.  Without it the mountpoint is an empty local directory, and a
 * delivery would make a fresh Maildir there that the IMAP server never
 * sees; 75 keeps the mail in the MTA's queue until the store is back.
 */
static int
store_marker(struct run *r)
{
	const char *m = orig_getenv(r, "RUNNEL_STORE_MARKER");
	struct stat st;
	struct buf b = BUF_INIT;
	int rc;

	if (m == NULL || *m == '\0' || stat(m, &st) == 0)
		return 0;
	buf_printf(&b, "RUNNEL_STORE_MARKER %s: %s", m, strerror(errno));
	rc = run_die(r, EX_TEMPFAIL, "Mail store is not available.", "mount "
	    "the shared store (the marker file is there only when it is)",
	    b.p);
	buf_free(&b);
	return rc;
}

/* LANGUAGE.md §6.1: everything in manual mode, the locale otherwise. */
static void
import_env(struct run *r, int everything)
{
	char **e;

	for (e = r->orig_env; e != NULL && *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		size_t n;

		if (eq == NULL)
			continue;
		n = (size_t)(eq - *e);
		if (!everything && !(n == 4 && strncmp(*e, "LANG", 4) == 0) &&
		    !(n == 8 && strncmp(*e, "LANGUAGE", 8) == 0) &&
		    strncmp(*e, "LC_", 3) != 0)
			continue;
		vars_set(r->vars, *e, n, eq + 1, strlen(eq + 1));
	}
}

/* DELIVERY.md §2 step 4: home directory checks in delivery mode. */
static int
home_checks(struct run *r, const struct user *who)
{
	struct stat st;
	struct buf b = BUF_INIT;
	int rc = 0;

	run_verbose(r, 2, "maildrop: Changing to %s", who->home);
	if (chdir(who->home) < 0) {
		buf_printf(&b, "chdir %s: %s", who->home, strerror(errno));
		rc = run_die(r, EX_TEMPFAIL, "Unable to change to home "
		    "directory.", NULL, b.p);
	} else if (stat(".", &st) < 0 || !S_ISDIR(st.st_mode)) {
		buf_printf(&b, "%s", who->home);
		rc = run_die(r, EX_TEMPFAIL, "Home directory is not a "
		    "directory.", NULL, b.p);
	} else if (st.st_mode & S_ISVTX) {
		/* The administrator holds mail here: 75, and no word. */
		rc = EX_TEMPFAIL;
	} else if (st.st_mode & S_IWOTH) {
		buf_printf(&b, "%s is writable by every user", who->home);
		rc = run_die(r, EX_TEMPFAIL, "Invalid home directory "
		    "permissions - world writable.", "chmod o-w on the home "
		    "directory", b.p);
	} else if (st.st_uid != who->uid) {
		buf_printf(&b, "%s belongs to uid %u, not %s", who->home,
		    (unsigned)st.st_uid, who->name);
		rc = run_die(r, EX_TEMPFAIL, "Home directory owned by wrong "
		    "user.", NULL, b.p);
	}
	buf_free(&b);
	return rc;
}

static void
setnum(struct run *r, const char *name, long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	vars_sets(r->vars, name, s);
}

/*
 * DELIVERY.md §3: -f, else the first Return-Path's address, else
 * MAILER-DAEMON.  As in maildrop, an empty -f counts as none, and an
 * empty address (a bounce's "<>") gives the user's own login name.
 */
static void
envelope_sender(const struct run *r, const struct options *o,
    struct buf *from)
{
	if (o->from != NULL && *o->from != '\0')
		buf_adds(from, o->from);
	else if (msg_return_path(r->msg, from) != 0)
		buf_set(from, "MAILER-DAEMON", 13);
	else if (from->len == 0)
		buf_adds(from, r->user_name);
}

static int
read_message(struct run *r, const struct options *o)
{
	struct buf from = BUF_INIT;
	char host[256];

	/*
	 * The sender goes into the mbox From_ line as it is: a CR or LF
	 * in it would end that line and forge header lines after it
	 * (maildrop writes them).  No MTA passes one on purpose.
	 */
	if (o->from != NULL && strpbrk(o->from, "\r\n") != NULL)
		return run_die(r, EX_TEMPFAIL, "Invalid envelope sender (-f).",
		    "check the MTA's delivery command: the sender it passes "
		    "must be one address",
		    "-f: the sender contains a line break (CR or LF); it "
		    "would forge lines after the mbox From_ line");
	r->msg = msg_read(0, o->headers, o->nheaders, NULL);
	if (r->msg == NULL)
		return run_die(r, EX_TEMPFAIL, "Unable to read message.", NULL,
		    strerror(errno));
	envelope_sender(r, o, &from);
	vars_sets(r->vars, "FROM", from.p);
	/* The sender chose it: message text (DIFFERENCES.md B24). */
	vars_mark(r->vars, "FROM", 4);
	run_verbose(r, 2, "Message envelope sender=%s", from.p);
	buf_free(&from);
	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	vars_sets(r->vars, "HOSTNAME", host);
	setnum(r, "SIZE", (long long)msg_size(r->msg));
	setnum(r, "LINES", (long long)msg_lines(r->msg));
	return 0;
}

/* Run one parsed file; the flow and, on failure, the printed error. */
static enum flow
run_file(struct run *r, struct program *prog)
{
	return eval_program(r, prog);
}

/*
 * DELIVERY.md §2 step 7: <sysconfdir>/maildroprc, no ownership checks.
 * Returns -1 to go on, else the exit status.
 */
static int
maildroprc(struct run *r)
{
	struct buf path = BUF_INIT;
	struct program *prog;
	enum flow f;
	int fd, rc;

	buf_printf(&path, "%s/maildroprc", r->sysconfdir);
	if ((fd = file_open(path.p, O_RDONLY, 0, 0, NULL)) < 0) {
		if (errno == ENOENT) {
			buf_free(&path);
			return -1;
		}
		rc = errno;
		buf_free(&path);
		buf_printf(&path, "Error opening %s/maildroprc.",
		    r->sysconfdir);
		return run_die(r, EX_TEMPFAIL, path.p, NULL, file_strerror(rc));
	}
	run_verbose(r, 2, "maildrop: Attempting %s", path.p);
	rc = filter_load(r, fd, path.p, 0, &prog);
	close(fd);
	buf_free(&path);
	if (rc != 0)
		return rc;
	f = run_file(r, prog);
	if (r->trace != NULL && f != FLOW_NEXT)
		dryrun_result(r, f, f == FLOW_EXIT ? r->exit_status :
		    r->err.status);
	if (f == FLOW_FAIL)
		return run_report(r);
	if (f == FLOW_EXIT)
		return run_status(r, r->exit_status);
	return -1;
}

/* DELIVERY.md §2 step 10: $DEFAULT when the filter falls off its end. */
static int
default_delivery(struct run *r, struct pos *at)
{
	const struct buf *v = vars_get(r->vars, "DEFAULT", 7);
	struct buf def = BUF_INIT;
	int status = 0, rc = -1;

	if (v == NULL || v->len == 0 || v->p[0] == '\0') {
		run_fail(r, NULL, "DEFAULT mailbox not defined.", "set "
		    "DEFAULT in the filter, or end it with 'to' or 'exit'",
		    NULL);
		return -1;
	}
	buf_copy(&def, v);
	eval_target(r, at, &def);	/* B24: message text is data */
	if (r->fx->deliver(r, at, def.p, HOW_DEFAULT, &status) < 0)
		goto out;
	run_delivered(r, def.p, status);
	rc = 0;
out:
	buf_free(&def);
	return rc;
}

static void
trace_on(struct run *r, struct tracing *t, const char *dir)
{
	if (t->dir != NULL || r->fx != &fx_real || t->max_files == 0)
		return;
	t->dir = xstrdup(dir);
	r->fx = traced_start(&t->text, t->max_bytes);
	r->notes = 1;
}

/* ~/.runnel-trace/, when it is a directory (tracedir.c checks more). */
static void
trace_home(struct run *r, struct tracing *t)
{
	struct buf path = BUF_INIT;
	struct stat st;

	buf_printf(&path, "%s/.runnel-trace", r->user_home);
	if (lstat(path.p, &st) == 0 && S_ISDIR(st.st_mode))
		trace_on(r, t, path.p);
	buf_free(&path);
}

/* Write the trace, once the run is over, with a line saying whose. */
static void
trace_store(struct run *r, struct tracing *t, int status)
{
	struct buf head = BUF_INIT;
	const struct buf *from = vars_get(r->vars, "FROM", 4);
	char stamp[64];
	time_t now = time(NULL);
	struct tm tm;

	if (t->dir == NULL)
		return;
	traced_result(r, status);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", &tm);
	buf_printf(&head, "runnel: the delivery to %s at %s, sender %s, "
	    "%lld bytes\n", r->user_name != NULL ? r->user_name : "?", stamp,
	    from != NULL && from->p != NULL ? from->p : "?",
	    r->msg != NULL ? (long long)msg_size(r->msg) : 0LL);
	tracedir_write(t->dir, &head, &t->text, t->max_files);
	buf_free(&head);
	buf_free(&t->text);
	free(t->dir);
}

static int
run_all(struct run *r, const struct options *o, struct user *who,
    struct tracing *t)
{
	struct buf file = BUF_INIT, b = BUF_INIT;
	struct program *prog = NULL;
	struct pos end;
	unsigned flags = o->embedded || o->embedded_name ? PARSE_EMBEDDED : 0;
	const struct buf *v;
	enum flow f;
	int fd, rc, i, err;

	if (user_find(r, o, who) != 0)
		return EX_NOUSER;
	if ((rc = user_become(r, o, who)) != 0)
		return rc;
	import_env(r, r->mode == MODE_MANUAL);
	run_reset_vars(r);
	for (i = 0; i < o->nargs; i++) {
		buf_reset(&b);
		buf_printf(&b, "%d", i + 1);
		vars_sets(r->vars, b.p, o->args[i]);
		/*
		 * B24: in delivery mode the MTA fills these from the
		 * recipient's address extension, which the sender chose.
		 */
		if (r->mode == MODE_DELIVERY)
			vars_mark(r->vars, b.p, b.len);
	}
	if (o->verbose != NULL) {
		vars_sets(r->vars, "VERBOSE", o->verbose);
		r->verbose = atoi(o->verbose);
	}
	if ((rc = store_marker(r)) != 0)
		goto out;
	if (r->mode == MODE_DELIVERY && (rc = home_checks(r, who)) != 0)
		goto out;
	budgets(r);
	trace_home(r, t);
	if ((rc = read_message(r, o)) != 0)
		goto out;
	if (r->mode == MODE_DELIVERY && o->embedded_name == NULL &&
	    (rc = maildroprc(r)) >= 0)
		goto out;
	v = vars_get(r->vars, "RUNNEL_TRACEDIR", 15);
	if (r->mode == MODE_DELIVERY && v != NULL && v->len > 0)
		trace_on(r, t, v->p);

	if (o->embedded_name != NULL) {
		filter_embedded_name(o->embedded_name, &b);
		vars_sets(r->vars, "MAILFILTER", b.p);
		fd = filter_open_embedded(r, who, &b, &file);
		if (fd == -2) {
			rc = r->err.status;
			goto out;
		}
	} else {
		buf_adds(&file, r->mode == MODE_MANUAL ? o->filter :
		    ".mailfilter");
		vars_sets(r->vars, "MAILFILTER", file.p);
		fd = filter_open(r, &file);
	}
	err = errno;
	/* In delivery mode (-M too) a missing filter is no filter. */
	if (fd < 0 && FILE_REFUSED(err)) {
		buf_printf(&b, "the filter must be a regular file; remove %s "
		    "and write the filter there", file.p);
		buf_printf(&file, " is %s", file_strerror(err));
		rc = run_die(r, EX_TEMPFAIL, "mailfilter file isn't a regular "
		    "file.", b.p, file.p);
		goto out;
	}
	if (fd < 0 && (err != ENOENT || r->mode == MODE_MANUAL)) {
		rc = err;
		buf_reset(&b);
		buf_printf(&b, "Unable to open filter file, errno=%d.", rc);
		buf_printf(&file, ": %s", strerror(rc));
		rc = run_die(r, EX_TEMPFAIL, b.p, NULL, file.p);
		goto out;
	}
	if (fd >= 0) {
		if ((rc = filter_checks(r, who, fd, file.p)) != 0 ||
		    (rc = filter_load(r, fd, file.p, flags, &prog)) != 0) {
			close(fd);
			goto out;
		}
		close(fd);
		r->embedded = flags != 0;
		f = run_file(r, prog);
		if (r->trace != NULL && f != FLOW_NEXT)
			dryrun_result(r, f, f == FLOW_EXIT ? r->exit_status :
			    r->err.status);
		if (f == FLOW_FAIL) {
			rc = run_report(r);
			goto out;
		}
		if (f == FLOW_EXIT) {
			rc = run_status(r, r->exit_status);
			goto out;
		}
	}
	if (r->embedded || flags) {
		rc = run_status(r, run_exitcode(r));
		goto out;
	}
	memset(&end, 0, sizeof(end));
	end.file = "$DEFAULT";
	if (default_delivery(r, &end) < 0) {
		if (r->trace != NULL)
			dryrun_result(r, FLOW_FAIL, r->err.status);
		rc = run_report(r);
		goto out;
	}
	rc = run_status(r, run_exitcode(r));
	if (r->trace != NULL)
		dryrun_result(r, FLOW_NEXT, rc);
out:
	buf_free(&file);
	buf_free(&b);
	return rc;
}

/* -w as maildrop reads it (atoi): "" leaves it off, "abc" is 0. */
static int
warn_percent(const char *s)
{
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtol(s, NULL, 10);
	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

int
runner_main(const struct options *o)
{
	struct run r;
	struct user who;
	struct tracing t;
	struct arena perm;
	const char *s;
	int rc;

	signals();
	memset(&r, 0, sizeof(r));
	memset(&who, 0, sizeof(who));
	memset(&t, 0, sizeof(t));
	arena_init(&perm);
	arena_init(&r.scratch);
	r.perm = &perm;
	r.vars = vars_new();
	r.mode = o->delivery ? MODE_DELIVERY : MODE_MANUAL;
	r.logfd = -1;
	/*
	 * Started set-uid or set-gid (the kernel's AT_SECURE), the caller's
	 * environment is the caller's to choose: none of its settings
	 * (RUNNEL_SYSCONFDIR and so maildroprc, timeouts) is believed.
	 */
	r.orig_env = getauxval(AT_SECURE) ? NULL : environ;
	s = orig_getenv(&r, "RUNNEL_SYSCONFDIR");
	r.sysconfdir = s != NULL && *s != '\0' ? s : "/etc";
	r.quota_warn = warn_percent(o->quota_warn);
	r.quota_warn_file = o->warn_file;
	if (o->dry_run) {
		r.fx = o->fx != NULL ? o->fx : &fx_dryrun;
		r.trace = dryrun_start(&r, o->allow_exec, o->json);
		r.notes = 1;
	} else
		r.fx = &fx_real;
	t.max_files = (unsigned)budget(&r, "RUNNEL_TRACE_FILES",
	    TRACE_FILES_DEFAULT);
	t.max_bytes = (size_t)budget(&r, "RUNNEL_TRACE_BYTES",
	    TRACE_BYTES_DEFAULT);
	rc = run_all(&r, o, &who, &t);
	trace_store(&r, &t, rc & 0xff);
	dryrun_end(&r, rc & 0xff);
	fflush(stdout);
	if (o->done != NULL)
		o->done(&r, rc & 0xff, o->done_arg);
	if (maillog_wanted(&r, orig_getenv(&r, "RUNNEL_SYSLOG")))
		maillog_run(&r, r.user_name != NULL ? r.user_name : o->user,
		    rc & 0xff);
	if (r.msg != NULL)
		builtins_cleanup(&r);
	cleanup_run();
	/* Free what the run held, so a leak checker sees only real leaks. */
	if (r.msg != NULL)
		msg_free(r.msg);
	dryrun_free(&r);
	vars_free(r.vars);
	rt_error_free(&r.err);
	buf_free(&r.exit_command);
	buf_free(&r.log_to);
	arena_free(&r.scratch);
	arena_free(&perm);
	user_free(&who);
	return rc & 0xff;
}
