/*
 * fuzz_eval.c: libFuzzer target for the whole evaluator.  The input is a
 * filter and a message, separated by the first line "%%" (no such line:
 * all of it is the filter, and a small MIME message is used).  The filter
 * is parsed and run against the message through the dry-run effects, as
 * `runnel --dry-run` does: nothing is delivered, no command runs, gdbm
 * files are only pretended to be opened for writing.  It runs in a
 * scratch directory (the current one while an input runs) holding a maildir, an mbox, an include file and a
 * lookup list, so relative names reach the code that opens files.  The
 * watchdog is a quarter of a second, so a runaway loop ends as it would
 * at delivery, only sooner.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/parse.h"
#include "../../interp/deliver/dryrun.h"
#include "../../interp/eval/eval.h"
#include "../../interp/message/message.h"
#include "../../interp/proc/cleanup.h"
#include "../../interp/run/effects.h"
#include "../../interp/run/vars.h"
#include "fuzz_input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static const char default_message[] =
    "From: Joe <joe@example.com>\n"
    "To: bob@example.org, \"A \\\" B\" <ab@example.net>\n"
    "Subject: =?UTF-8?B?SMOzbGEh?= money\n"
    "Mime-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"BB\"\n"
    "\n"
    "--BB\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "caf=E9 money\n"
    "--BB--\n";

static char home[64];
static int homefd = -1, startfd = -1;

static void
put(const char *name, const char *text)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			abort();
		close(fd);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	strcpy(home, "/tmp/runnel-fuzz-eval.XXXXXX");
	if (mkdtemp(home) == NULL ||
	    (startfd = open(".", O_RDONLY | O_DIRECTORY)) < 0 ||
	    (homefd = open(home, O_RDONLY | O_DIRECTORY)) < 0 ||
	    fchdir(homefd) != 0)
		abort();
	mkdir("Maildir", 0700);
	mkdir("Maildir/new", 0700);
	mkdir("Maildir/cur", 0700);
	mkdir("Maildir/tmp", 0700);
	put("mbox", "");
	put("inc", "X=included\nif (/^Subject: (.*)/)\n{\n\tS=$MATCH1\n}\n");
	put("list", "# lookup list\nmoney\n  ^joe@\n[bad\n");
	/* libFuzzer's corpus and crash paths are relative to the start. */
	if (fchdir(startfd) != 0)
		abort();
	/* The trace goes to stdout; nobody reads it here. */
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n%%\n";
	const uint8_t *msgp = (const uint8_t *)default_message;
	size_t msglen = sizeof(default_message) - 1, flen = size;
	const uint8_t *cut;
	struct arena perm;
	struct diags d;
	struct program *prog;
	struct run r;
	enum flow f;
	char *text;

	if (fchdir(homefd) != 0)
		abort();
	cut = memmem(data, size, sep, sizeof(sep) - 1);
	if (cut != NULL) {
		flen = (size_t)(cut - data) + 1;
		msgp = cut + sizeof(sep) - 1;
		msglen = size - (size_t)(msgp - data);
	}
	memset(&r, 0, sizeof(r));
	arena_init(&perm);
	arena_init(&r.scratch);
	r.perm = &perm;
	r.mode = MODE_MANUAL;
	r.logfd = -1;
	r.sysconfdir = "/nonexistent";
	r.quota_warn = -1;
	r.fx = &fx_dryrun;
	r.trace = dryrun_start(&r, 0, 0);
	r.notes = 1;

	text = arena_alloc(&perm, flen + 1);
	memcpy(text, data, flen);
	text[flen] = '\0';
	memset(&d, 0, sizeof(d));
	prog = parse_program(&perm, "./f", text, flen, 0, &builtin_fns, &d);
	diag_free(&d);
	if (prog == NULL ||
	    (r.msg = fuzz_message(msgp, msglen, NULL, 0)) == NULL)
		goto out;
	r.vars = vars_new();
	r.user_name = "fuzz";
	r.user_home = home;
	r.user_shell = "/bin/sh";
	run_reset_vars(&r);
	vars_sets(r.vars, "DEFAULT", "mbox");
	vars_sets(r.vars, "FROM", "joe@example.com");
	vars_sets(r.vars, "MAILFILTER", "./f");
	eval_budget(&r, 0.25);
	/* Small budgets: a runaway input stops in milliseconds. */
	r.max_statements = 100000;
	r.max_value = (size_t)1 << 20;
	r.max_var_bytes = (size_t)4 << 20;
	r.match_time = 0.1;
	f = eval_program(&r, prog);
	dryrun_result(&r, f, f == FLOW_EXIT ? r.exit_status : r.err.status);
	fflush(stdout);
	builtins_cleanup(&r);
	msg_free(r.msg);
	vars_free(r.vars);
out:
	cleanup_run();
	dryrun_free(&r);
	rt_error_free(&r.err);
	buf_free(&r.exit_command);
	buf_free(&r.log_to);
	arena_free(&r.scratch);
	arena_free(&perm);
	if (fchdir(startfd) != 0)
		abort();
	return 0;
}
