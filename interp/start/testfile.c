/*
 * testfile.c: reading a test file of `runnel test`.  Every mistake is
 * reported, each at FILE:LINE with the line to write instead, and no case
 * runs until the file is right: a test that half-parsed would pass for
 * the wrong reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "../../grammar/words.h"
#include "../pattern/regex.h"
#include "../run/fileopen.h"
#include "testfile.h"

#define CASE_FORM "MESSAGE -> DESTINATION [; log contains \"TEXT\"] " \
	"[; header NAME: /RE/]"

struct scan {
	const char	*p;		/* the cursor in the line */
	const char	*file;
	unsigned	 line;
	int		 errors;
	int		 line_errors;	/* on this line */
};

static void
complain(struct scan *s, const char *hint, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: error: ", s->file, s->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (hint != NULL)
		fprintf(stderr, "  hint: %s\n", hint);
	s->errors++;
	s->line_errors++;
}

static void
blanks(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\t')
		s->p++;
}

/*
 * The next word into w: "quoted" (\" and \\ inside), else up to a blank
 * or ';'.  0 at the end of the line or a ';', 1 with a word, -1 after an
 * error.
 */
static int
word(struct scan *s, struct buf *w)
{
	buf_reset(w);
	blanks(s);
	if (*s->p == '\0' || *s->p == ';')
		return 0;
	if (*s->p != '"') {
		while (*s->p != '\0' && *s->p != ' ' && *s->p != '\t' &&
		    *s->p != ';')
			buf_addc(w, *s->p++);
		return 1;
	}
	for (s->p++; *s->p != '"'; s->p++) {
		if (*s->p == '\\' && (s->p[1] == '"' || s->p[1] == '\\'))
			s->p++;
		if (*s->p == '\0') {
			complain(s, "close the quotes, and write \\\" for a "
			    "quote inside them", "a \"...\" is not closed");
			return -1;
		}
		buf_addc(w, *s->p);
	}
	s->p++;
	buf_adds(w, "");
	return 1;
}

/* exit N: a status from 0 to 255. */
static int
status_word(struct scan *s, struct buf *w)
{
	char *end;
	long v;

	if (word(s, w) != 1 || (v = strtol(w->p, &end, 10), *end != '\0') ||
	    end == w->p || v < 0 || v > 255) {
		complain(s, "write the exit status the run must end with, "
		    "e.g. 'exit 0' or 'exit 67'", "'exit' needs a number from "
		    "0 to 255");
		return -1;
	}
	return (int)v;
}

/* What follows "->": destinations, discard, defer, exit N. */
static void
expectation(struct scan *s, struct tf_case *c)
{
	struct buf w = BUF_INIT;
	const char *from;
	int rc, discard = 0;

	blanks(s);
	from = s->p;
	while ((rc = word(s, &w)) == 1) {
		if (strcmp(w.p, "discard") == 0)
			discard = 1;
		else if (strcmp(w.p, "defer") == 0)
			c->defer = 1;
		else if (strcmp(w.p, "exit") == 0)
			c->status = status_word(s, &w);
		else
			words_add(&c->dests, &c->ndests, w.p, w.len);
	}
	blanks(s);
	if (s->line_errors > 0)
		;
	else if (rc == 0 && c->ndests == 0 && !discard && !c->defer &&
	    c->status < 0)
		complain(s, "write where the message must go: a folder "
		    "(Maildir/.lists/), an mbox, !address, \"|command\", "
		    "discard, exit N or defer", "nothing after '->'");
	else if (rc == 0 && discard + c->defer + (c->ndests > 0) > 1)
		complain(s, "keep one of them: discard (no delivery, exit 0), "
		    "defer (exit 75) or the mailboxes", "'%.*s' expects two "
		    "outcomes at once", (int)(s->p - from), from);
	c->expect = xstrndup(from, (size_t)(s->p - from));
	while (strlen(c->expect) > 0 &&
	    strchr(" \t", c->expect[strlen(c->expect) - 1]) != NULL)
		c->expect[strlen(c->expect) - 1] = '\0';
	buf_free(&w);
}

/* header NAME: /RE/, the cursor after "header". */
static void
header_check(struct scan *s, struct tf_case *c, struct buf *w)
{
	static const char hint[] = "write it as: header X-Spam-Flag: /YES/";
	struct buf reason = BUF_INIT;
	const char *re;
	size_t off;

	if (word(s, w) != 1 || w->len < 2 || w->p[w->len - 1] != ':') {
		complain(s, hint, "'header' needs a field name and a colon");
		return;
	}
	buf_truncate(w, w->len - 1);
	blanks(s);
	if (*s->p != '/') {
		complain(s, hint, "the header check needs a /pattern/");
		return;
	}
	for (re = ++s->p; *s->p != '\0' && *s->p != '/'; s->p++)
		if (*s->p == '\\' && s->p[1] != '\0')
			s->p++;
	if (*s->p != '/') {
		complain(s, "end the pattern with '/' (write \\/ for a slash "
		    "inside it)", "the /pattern/ is not closed");
		return;
	}
	if (regex_check(re, (size_t)(s->p - re), 0, &reason, &off) < 0)
		complain(s, "fix the pattern (PCRE2 syntax, as in filters)",
		    "the pattern /%.*s/ does not compile at byte %zu: %s",
		    (int)(s->p - re), re, off, reason.p);
	else {
		c->headers = xrealloc(c->headers, (c->nheaders + 1) *
		    sizeof(*c->headers));
		c->headers[c->nheaders].name = xstrdup(w->p);
		c->headers[c->nheaders++].re = xstrndup(re,
		    (size_t)(s->p - re));
	}
	s->p++;
	buf_free(&reason);
}

/* The checks after the expectation: ; log contains "T" ; header N: /R/ */
static void
checks(struct scan *s, struct tf_case *c)
{
	struct buf w = BUF_INIT;

	for (blanks(s); *s->p == ';'; blanks(s)) {
		s->p++;
		if (word(s, &w) != 1)
			complain(s, "write a check after ';': log contains "
			    "\"TEXT\" or header NAME: /RE/", "nothing after "
			    "';'");
		else if (strcmp(w.p, "log") == 0) {
			if (word(s, &w) != 1 || strcmp(w.p, "contains") != 0 ||
			    word(s, &w) != 1)
				complain(s, "write it as: log contains \"TEXT\"",
				    "'log' needs 'contains' and a text");
			else
				words_add(&c->logs, &c->nlogs, w.p, w.len);
		} else if (strcmp(w.p, "header") == 0)
			header_check(s, c, &w);
		else
			complain(s, "the checks are: log contains \"TEXT\", "
			    "header NAME: /RE/", "unknown check '%s'", w.p);
		if (s->line_errors > 0)
			break;
	}
	blanks(s);
	if (s->line_errors == 0 && *s->p != '\0')
		complain(s, "write each case as: " CASE_FORM, "unexpected "
		    "'%s' after the case", s->p);
	buf_free(&w);
}

/* The message file, named relative to the test file's directory. */
static void
message_file(struct scan *s, struct tf_case *c, const char *name)
{
	const char *slash = strrchr(s->file, '/');
	struct buf path = BUF_INIT;
	struct stat st;
	int e;

	c->message = xstrdup(name);
	if (name[0] != '/' && slash != NULL)
		buf_printf(&path, "%.*s/", (int)(slash - s->file), s->file);
	buf_adds(&path, name);
	c->message_path = xstrdup(path.p);
	e = stat(path.p, &st) < 0 ? errno : 0;
	if (e != 0 || !S_ISREG(st.st_mode))
		complain(s, "name a message file (one message, as the MTA "
		    "passes it) relative to the test file's directory",
		    "cannot read the message file %s: %s", path.p,
		    e != 0 ? strerror(e) : "not a regular file");
	buf_free(&path);
}

static void
one_case(struct scan *s, struct testfile *tf, const char *message)
{
	struct tf_case *c;

	tf->cases = xrealloc(tf->cases, (tf->ncases + 1) * sizeof(*c));
	c = &tf->cases[tf->ncases++];
	memset(c, 0, sizeof(*c));
	c->line = s->line;
	c->status = -1;
	message_file(s, c, message);
	expectation(s, c);
	if (s->line_errors == 0)
		checks(s, c);
}

/*
 * A program beside the test file, by an absolute name (the cases run
 * from the home directory): "./stub-spamc" -> "/DIR/stub-spamc".
 */
static char *
beside(const char *file, const char *with)
{
	const char *slash = strrchr(file, '/');
	struct buf b = BUF_INIT;
	char cwd[4096];

	if (strncmp(with, "./", 2) != 0 && strncmp(with, "../", 3) != 0)
		return xstrdup(with);
	if (file[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL)
		buf_printf(&b, "%s/", cwd);
	if (slash != NULL)
		buf_printf(&b, "%.*s/", (int)(slash - file), file);
	buf_adds(&b, with + (with[1] == '/' ? 2 : 0));
	return b.p;
}

static void
setting(struct scan *s, struct testfile *tf, struct buf *w1, struct buf *w2,
    int have2)
{
	struct buf w3 = BUF_INIT;

	if (strcmp(w1->p, "exec") == 0 && !have2)
		tf->exec = 1;
	else if (strcmp(w1->p, "env") == 0) {
		if (!have2 || strchr(w2->p, '=') == NULL || w2->p[0] == '=')
			complain(s, "write it as: env MAILDIR=Maildir",
			    "'env' needs NAME=value");
		else
			words_add(&tf->env, &tf->nenv, w2->p, w2->len);
	} else if (strcmp(w1->p, "stub") == 0) {
		if (!have2 || word(s, &w3) != 1)
			complain(s, "write it as: stub \"/usr/bin/spamc\" "
			    "\"./fake-spamc\"", "'stub' needs the command "
			    "and its replacement");
		else {
			tf->stubs = xrealloc(tf->stubs, (tf->nstubs + 1) *
			    sizeof(*tf->stubs));
			tf->stubs[tf->nstubs].cmd = xstrdup(w2->p);
			tf->stubs[tf->nstubs++].with = beside(s->file, w3.p);
		}
	} else if (s->line_errors == 0)
		complain(s, "write each case as: " CASE_FORM "; the settings "
		    "are: exec, env NAME=value, stub \"COMMAND\" "
		    "\"REPLACEMENT\"", "expected '->' after the message file "
		    "'%s'", w1->p);
	if (s->line_errors == 0 && word(s, &w3) != 0)
		complain(s, "one setting per line", "unexpected '%s' after "
		    "'%s'", w3.p, w1->p);
	buf_free(&w3);
}

static void
one_line(struct scan *s, struct testfile *tf)
{
	struct buf w1 = BUF_INIT, w2 = BUF_INIT;
	int r1, r2;

	blanks(s);
	if (*s->p == '#' || *s->p == '\0')
		return;
	if ((r1 = word(s, &w1)) < 0 || (r2 = word(s, &w2)) < 0)
		goto out;
	if (r1 == 0)
		complain(s, "write each case as: " CASE_FORM, "a line that "
		    "starts with ';'");
	else if (r2 == 1 && strcmp(w2.p, "->") == 0)
		one_case(s, tf, w1.p);
	else
		setting(s, tf, &w1, &w2, r2 == 1);
out:
	buf_free(&w1);
	buf_free(&w2);
}

int
testfile_read(const char *path, struct testfile *tf)
{
	struct buf text = BUF_INIT;
	struct scan s;
	char *line, *nl;

	memset(tf, 0, sizeof(*tf));
	memset(&s, 0, sizeof(s));
	tf->name = path;
	s.file = path;
	if (file_slurp(path, &text) < 0) {
		fprintf(stderr, "%s: error: cannot read the test file: %s\n",
		    path, file_strerror(errno));
		buf_free(&text);
		return 1;
	}
	buf_adds(&text, "");
	for (line = text.p; line != NULL && *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (strlen(line) > 0 && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		s.line++;
		s.line_errors = 0;
		s.p = line;
		one_line(&s, tf);
	}
	if (s.errors == 0 && tf->ncases == 0) {
		fprintf(stderr, "%s: error: no test cases\n  hint: add a "
		    "line for each message: %s\n", path, CASE_FORM);
		s.errors++;
	}
	buf_free(&text);
	return s.errors;
}

void
testfile_free(struct testfile *tf)
{
	size_t i, j;

	for (i = 0; i < tf->ncases; i++) {
		struct tf_case *c = &tf->cases[i];

		free(c->message);
		free(c->message_path);
		free(c->expect);
		words_free(c->dests, c->ndests);
		words_free(c->logs, c->nlogs);
		for (j = 0; j < c->nheaders; j++) {
			free(c->headers[j].name);
			free(c->headers[j].re);
		}
		free(c->headers);
	}
	free(tf->cases);
	words_free(tf->env, tf->nenv);
	for (i = 0; i < tf->nstubs; i++) {
		free(tf->stubs[i].cmd);
		free(tf->stubs[i].with);
	}
	free(tf->stubs);
	memset(tf, 0, sizeof(*tf));
}
