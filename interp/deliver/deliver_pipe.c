/*
 * deliver_pipe.c: delivery to a command (DELIVERY.md §4.3) and forwarding
 * through $SENDMAIL (§4.4).
 *
 * A pipe delivery counts when the command took the whole message.  A
 * non-zero exit status is not a failure (it becomes EXITCODE, so "exit 75"
 * in a delivery program defers the mail; in delivery mode run_status()
 * keeps other statuses from bouncing it), but a write error or a short
 * write is, even when the command then exits 0: maildrop forgives it, and
 * a truncated message acknowledged to the MTA is lost mail.  A command
 * that means to read only part of its input (head -1) should be written
 * to read it all, or be used as cc inside exception { }.  A command killed
 * by a signal or by its deadline is a failure too: nobody knows what it
 * did with the message.
 *
 * Forwarding runs SENDMAIL without a shell.  maildrop builds the string
 * "$SENDMAIL -f '' addresses" and hands it to the shell, so an address
 * taken from a header could run commands (DIFFERENCES.md B8); we split
 * SENDMAIL into words and give every address its own argv element.  The
 * envelope sender stays empty as in maildrop, so that forwarded mail
 * bounces the same way it always did, unless RUNNEL_FORWARD_SENDER says
 * otherwise (DIFFERENCES.md B8: empty means bounces are lost; set it to
 * "$FROM" to keep the original sender, or to your own address).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "../../grammar/arena.h"
#include "../../grammar/words.h"
#include "deliver.h"
#include "../run/run.h"
#include "../proc/spawn.h"
#include "../run/vars.h"

#define COMPAT		"Unable to deliver to mailbox."

/* The envelope sender for forwarded mail; unset or empty: "" (maildrop). */
#define FORWARD_SENDER_VAR	"RUNNEL_FORWARD_SENDER"

/* Turn a finished child into success (0) or run_fail (-1). */
static int
judge(struct run *r, const struct pos *why, const char *target,
    const struct spawn_res *res, unsigned timeout, int *status)
{
	struct buf how = BUF_INIT;
	const char *hint = NULL;

	*status = res->status;
	if (!res->timed_out && res->signo == 0 && res->write_errno == 0)
		return 0;
	*status = -1;
	if (res->timed_out)
		hint = "raise " SPAWN_TIMEOUT_VAR " (seconds, 0 for no limit) "
		    "if the command needs longer";
	else if (res->write_errno == EPIPE)
		hint = "the command must read the whole message; use cc "
		    "inside exception { } if a partial read is intended";
	spawn_describe(res, timeout, &how);
	run_fail(r, why, COMPAT, hint, "%s: %s", target, buf_cstr(&how));
	buf_free(&how);
	return -1;
}

static int
not_started(struct run *r, const struct pos *why, const char *target,
    const char *prog, const struct spawn_res *res, const char *hint)
{
	if (res->exec_errno != 0)
		run_fail(r, why, COMPAT, hint, "%s: Unable to execute %s: %s",
		    target, prog, strerror(res->exec_errno));
	else
		run_fail(r, why, COMPAT, NULL, "%s: cannot start a process: "
		    "%s", target, strerror(errno));
	return -1;
}

/*
 * A program that cannot be started fails before the message is written,
 * with the line spawn_run() would give: the plan checks it.
 */
static int
check_prog(struct run *r, const struct pos *why, const char *target,
    const char *prog, const char *hint)
{
	struct spawn_res res;

	memset(&res, 0, sizeof(res));
	if (spawn_can_exec(r, prog, &res.exec_errno))
		return 0;
	return not_started(r, why, target, prog, &res, hint);
}

#define SHELL_HINT	"set SHELL to a shell that exists, or leave it empty " \
			"for /bin/sh"

int
pipe_plan(struct run *r, const struct pos *why, const char *cmd)
{
	struct buf target = BUF_INIT;
	const char *argv[4], *prog;
	int rc;

	if (*cmd == '|')
		cmd++;
	spawn_shell_argv(r, cmd, argv, &prog);
	buf_printf(&target, "|%s", cmd);
	rc = check_prog(r, why, target.p, prog, SHELL_HINT);
	buf_free(&target);
	return rc;
}

int
deliver_pipe(struct run *r, const struct pos *why, const char *cmd,
    int *status, size_t *written)
{
	struct spawn_req q;
	struct spawn_res res;
	struct buf target = BUF_INIT;
	const char *argv[4];
	int rc;

	*status = -1;
	*written = 0;
	if (pipe_plan(r, why, cmd) != 0)
		return -1;
	if (*cmd == '|')
		cmd++;
	memset(&q, 0, sizeof(q));
	spawn_shell_argv(r, cmd, argv, &q.prog);
	q.argv = (char *const *)argv;
	q.in = SPAWN_IN_MESSAGE;
	q.out = SPAWN_OUT_INHERIT;
	q.timeout = spawn_timeout(r);
	buf_printf(&target, "|%s", cmd);
	if (spawn_run(r, &q, &res) < 0)
		rc = not_started(r, why, target.p, q.prog, &res, SHELL_HINT);
	else {
		*written = res.written;
		rc = judge(r, why, target.p, &res, q.timeout, status);
	}
	buf_free(&target);
	return rc;
}

/* Split s at any of the bytes in seps, appending the words to *v. */
static void
split(const char *s, const char *seps, char ***v, size_t *n)
{
	size_t len;

	for (;;) {
		s += strspn(s, seps);
		if (*s == '\0')
			return;
		len = strcspn(s, seps);
		words_add(v, n, s, len);
		s += len;
	}
}

/* The sendmail command line for addrs, checked as a plan (argv freed
   by words_free either way). */
static int
forward_argv(struct run *r, const struct pos *why, const char *addrs,
    const char *target, char ***argv, size_t *n)
{
	size_t first, i;
	const char *sendmail, *envelope;

	sendmail = vars_str(r->vars, "SENDMAIL");
	split(sendmail != NULL ? sendmail : "", " \t\n", argv, n);
	if (*n == 0)
		return run_fail(r, why, COMPAT, "set SENDMAIL, e.g. "
		    "SENDMAIL=\"/usr/sbin/sendmail\"",
		    "%s: SENDMAIL is empty", target), -1;
	words_add(argv, n, "-f", 2);
	envelope = vars_str(r->vars, FORWARD_SENDER_VAR);
	if (envelope == NULL)
		envelope = "";
	words_add(argv, n, envelope, strlen(envelope));
	first = *n;
	split(addrs, " \t\n,", argv, n);
	if (*n == first)
		return run_fail(r, why, COMPAT, "write the addresses after "
		    "'!', e.g. to \"!ann@example.com\"",
		    "%s: no address to forward to", target), -1;
	for (i = first; i < *n; i++)
		if ((*argv)[i][0] == '-')
			return run_fail(r, why, COMPAT, "an address cannot "
			    "start with '-': sendmail would read it as an "
			    "option", "%s: refusing address \"%s\"", target,
			    (*argv)[i]), -1;
	return check_prog(r, why, target, (*argv)[0],
	    "set SENDMAIL to the MTA's sendmail program");
}

int
forward_plan(struct run *r, const struct pos *why, const char *addrs)
{
	struct buf target = BUF_INIT;
	char **argv = NULL;
	size_t n = 0;
	int rc;

	if (*addrs == '!')
		addrs++;
	buf_printf(&target, "!%s", addrs);
	rc = forward_argv(r, why, addrs, target.p, &argv, &n);
	words_free(argv, n);
	buf_free(&target);
	return rc;
}

int
deliver_forward(struct run *r, const struct pos *why, const char *addrs,
    int *status, size_t *written)
{
	struct spawn_req q;
	struct spawn_res res;
	struct buf target = BUF_INIT;
	char **argv = NULL;
	size_t n = 0;
	int rc = -1;

	*status = -1;
	*written = 0;
	if (*addrs == '!')
		addrs++;
	buf_printf(&target, "!%s", addrs);
	if (forward_argv(r, why, addrs, target.p, &argv, &n) != 0)
		goto out;
	memset(&q, 0, sizeof(q));
	q.argv = argv;
	q.prog = argv[0];
	q.in = SPAWN_IN_MESSAGE;
	q.out = SPAWN_OUT_INHERIT;
	q.timeout = spawn_timeout(r);
	if (spawn_run(r, &q, &res) < 0)
		rc = not_started(r, why, target.p, q.prog, &res,
		    "set SENDMAIL to the MTA's sendmail program");
	else {
		*written = res.written;
		rc = judge(r, why, target.p, &res, q.timeout, status);
	}
out:
	words_free(argv, n);
	buf_free(&target);
	return rc;
}
