/*
 * eval.c: statements.  One switch over every statement kind with no
 * default, so -Wall names a kind left out.  A statement returns what
 * happens next (enum flow); a failure travels up as that value to the
 * nearest exception { } or to the runner, never by longjmp, so locks are
 * released and nothing is left half done.  Every act on the world goes
 * through r->fx, which is how the same walk serves the real run and the
 * dry run.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/parse.h"
#include "../run/effects.h"
#include "eval.h"
#include "eval_int.h"
#include "../pattern/match.h"
#include "../message/message.h"
#include "../run/fileopen.h"
#include "../run/run.h"
#include "../run/value.h"
#include "../run/vars.h"

#define INCLUDE_MAX	20		/* LANGUAGE.md §4.8 */

void
eval_budget(struct run *r, double seconds)
{
	r->have_deadline = seconds > 0;
	if (!r->have_deadline)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->deadline);
	r->deadline.tv_sec += (time_t)seconds;
	/* the fraction too: 0.5 is half a second, not none */
	r->deadline.tv_nsec += (long)((seconds - (double)(time_t)seconds) *
	    1e9);
	if (r->deadline.tv_nsec >= 1000000000L) {
		r->deadline.tv_sec++;
		r->deadline.tv_nsec -= 1000000000L;
	}
}

/*
 * The statement budget: every statement, and every pass of a while
 * (whose body may be empty), counts one.
 */
static int
over_statements(struct run *r)
{
	return r->max_statements > 0 && ++r->statements > r->max_statements;
}

static int
over_budget(const struct run *r)
{
	struct timespec now;

	if (!r->have_deadline)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > r->deadline.tv_sec || (now.tv_sec ==
	    r->deadline.tv_sec && now.tv_nsec >= r->deadline.tv_nsec);
}

/*
 * The text of the source line at pos, from pos.col to its end, for the
 * dry-run trace ("if (/^Subject: x/)").  Empty when unknown.
 */
static void
source(const struct run *r, const struct pos *at, struct buf *out)
{
	const struct program *prog = r->prog;
	const char *p, *end;

	buf_reset(out);
	if (prog == NULL || at->off >= prog->len || at->file != prog->file)
		return;
	p = prog->text + at->off;
	end = memchr(p, '\n', prog->len - at->off);
	if (end == NULL)
		end = prog->text + prog->len;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	buf_add(out, p, (size_t)(end - p));
}

/* Tell the dry run (and VERBOSE >= 4) what a condition decided. */
static void
decided(struct run *r, const struct stmt *s, const char *what, int yes)
{
	struct buf src = BUF_INIT, msg = BUF_INIT;

	run_verbose(r, 4, "%s evaluated, result=%d", what, yes);
	if (!r->notes)
		return;
	source(r, &s->pos, &src);
	buf_printf(&msg, "%s -> %s", src.len ? src.p : what,
	    yes ? "true" : "false");
	r->fx->note(r, &s->pos, msg.p);
	buf_free(&src);
	buf_free(&msg);
}

/* Does e search the message or a string (a pattern anywhere in it)? */
static int
searches(const struct expr *e)
{
	size_t i;

	if (e == NULL)
		return 0;
	if (e->kind == E_PATTERN || e->kind == E_MATCH)
		return 1;
	for (i = 0; i < e->nargs; i++)
		if (searches(e->args[i]))
			return 1;
	return searches(e->lhs) || searches(e->rhs);
}

/*
 * The dry run shows a statement that searched, "JUNK=(/.../:b,2 + ...)
 * -> 11", so the lines its patterns matched appear under it rather
 * than under the next condition.
 */
static void
computed(struct run *r, const struct stmt *s, const struct buf *v)
{
	struct buf src = BUF_INIT, msg = BUF_INIT;

	source(r, &s->pos, &src);
	buf_printf(&msg, "%s -> %s", src.len ? src.p : "expression",
	    v->p != NULL ? v->p : "");
	r->fx->note(r, &s->pos, msg.p);
	buf_free(&src);
	buf_free(&msg);
}

static enum flow eval_list(struct run *, const struct stmt *);
static enum flow eval_stmt(struct run *, const struct stmt *);

static enum flow
cond_true(struct run *r, const struct stmt *s, const char *what, int *yes)
{
	struct buf v = BUF_INIT;

	run_verbose(r, 4, "Evaluating %s condition.", what);
	if (eval_expr(r, s->expr, &v) != FLOW_NEXT) {
		buf_free(&v);
		return FLOW_FAIL;
	}
	*yes = value_true(v.p, v.len);
	buf_free(&v);
	decided(r, s, what, *yes);
	return FLOW_NEXT;
}

static enum flow
deliver(struct run *r, const struct stmt *s)
{
	struct buf target = BUF_INIT;
	enum delivery_how how = s->kind == S_TO ? HOW_TO : HOW_CC;
	int status = 0;

	if (eval_expr(r, s->expr, &target) != FLOW_NEXT)
		goto fail;
	eval_target(r, &s->pos, &target);	/* B24: message text is data */
	if (r->notes && strstr(target.p, "\\$") != NULL)
		r->fx->note(r, &s->pos, "note: the mailbox name keeps the "
		    "backslash of \\$ (DIFFERENCES.md B2)");
	/* B11, an empty message, is the effects' business. */
	if (r->fx->deliver(r, &s->pos, target.p, how, &status) < 0)
		goto fail;
	run_delivered(r, target.p, status);
	buf_free(&target);
	if (how == HOW_CC)
		return FLOW_NEXT;
	r->exit_status = run_exitcode(r);
	return FLOW_EXIT;
fail:
	buf_free(&target);
	return FLOW_FAIL;
}

/* B5 fix: to/exit always end the run; only failures are trapped. */
static enum flow
exception(struct run *r, const struct stmt *s)
{
	enum flow f;

	r->in_exception++;
	f = eval_list(r, s->body);
	r->in_exception--;
	if (f != FLOW_FAIL)
		return f;
	if (r->timed_out)
		return f;
	r->err.trapped = 1;
	r->fx->trapped(r, &s->pos, &r->err);
	rt_error_clear(&r->err);
	return FLOW_NEXT;
}

static int
read_file(const char *path, struct arena *a, char **text, size_t *len,
    struct stat *st)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = file_open(path, O_RDONLY, 0, 0, st)) < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			buf_free(&b);
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	*text = arena_alloc(a, b.len + 1);
	if (b.len)
		memcpy(*text, b.p, b.len);
	buf_free(&b);
	return 0;
}

/*
 * An included file runs with the filter's rights, so it is held to the
 * filter's rule (DIFFERENCES.md A14): not writable by group or others,
 * owned by the user or root.  0 when it may run, else -1 after run_fail.
 */
static int
include_checks(struct run *r, const struct pos *at, const char *file,
    const struct stat *st)
{
	struct buf hint = BUF_INIT;
	struct passwd *pw;
	char uid[32];
	const char *me;
	int rc = -1;

	pw = getpwuid(geteuid());
	snprintf(uid, sizeof(uid), "%lu", (unsigned long)geteuid());
	me = pw != NULL ? pw->pw_name : uid;
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		buf_printf(&hint, "another user could rewrite it; fix: chmod "
		    "go-w %s", file);
		run_fail(r, at, "Unable to open include file.", hint.p,
		    "include \"%s\": %s is writable by %s", file, file,
		    st->st_mode & S_IWOTH ? "every user" : "its group");
	} else if (st->st_uid != geteuid() && st->st_uid != 0) {
		buf_printf(&hint, "fix: chown %s %s", me, file);
		run_fail(r, at, "Unable to open include file.", hint.p,
		    "include \"%s\": %s belongs to uid %lu, not to %s", file,
		    file, (unsigned long)st->st_uid, me);
	} else
		rc = 0;
	buf_free(&hint);
	return rc;
}

/*
 * LANGUAGE.md §4.8: <sysconfdir>/maildroprcs/NAME with no '.' in NAME
 * is the administrator's: embedded restrictions lifted, reset
 * variables set again.
 */
static int
is_maildroprcs(const struct run *r, const char *path)
{
	size_t n = strlen(r->sysconfdir);

	return strncmp(path, r->sysconfdir, n) == 0 &&
	    strncmp(path + n, "/maildroprcs/", 13) == 0 &&
	    strchr(path + n + 13, '.') == NULL;
}

static enum flow
include(struct run *r, const struct stmt *s)
{
	struct buf path = BUF_INIT;
	struct stat st;
	struct diags d;
	struct program *prog;
	const struct program *saved;
	char *text, *file;
	size_t len, i;
	int special, saved_emb;
	enum flow f;

	if (eval_expr(r, s->expr, &path) != FLOW_NEXT)
		goto fail;
	if (r->include_depth >= INCLUDE_MAX) {
		int fresh = !r->err.set;

		/* maildrop's own line has the FILE(LINE) form here. */
		run_fail(r, &s->pos, "", "an included file probably includes "
		    "itself", "include \"%s\": more than %d files deep",
		    path.p, INCLUDE_MAX);
		if (fresh)
			buf_printf(&r->err.lead, "%s(%u): Too many included "
			    "files.", s->pos.file, s->pos.line);
		goto fail;
	}
	file = arena_strdup(r->perm, path.p);
	if (read_file(file, r->perm, &text, &len, &st) < 0) {
		run_fail(r, &s->pos, "Unable to open include file.",
		    FILE_REFUSED(errno) ? "an included filter is a regular "
		    "file; remove what is there or include another file" :
		    NULL, "include \"%s\": %s", file, file_strerror(errno));
		goto fail;
	}
	if (include_checks(r, &s->pos, file, &st) != 0)
		goto fail;
	special = is_maildroprcs(r, file);
	memset(&d, 0, sizeof(d));
	prog = parse_program(r->perm, file, text, len,
	    r->embedded && !special ? PARSE_EMBEDDED : 0, &builtin_fns, &d);
	for (i = 0; i < d.n; i++)
		if (d.v[i].level == DIAG_ERROR || r->trace != NULL ||
		    r->mode == MODE_MANUAL)
			diag_print_maildrop(stderr, &d.v[i], text, len);
	if (prog == NULL) {
		diag_free(&d);
		/* maildrop's line was the FILE(LINE) one just printed. */
		run_fail(r, &s->pos, "", NULL, "include \"%s\": the file has "
		    "syntax errors", file);
		goto fail;
	}
	diag_free(&d);
	if (special)
		run_reset_vars(r);
	saved = r->prog;
	saved_emb = r->embedded;
	if (special)
		r->embedded = 0;
	r->include_depth++;
	f = eval_program(r, prog);
	r->include_depth--;
	/* maildrop closes an included file's gdbm database when it returns */
	builtins_file_done(r, prog->file);
	r->embedded = saved_emb;
	r->prog = saved;
	buf_free(&path);
	return f;
fail:
	buf_free(&path);
	return FLOW_FAIL;
}

/* import NAME: the value from the caller's environment, or empty. */
static void
import(struct run *r, const char *name, size_t n)
{
	char **e;

	for (e = r->orig_env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
			run_setvar(r, name, n, *e + n + 1, strlen(*e + n + 1));
			return;
		}
	run_setvar(r, name, n, "", 0);
}

static enum flow
lock_block(struct run *r, const struct stmt *s)
{
	struct buf path = BUF_INIT;
	void *handle = NULL;
	enum flow f;

	if (eval_expr(r, s->expr, &path) != FLOW_NEXT ||
	    r->fx->lock(r, &s->pos, path.p, s->kind == S_FLOCK,
	    &handle) < 0) {
		buf_free(&path);
		return FLOW_FAIL;
	}
	buf_free(&path);
	f = eval_list(r, s->body);
	r->fx->unlock(r, handle);	/* also when the block failed */
	return f;
}

static enum flow
foreach(struct run *r, const struct stmt *s)
{
	struct match_set set;
	struct buf subj = BUF_INIT, msg = BUF_INIT;
	const struct expr *e = s->expr;
	enum flow f;
	size_t i;

	memset(&set, 0, sizeof(set));
	if (e->kind == E_MATCH) {
		if (eval_expr(r, e->lhs, &subj) != FLOW_NEXT)
			return FLOW_FAIL;
		f = match_collect(r, e, &subj, &set);
	} else
		f = match_collect(r, e, NULL, &set);
	buf_free(&subj);
	if (f != FLOW_NEXT) {
		match_set_free(&set);
		return f;
	}
	if (r->notes) {
		source(r, &s->pos, &subj);
		buf_printf(&msg, "%s -> %zu match%s", subj.len ? subj.p :
		    "foreach", set.n, set.n == 1 ? "" : "es");
		r->fx->note(r, &s->pos, msg.p);
		buf_free(&subj);
		buf_free(&msg);
	}
	for (i = 0; i < set.n && f == FLOW_NEXT; i++) {
		match_set_vars(r, &set.v[i]);
		f = eval_list(r, s->body);
	}
	match_set_free(&set);
	return f;
}

/* echo, log, logfile, xfilter, system: a value, then one act. */
static enum flow
act(struct run *r, const struct stmt *s)
{
	struct buf v = BUF_INIT, out = BUF_INIT, code = BUF_INIT;
	int status = 0, rc = 0;
	enum flow f = FLOW_NEXT;

	if (eval_expr(r, s->expr, &v) != FLOW_NEXT) {
		buf_free(&v);
		return FLOW_FAIL;
	}
	if (s->kind == S_XFILTER || s->kind == S_SYSTEM) {
		/* B24: message text goes to the shell as data */
		eval_command(r, &s->pos, &v, &out);
		buf_copy(&v, &out);
		buf_reset(&out);
	}
	switch (s->kind) {
	case S_ECHO:
		echo_unescape(v.p, v.len, &out);
		r->fx->echo(r, &s->pos, out.p, out.len);
		break;
	case S_LOG:
		echo_unescape(v.p, v.len, &out);
		rc = r->fx->log(r, &s->pos, out.p, out.len);
		break;
	case S_LOGFILE:
		rc = r->fx->logfile(r, &s->pos, v.p);
		break;
	case S_XFILTER:
		status = FX_NOT_RUN;
		rc = r->fx->xfilter(r, &s->pos, v.p, &status);
		if (status == FX_NOT_RUN)
			break;
		/* maildrop sets RETURNCODE also when the filter failed. */
		run_returncode(r, status);
		if (rc < 0)
			break;
		if (status != 0) {
			f = run_fail(r, &s->pos, "Unable to filter message.",
			    "the command must exit 0; the message is "
			    "unchanged", "xfilter \"%s\" exited with status "
			    "%d", v.p, status);
			break;
		}
		buf_reset(&code);
		buf_printf(&code, "%lld", (long long)msg_size(r->msg));
		run_setvar(r, "SIZE", 4, code.p, code.len);
		buf_reset(&code);
		buf_printf(&code, "%zu", msg_lines(r->msg));
		run_setvar(r, "LINES", 5, code.p, code.len);
		break;
	case S_SYSTEM:
		if ((rc = r->fx->system(r, &s->pos, v.p, &status)) < 0)
			break;
		run_returncode(r, status);
		break;
	default:
		break;
	}
	buf_free(&v);
	buf_free(&out);
	buf_free(&code);
	return rc < 0 ? FLOW_FAIL : f;
}

static enum flow
eval_stmt(struct run *r, const struct stmt *s)
{
	struct arena_mark mark;
	struct buf v = BUF_INIT;
	const struct stmt *saved_loop;
	enum flow f = FLOW_NEXT;
	int yes;

	if (over_statements(r)) {
		/* Like the watchdog, which stops such a filter in maildrop. */
		r->timed_out = 1;
		run_fail(r, &(r->loop != NULL ? r->loop : s)->pos,
		    "Timeout quota exceeded.", r->loop != NULL ? "does the "
		    "condition ever become false? the limit is "
		    "RUNNEL_MAX_STATEMENTS" : "the limit is "
		    "RUNNEL_MAX_STATEMENTS", "the filter ran more than %lu "
		    "statements%s", r->max_statements, r->loop != NULL ?
		    "; it was in this loop" : "");
		r->max_statements = 0;
		return FLOW_FAIL;
	}
	if (over_budget(r)) {
		r->have_deadline = 0;
		r->timed_out = 1;
		if (r->loop != NULL)
			run_fail(r, &r->loop->pos, "Timeout quota exceeded.",
			    "does the condition ever become false? the limit "
			    "is RUNNEL_TIMEOUT (seconds)", "the filter ran out "
			    "of time in this loop");
		else
			run_fail(r, &s->pos, "Timeout quota exceeded.", "the "
			    "limit is RUNNEL_TIMEOUT (seconds)", "the filter "
			    "ran out of time here");
		return FLOW_FAIL;
	}
	mark = arena_mark(&r->scratch);
	switch (s->kind) {
	case S_EXPR:
		f = eval_expr(r, s->expr, &v);
		if (f == FLOW_NEXT && r->notes && searches(s->expr))
			computed(r, s, &v);
		break;
	case S_IF:
		if ((f = cond_true(r, s, "IF", &yes)) != FLOW_NEXT)
			break;
		f = eval_list(r, yes ? s->body : s->otherwise);
		break;
	case S_WHILE:
		saved_loop = r->loop;
		r->loop = s;
		while ((f = cond_true(r, s, "WHILE", &yes)) == FLOW_NEXT &&
		    yes) {
			if ((f = eval_list(r, s->body)) != FLOW_NEXT)
				break;
			if (over_budget(r) || (r->max_statements > 0 &&
			    r->statements++ >= r->max_statements))
				break;	/* the next statement reports it */
		}
		if (f == FLOW_NEXT && yes)
			f = eval_stmt(r, s);	/* over budget: fail here */
		r->loop = saved_loop;
		break;
	case S_FOREACH:
		f = foreach(r, s);
		break;
	case S_BLOCK:
		f = eval_list(r, s->body);
		break;
	case S_TO:
	case S_CC:
		f = deliver(r, s);
		break;
	case S_EXCEPTION:
		f = exception(r, s);
		break;
	case S_ECHO:
	case S_LOG:
	case S_LOGFILE:
	case S_XFILTER:
	case S_SYSTEM:
		f = act(r, s);
		break;
	case S_INCLUDE:
		f = include(r, s);
		break;
	case S_IMPORT:
		if ((f = eval_expr(r, s->expr, &v)) == FLOW_NEXT)
			import(r, v.p, v.len);
		break;
	case S_UNSET:
		if ((f = eval_expr(r, s->expr, &v)) == FLOW_NEXT) {
			vars_unset(r->vars, v.p, v.len);
			if (v.len == 8 && memcmp(v.p, "EXITCODE", 8) == 0)
				r->exitcode_from_command = 0;
		}
		break;
	case S_DOTLOCK:
	case S_FLOCK:
		f = lock_block(r, s);
		break;
	case S_EXIT:
		r->exit_status = run_exitcode(r);
		if (r->notes)
			r->fx->note(r, &s->pos, "exit");
		f = FLOW_EXIT;
		break;
	}
	buf_free(&v);
	arena_reset(&r->scratch, mark);
	/* An error recorded but not raised must not hide the next one. */
	if (f == FLOW_NEXT && r->err.set)
		r->err.set = 0;
	return f;
}

static enum flow
eval_list(struct run *r, const struct stmt *s)
{
	enum flow f;

	for (; s != NULL; s = s->next)
		if ((f = eval_stmt(r, s)) != FLOW_NEXT)
			return f;
	return FLOW_NEXT;
}

enum flow
eval_program(struct run *r, const struct program *prog)
{
	const struct program *saved = r->prog;
	enum flow f;

	r->eval = eval_expr;
	r->prog = prog;
	f = eval_list(r, prog->body);
	r->prog = saved;
	return f;
}
