/*
 * shell_quote.c: message text substituted into a command reaches the
 * command as data (DIFFERENCES.md B24).  Every hostile text below is put
 * into every shell context a filter can write around it, the command is
 * run by /bin/sh in an empty directory, and the test checks that the
 * text arrived unchanged and that no canary file appeared.  A filter's
 * own text (not marked) must go in unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../grammar/buf.h"
#include "../../interp/eval/eval.h"
#include "unit.h"

/* Hostile texts: one per family, and the awkward bytes. */
static const char *const hostile[] = {
	"semi; touch canary",
	"dollar $(touch canary)",
	"back `touch canary`",
	"pipe | touch canary",
	"and && touch canary",
	"redirect > canary",
	"single ' ; touch canary ; '",
	"double \" ; touch canary ; \"",
	"backslash \\' ; touch canary ; \\\" \\",
	"folded\t; touch canary\ttab",
	"newline\ntouch canary",
	"var $HOME ${HOME} $1 $@",
	"glob * ? [a-z]",
	"esc \\\\ \\` \\$ \\\"",
	"`",
	"'",
	"\"",
	"\\",
};

/*
 * Contexts: the filter's text before and after the message text, and
 * what printf should print ('D' stands for the message text).
 */
static const struct {
	const char	*name, *pre, *post, *want;
} contexts[] = {
	{ "bare", "printf '[%s]' ", "", "[D]" },
	{ "bare glued", "printf '[%s]' x", "y", "[xDy]" },
	{ "double quotes", "printf '[%s]' \"<", ">\"", "[<D>]" },
	{ "single quotes", "printf '[%s]' '<", ">'", "[<D>]" },
	{ "$(...)", "printf '[%s]' \"$(printf '%s' ", ")\"", "[D]" },
	{ "$(...) quoted", "printf '[%s]' \"$(printf '%s' \"", "\")\"",
	    "[D]" },
	{ "backquotes", "printf '[%s]' \"`printf '%s' ", "`\"", "[D]" },
	{ "backquotes single", "printf '[%s]' \"`printf '%s' '", "'`\"",
	    "[D]" },
	{ "comment", "printf '[%s]' ok # ", "", "[ok]" },
	{ "after a backslash", "printf '[%s]' \\", "", "[D]" },
	{ "after ;", "true;printf '[%s]' ", "", "[D]" },
};

/* want with 'D' replaced by d; a trailing newline of d drops in $(). */
static void
expected(const char *want, const char *d, struct buf *out)
{
	buf_reset(out);
	for (; *want != '\0'; want++)
		if (*want == 'D')
			buf_adds(out, d);
		else
			buf_addc(out, *want);
}

static void
run(const char *cmd, struct buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *fp;

	buf_reset(out);
	if ((fp = popen(cmd, "r")) == NULL)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	pclose(fp);
}

int
main(void)
{
	struct buf v = BUF_INIT, cmd = BUF_INIT, got = BUF_INIT;
	struct buf want = BUF_INIT, name = BUF_INIT;
	char dir[] = "/tmp/runnel-shquote.XXXXXX";
	size_t c, h, at;
	struct stat st;

	if (mkdtemp(dir) == NULL || chdir(dir) != 0) {
		unit_check(0, "setup", "no temp directory");
		return unit_done();
	}
	for (c = 0; c < sizeof(contexts) / sizeof(contexts[0]); c++)
		for (h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++) {
			buf_reset(&v);
			buf_adds(&v, contexts[c].pre);
			at = v.len;
			buf_adds(&v, hostile[h]);
			buf_mark(&v, at, v.len - at);
			buf_adds(&v, contexts[c].post);
			shell_quote_marked(&v, &cmd);
			run(cmd.p, &got);
			if (strcmp(contexts[c].name, "comment") == 0)
				expected(contexts[c].want, "", &want);
			else
				expected(contexts[c].want, hostile[h], &want);
			buf_reset(&name);
			buf_printf(&name, "%s: text %zu", contexts[c].name, h);
			unit_check(strcmp(got.p ? got.p : "", want.p) == 0 &&
			    stat("canary", &st) != 0, name.p, "got [%s]", cmd.p);
			unlink("canary");
		}

	/* The filter's own text is not touched. */
	buf_set(&v, "printf '[%s]' $HOME; echo \"a\"", 30);
	shell_quote_marked(&v, &cmd);
	unit_check(strcmp(cmd.p, v.p) == 0, "own text unchanged", "got [%s]",
	    cmd.p);

	/* Two spans in one command, with the filter's text between. */
	buf_reset(&v);
	buf_adds(&v, "printf '[%s]' ");
	at = v.len;
	buf_adds(&v, "a b");
	buf_mark(&v, at, 3);
	buf_adds(&v, " '");
	at = v.len;
	buf_adds(&v, "c'd");
	buf_mark(&v, at, 3);
	buf_adds(&v, "'");
	shell_quote_marked(&v, &cmd);
	run(cmd.p, &got);
	unit_check(strcmp(got.p ? got.p : "", "[a b][c'd]") == 0, "two spans",
	    "got [%s]", cmd.p);

	/* A marked NUL cannot cut the command short. */
	buf_set(&v, "printf '[%s]' ", 14);
	buf_add(&v, "a\0b", 3);
	buf_mark(&v, 14, 3);
	buf_adds(&v, " done");
	shell_quote_marked(&v, &cmd);
	run(cmd.p, &got);
	unit_check(strcmp(got.p ? got.p : "", "[ab][done]") == 0,
	    "NUL dropped", "got [%s]", cmd.p);

	chdir("/");
	rmdir(dir);
	buf_free(&v);
	buf_free(&cmd);
	buf_free(&got);
	buf_free(&want);
	buf_free(&name);
	return unit_done();
}
