/*
 * run.c: a run-time error is a record, filled once where it happens and
 * printed once by the runner, so an exception { } can drop it without a
 * word on stderr (DIFFERENCES.md B22).  maildrop's line is kept apart
 * from runnel's lines so logs that grep for it keep working; rterror.c
 * renders the record.
 *
 * Also what the evaluator and start-up both do to a run: assigning a
 * variable that means something (VERBOSE, UMASK), the reset variables,
 * the VERBOSE trace.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sysexits.h>
#include <unistd.h>

#include "run.h"
#include "spool.h"
#include "vars.h"

/* Build-time settings of Debian's maildrop (LANGUAGE.md §6.2). */
#define DEFAULT_PATH	"/bin:/usr/bin:/usr/local/bin"
#define DEFAULT_SENDMAIL "/usr/sbin/sendmail -oi"

enum flow
run_fail(struct run *r, const struct pos *at, const char *compat,
    const char *hint, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* The first error is the cause; later ones are its echoes. */
	if (r->err.set)
		return FLOW_FAIL;
	rt_error_clear(&r->err);
	r->err.set = 1;
	r->err.status = EX_TEMPFAIL;
	buf_adds(&r->err.compat, compat != NULL ? compat : "Error.");
	if (at != NULL && at->file != NULL && at->line > 0)
		r->err.at = *at;
	if (fmt != NULL) {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		if (n > 0) {
			buf_grow(&r->err.what, (size_t)n);
			va_start(ap, fmt);
			vsnprintf(r->err.what.p, (size_t)n + 1, fmt, ap);
			va_end(ap);
			r->err.what.len = (size_t)n;
		}
	}
	if (hint != NULL)
		buf_adds(&r->err.hint, hint);
	return FLOW_FAIL;
}

/* Like the watchdog: a filter that grows a value without end stops. */
enum flow
run_room(struct run *r, const struct pos *at, size_t len, const char *what)
{
	if (r->max_value == 0 || len <= r->max_value)
		return FLOW_NEXT;
	r->timed_out = 1;
	return run_fail(r, at, "Out of memory.", "does the filter grow a "
	    "string without end? the limit is RUNNEL_MAX_VALUE (bytes)",
	    "%s: a value of %zu bytes, more than the %zu one value may hold",
	    what, len, r->max_value);
}

/* The same for all variables together (RUNNEL_MAX_VARS). */
enum flow
run_room_vars(struct run *r, const struct pos *at, size_t total,
    const char *what)
{
	if (r->max_var_bytes == 0 || total <= r->max_var_bytes)
		return FLOW_NEXT;
	r->timed_out = 1;
	return run_fail(r, at, "Out of memory.", "does the filter make "
	    "variables without end? the limit is RUNNEL_MAX_VARS (bytes)",
	    "%s would hold %zu bytes, more than %zu", what, total,
	    r->max_var_bytes);
}

void
run_fail_cause(struct run *r, int fresh, const char *op, const char *path,
    int e)
{
	if (!fresh || !r->err.set)
		return;
	r->err.op = op;
	buf_reset(&r->err.path);
	buf_adds(&r->err.path, path);
	r->err.errnum = e;
}

void
run_warn(struct run *r, const struct pos *at, const char *msg)
{
	(void)r;
	fflush(stdout);
	if (at != NULL && at->file != NULL && at->line > 0)
		fprintf(stderr, "%s(%u): %s\n", at->file, at->line, msg);
	else
		fprintf(stderr, "maildrop: %s\n", msg);
}

/* maildrop's atoi-like reading: blanks, an optional '-', digits. */
int
run_exitcode(const struct run *r)
{
	const char *s = vars_str(r->vars, "EXITCODE");
	int neg = 0;
	long v = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s++ - '0');
		if (v > 1000000)
			v = 1000000;
	}
	return (int)(neg ? -v : v);
}

int
run_report(struct run *r)
{
	struct buf text = BUF_INIT;

	fflush(stdout);
	rt_error_text(&r->err, &text);
	if (text.len > 0) {
		fputs(text.p, stderr);
		buf_addc(&text, '\n');
		run_logwrite(r, text.p, text.len);
	}
	buf_free(&text);
	return r->err.status ? r->err.status : EX_TEMPFAIL;
}

void
run_logwrite(struct run *r, const char *text, size_t len)
{
	ssize_t n;

	while (r->logfd >= 0 && len > 0) {
		n = write(r->logfd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text += n;
		len -= (size_t)n;
	}
}

int
run_die(struct run *r, int status, const char *compat, const char *hint,
    const char *what)
{
	run_fail(r, NULL, compat, hint, "%s", what ? what : "");
	r->err.status = status;
	return run_report(r);
}

void
run_setvar(struct run *r, const char *name, size_t namelen,
    const char *value, size_t len)
{
	vars_set(r->vars, name, namelen, value, len);
	/* The filter's own EXITCODE is its choice (run_status). */
	if (namelen == 8 && memcmp(name, "EXITCODE", 8) == 0)
		r->exitcode_from_command = 0;
	/*
	 * VERBOSE is honoured in manual mode; in delivery mode only -V
	 * counts, so a user's filter cannot fill the MTA's log.
	 */
	if (namelen == 7 && memcmp(name, "VERBOSE", 7) == 0 &&
	    r->mode == MODE_MANUAL)
		r->verbose = atoi(vars_str(r->vars, "VERBOSE"));
	else if (namelen == 5 && memcmp(name, "UMASK", 5) == 0) {
		char *end;
		long m = strtol(vars_str(r->vars, "UMASK"), &end, 8);

		if (end != vars_str(r->vars, "UMASK") && m >= 0 && m <= 0777)
			umask((mode_t)m);
	}
}

void
run_setvarb(struct run *r, const char *name, size_t namelen,
    const struct buf *value)
{
	run_setvar(r, name, namelen, value->p != NULL ? value->p : "",
	    value->len);
	if (buf_marked(value))
		vars_setb(r->vars, name, namelen, value);
}

void
run_returncode(struct run *r, int status)
{
	char code[32];
	int n = snprintf(code, sizeof(code), "%lu", (unsigned long)status);

	run_setvar(r, "RETURNCODE", 10, code, (size_t)n);
}

void
run_reset_vars(struct run *r)
{
	struct buf b = BUF_INIT;

	vars_sets(r->vars, "HOME", r->user_home);
	vars_sets(r->vars, "LOGNAME", r->user_name);
	vars_sets(r->vars, "SHELL", r->user_shell);
	buf_printf(&b, "%s/%s", SPOOL_DIR, r->user_name);
	vars_sets(r->vars, "DEFAULT", b.p);
	buf_free(&b);
	vars_sets(r->vars, "PATH", DEFAULT_PATH);
	vars_sets(r->vars, "SENDMAIL", DEFAULT_SENDMAIL);
	vars_sets(r->vars, "LOCKEXT", ".lock");
	vars_sets(r->vars, "LOCKSLEEP", "5");
	vars_sets(r->vars, "LOCKTIMEOUT", "60");
	vars_sets(r->vars, "LOCKREFRESH", "15");
	vars_sets(r->vars, "MAILDIRQUOTA", "");
	run_setvar(r, "UMASK", 5, "077", 3);
}

void
run_verbose(struct run *r, int level, const char *fmt, ...)
{
	va_list ap;

	if (r->verbose < level || r->trace != NULL)
		return;
	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
run_delivered(struct run *r, const char *target, int status)
{
	char code[16];
	int n;

	if (target[0] != '|' && target[0] != '!') {
		r->delivered = 1;
		return;
	}
	/* DELIVERY.md §4.3: the command's status becomes EXITCODE. */
	n = snprintf(code, sizeof(code), "%d", status);
	vars_set(r->vars, "EXITCODE", 8, code, (size_t)n);
	r->exitcode_from_command = 1;
	buf_reset(&r->exit_command);
	buf_adds(&r->exit_command, target);
	if (status == 0)
		r->delivered = 1;
}

int
run_status(struct run *r, int code)
{
	struct buf msg = BUF_INIT;
	int rc;

	if (r->mode != MODE_DELIVERY || !r->exitcode_from_command ||
	    code == 0 || code == EX_TEMPFAIL)
		return code;
	if (r->delivered)
		rc = 0;
	else if (code >= EX__BASE && code <= EX__MAX)
		return code;
	else
		rc = EX_TEMPFAIL;
	buf_printf(&msg, "%s exited with status %d; ", r->exit_command.p,
	    code);
	if (rc == 0)
		buf_adds(&msg, "the message was delivered, so runnel exits 0 "
		    "(set EXITCODE in the filter to choose otherwise)");
	else
		buf_adds(&msg, "runnel exits 75 so that the MTA tries again "
		    "(a program that means to refuse the message exits "
		    "with a sysexits.h code, 64-78)");
	run_warn(r, NULL, msg.p);
	buf_free(&msg);
	return rc;
}
