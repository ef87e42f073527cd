/*
 * check.c: --check and --dump-ast.  Both are "parse and report": nothing
 * runs, no message is read, so a user can test a filter before installing
 * it.  --check prints every error and warning of every file in the
 * compiler form (LANGUAGE.md §9) and fails when any file has an error.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "../../grammar/parse.h"
#include "../pattern/match.h"
#include "../run/fileopen.h"
#include "lint.h"
#include "options.h"

static unsigned
parse_flags(const struct options *o)
{
	return o->embedded || o->embedded_name != NULL ? PARSE_EMBEDDED : 0;
}

/* --dump-ast has no lint: its diagnostics are always text. */
static void
report(struct lint *l, const struct diag *d, const char *text, size_t len,
    const char *origin)
{
	if (l != NULL)
		lint_report(l, d, text, len, origin);
	else
		diag_print_compiler(stderr, d, text, len);
}

/*
 * Parse one file into a; print its diagnostics to stderr (under
 * --strict, in l, warnings as errors; l may be NULL).  Returns the
 * program, or NULL after an error (unreadable file included).
 */
static struct program *
check_file(struct arena *a, const char *path, unsigned flags,
    struct buf *text, struct lint *l)
{
	struct diags d;
	struct program *prog;
	struct buf msg = BUF_INIT;
	size_t i;

	memset(&d, 0, sizeof(d));
	if (file_slurp(path, text) < 0) {
		buf_printf(&msg, "cannot read the filter: %s",
		    file_strerror(errno));
		diag_add(&d, DIAG_ERROR, (struct pos){ .file = path },
		    buf_cstr(&msg), NULL, NULL);
		report(l, &d.v[0], NULL, 0, "file");
		diag_free(&d);
		buf_free(&msg);
		return NULL;
	}
	prog = parse_program(a, path, text->p, text->len, flags, &builtin_fns,
	    &d);
	for (i = 0; i < d.n; i++) {
		if (l != NULL && d.v[i].level == DIAG_WARNING) {
			l->warnings++;
			if (l->strict)
				d.v[i].level = DIAG_ERROR;
		}
		report(l, &d.v[i], text->p, text->len, "parser");
	}
	diag_free(&d);
	return prog;
}

/* Included files deeper than this are not followed (a loop, surely). */
#define INCLUDE_DEPTH_MAX	20

struct walk {
	struct arena	*a;
	unsigned	 flags;
	char		*seen[64];	/* real paths already checked */
	size_t		 nseen;
	int		 status;
	int		 file_failed;	/* the file being walked has an error */
	/* variables that may hold message text (B24), names in w->a */
	const char	**carrier;
	size_t		 ncarrier, capcarrier;
	struct lint	 lint;
	struct buf	*texts;		/* every file's text, kept for the
					   warnings made after all are read */
	size_t		 ntexts;
};

static int check_tree(struct walk *, const char *path, unsigned depth);

static void
check_include(struct walk *w, const struct program *prog,
    const struct stmt *s, unsigned depth)
{
	struct buf name = BUF_INIT, why = BUF_INIT, msg = BUF_INIT;
	struct pos at = s->expr != NULL ? s->expr->pos : s->pos;
	struct diag note = { 0 };

	if (lint_known_text(s->expr, &name, &why) < 0) {
		buf_printf(&msg, "the included file is not checked: its name "
		    "depends on %s", why.len ? buf_cstr(&why) : "a value");
		lint_warn(&w->lint, prog, at, arena_strdup(w->a, buf_cstr(&msg)),
		    "check that file with its own runnel --check");
	} else if (access(buf_cstr(&name), R_OK) != 0) {
		buf_printf(&msg, "cannot read the included file %s: %s",
		    buf_cstr(&name), strerror(errno));
		lint_warn(&w->lint, prog, at, arena_strdup(w->a, buf_cstr(&msg)),
		    buf_cstr(&name)[0] == '/' ? "a missing file fails the delivery "
		    "unless included inside exception { }" : "at delivery "
		    "a relative name is taken from the home directory; a "
		    "missing file fails the delivery unless included "
		    "inside exception { }");
	} else if (depth >= INCLUDE_DEPTH_MAX) {
		lint_warn(&w->lint, prog, at, "includes nest too deep to follow", NULL);
	} else if (check_tree(w, buf_cstr(&name), depth + 1) != 0) {
		buf_printf(&msg, "%s is included here", buf_cstr(&name));
		note.level = DIAG_NOTE;
		note.pos = at;
		note.msg = buf_cstr(&msg);
		lint_report(&w->lint, &note, NULL, 0, "include");
	}
	buf_free(&name);
	buf_free(&why);
	buf_free(&msg);
}

/*
 * Where byte off of the regex lands in the source: the pattern starts one
 * byte after its opening '/'.  A regex holds no newline, but count them
 * anyway so the position can never point into another line wrongly.
 */
static struct pos
regex_pos(const struct program *prog, struct pos at, size_t off)
{
	size_t i, end = at.off + 1 + off;

	for (i = at.off; i < end && i < prog->len; i++) {
		if (prog->text[i] == '\n') {
			at.line++;
			at.col = 1;
		} else
			at.col++;
	}
	at.off = i;
	return at;
}

/*
 * A pattern whose text is known now (no $ substitution) is compiled with
 * the flags a delivery uses; one that fails is an error here, where at
 * delivery it is maildrop's "Syntax error in /pattern/." and a false
 * condition on every message.
 */
static void
check_pattern(struct walk *w, const struct program *prog,
    const struct pattern *pat, int on_message)
{
	struct buf reason = BUF_INIT, msg = BUF_INIT;
	struct diag d;
	size_t off = 0;

	if (match_check(pat, on_message, &reason, &off) == 0) {
		buf_free(&reason);
		return;
	}
	buf_printf(&msg, "the pattern does not compile: %s (PCRE2, at offset "
	    "%zu of the pattern)", buf_cstr(&reason), off);
	memset(&d, 0, sizeof(d));
	d.level = DIAG_ERROR;
	d.pos = regex_pos(prog, pat->pos, off);
	d.msg = buf_cstr(&msg);
	d.hint = "at delivery the pattern never matches and maildrop warns "
	    "\"Syntax error in /pattern/.\"";
	lint_report(&w->lint, &d, prog->text, prog->len, "pattern");
	w->status = 1;
	w->file_failed = 1;
	buf_free(&reason);
	buf_free(&msg);
}

/*
 * DIFFERENCES.md B24: which variables may hold message text, found
 * before any mail arrives.  MATCH and MATCHn, FROM, $1.. (filled from the
 * recipient's address extension), and any variable assigned from one of
 * them, from a command's output (commands read the message) or from
 * getaddr/substr/tolower/toupper of such a value; escape() makes a value
 * safe.  A command that substitutes one is where maildrop would run the
 * sender's text as shell code.
 */
static int
is_carrier_name(const struct walk *w, const char *name, size_t n)
{
	size_t i;

	if (n == 4 && memcmp(name, "FROM", 4) == 0)
		return 1;
	if (n >= 5 && memcmp(name, "MATCH", 5) == 0) {
		for (i = 5; i < n && isdigit((unsigned char)name[i]); i++)
			;
		if (i == n)
			return 1;
	}
	for (i = 0; i < n && isdigit((unsigned char)name[i]); i++)
		;
	if (n > 0 && i == n)
		return 1;
	for (i = 0; i < w->ncarrier; i++)
		if (strlen(w->carrier[i]) == n &&
		    memcmp(w->carrier[i], name, n) == 0)
			return 1;
	return 0;
}

static int
namechar(int c)
{
	return isalnum(c) || c == '_';
}

/*
 * The first $NAME or ${NAME} of t (as subst.c reads it) that may hold
 * message text: its name in name/namelen; 0 when there is none.
 */
static int
carrier_ref(const struct walk *w, const char *t, size_t n,
    const char **name, size_t *namelen)
{
	size_t i = 0, j;

	while (i < n) {
		if (t[i] == '\\') {
			i += 2;
			continue;
		}
		if (t[i++] != '$' || i == n)
			continue;
		if (t[i] == '{') {
			for (j = i + 1; j < n && t[j] != '}'; j++)
				;
			if (j == n)
				continue;
			*name = t + i + 1;
			*namelen = j - i - 1;
		} else {
			for (j = i; j < n && namechar((unsigned char)t[j]); j++)
				;
			*name = t + i;
			*namelen = j - i;
		}
		if (*namelen > 0 && is_carrier_name(w, *name, *namelen))
			return 1;
	}
	return 0;
}

/* May e's value hold message text? */
static int
may_carry(const struct walk *w, const struct expr *e)
{
	const char *name;
	size_t i, n;

	if (e == NULL)
		return 0;
	switch (e->kind) {
	case E_STRING:
		for (i = 0; i < e->nparts; i++) {
			if (e->parts[i].kind == P_BT)
				return 1;
			if (e->parts[i].kind != P_SQ &&
			    carrier_ref(w, e->parts[i].text, e->parts[i].len,
			    &name, &n))
				return 1;
		}
		return 0;
	case E_CALL:
		if (strcmp(e->name, "getaddr") != 0 &&
		    strcmp(e->name, "substr") != 0 &&
		    strcmp(e->name, "tolower") != 0 &&
		    strcmp(e->name, "toupper") != 0)
			return 0;
		return e->nargs > 0 && may_carry(w, e->args[0]);
	case E_OR:
	case E_AND:
		return may_carry(w, e->lhs) || may_carry(w, e->rhs);
	case E_ASSIGN:
		return may_carry(w, e->rhs);
	default:
		return 0;
	}
}

/* Add the targets of assignments that may carry message text; 1 if any. */
static int
spread_expr(struct walk *w, const struct expr *e)
{
	int grew = 0;
	size_t i;

	if (e == NULL)
		return 0;
	if (e->kind == E_ASSIGN && !is_carrier_name(w, e->name, e->namelen) &&
	    may_carry(w, e->rhs)) {
		if (w->ncarrier == w->capcarrier) {
			w->capcarrier = w->capcarrier ? w->capcarrier * 2 : 16;
			w->carrier = xrealloc(w->carrier, w->capcarrier *
			    sizeof(*w->carrier));
		}
		w->carrier[w->ncarrier++] = arena_strndup(w->a, e->name,
		    e->namelen);
		grew = 1;
	}
	grew |= spread_expr(w, e->lhs);
	grew |= spread_expr(w, e->rhs);
	for (i = 0; i < e->nargs; i++)
		grew |= spread_expr(w, e->args[i]);
	return grew;
}

static int
spread_stmts(struct walk *w, const struct stmt *s)
{
	int grew = 0;

	for (; s != NULL; s = s->next) {
		grew |= spread_expr(w, s->expr);
		grew |= spread_stmts(w, s->body);
		grew |= spread_stmts(w, s->otherwise);
	}
	return grew;
}

/*
 * A to/cc "|..." or "!...", xfilter or system whose text substitutes a
 * variable that may hold message text.
 */
static void
check_command(struct walk *w, const struct program *prog,
    const struct stmt *s)
{
	const struct expr *e = s->expr;
	const struct part *p;
	struct buf msg = BUF_INIT;
	const char *name, *hint;
	size_t i, n;
	int forward = 0;

	if (e == NULL || e->kind != E_STRING || e->nparts == 0)
		return;
	if (s->kind == S_TO || s->kind == S_CC) {
		p = &e->parts[0];
		if (p->kind == P_BT || p->len == 0 ||
		    (p->text[0] != '|' && p->text[0] != '!'))
			return;
		forward = p->text[0] == '!';
	} else if (s->kind != S_XFILTER && s->kind != S_SYSTEM)
		return;
	for (i = 0; i < e->nparts; i++) {
		p = &e->parts[i];
		if (p->kind == P_SQ || p->kind == P_BT ||
		    !carrier_ref(w, p->text, p->len, &name, &n))
			continue;
		if (forward) {
			buf_printf(&msg, "$%.*s may hold message text and is "
			    "substituted into forward addresses: maildrop "
			    "hands them to the shell", (int)n, name);
			hint = "runnel gives each address to SENDMAIL as one "
			    "argument, without a shell (DIFFERENCES.md B8, "
			    "B24)";
		} else {
			buf_printf(&msg, "$%.*s may hold message text and is "
			    "substituted into a shell command: maildrop would "
			    "run it as shell code", (int)n, name);
			hint = "runnel quotes message text as one word of data "
			    "(DIFFERENCES.md B24); under maildrop too, use "
			    "escape() on it first";
		}
		lint_warn(&w->lint, prog,
		    lint_ref_pos(prog, p->pos, name, n), buf_cstr(&msg),
		    hint);
		break;
	}
	buf_free(&msg);
}

static void
walk_expr(struct walk *w, const struct program *prog, const struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->kind == E_PATTERN || e->kind == E_MATCH)
		check_pattern(w, prog, e->pat, e->kind == E_PATTERN);
	walk_expr(w, prog, e->lhs);
	walk_expr(w, prog, e->rhs);
	for (i = 0; i < e->nargs; i++)
		walk_expr(w, prog, e->args[i]);
}

static void
walk_stmts(struct walk *w, const struct program *prog, const struct stmt *s,
    unsigned depth)
{
	for (; s != NULL; s = s->next) {
		walk_expr(w, prog, s->expr);
		check_command(w, prog, s);
		if (s->kind == S_INCLUDE)
			check_include(w, prog, s, depth);
		walk_stmts(w, prog, s->body, depth);
		walk_stmts(w, prog, s->otherwise, depth);
	}
}

/* Has this file been checked already (the same file included twice)? */
static int
seen_before(struct walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	size_t i;

	if (real == NULL)
		return 0;
	for (i = 0; i < w->nseen; i++)
		if (strcmp(w->seen[i], real) == 0) {
			free(real);
			return 1;
		}
	if (w->nseen < sizeof(w->seen) / sizeof(w->seen[0]))
		w->seen[w->nseen++] = real;
	else
		free(real);
	return 0;
}

/* A buffer for one more file's text, kept until the end. */
static struct buf *
new_text(struct walk *w)
{
	w->texts = xrealloc(w->texts, (w->ntexts + 1) * sizeof(*w->texts));
	memset(&w->texts[w->ntexts], 0, sizeof(*w->texts));
	return &w->texts[w->ntexts++];
}

/* Check path and what it includes; 1 when path itself has an error. */
static int
check_tree(struct walk *w, const char *path, unsigned depth)
{
	struct program *prog;
	int failed, saved = w->file_failed;

	if (seen_before(w, path))
		return 0;
	prog = check_file(w->a, path, w->flags, new_text(w), &w->lint);
	w->file_failed = prog == NULL;
	if (prog == NULL)
		w->status = 1;
	else {
		while (spread_stmts(w, prog->body))
			;
		walk_stmts(w, prog, prog->body, depth);
		lint_file(&w->lint, prog);
	}
	failed = w->file_failed;
	w->file_failed = saved;
	return failed;
}

/*
 * The variables maildroprc sets count as set for the user's filter
 * (DELIVERY.md §2 runs it first).  Its own mistakes are not this
 * check's to report.
 */
static void
read_maildroprc(struct walk *w)
{
	const char *dir = getenv("RUNNEL_SYSCONFDIR");
	struct buf path = BUF_INIT, *text = new_text(w);
	struct diags d;

	memset(&d, 0, sizeof(d));
	buf_printf(&path, "%s/maildroprc", dir != NULL && *dir != '\0' ? dir :
	    "/etc");
	if (file_slurp(path.p, text) == 0)
		w->lint.rc = parse_program(w->a, arena_strdup(w->a, path.p),
		    text->p, text->len, 0, &builtin_fns, &d);
	diag_free(&d);
	buf_free(&path);
}

/*
 * --check --format=json: the diagnostics and the result as one document
 * on stdout (tests/spec/trace.schema.json, "check").
 */
static void
print_json(const struct walk *w)
{
	const struct buf *d = w->lint.json;

	printf("{\n  \"format\": \"runnel-check\",\n  \"version\": 1,\n"
	    "  \"diagnostics\": [%s%s%s],\n  \"result\": {\"outcome\": "
	    "\"%s\", \"errors\": %u, \"warnings\": %u, \"exit\": %d}\n}\n",
	    d->len ? "\n    " : "", d->len ? d->p : "", d->len ? "\n  " : "",
	    w->status != 0 ? "failed" : w->lint.shown_warnings ? "warnings" :
	    "clean", w->lint.shown_errors, w->lint.shown_warnings, w->status);
	fflush(stdout);
}

int
check_main(const struct options *o)
{
	struct arena a;
	struct walk w;
	struct buf json = BUF_INIT;
	size_t k;
	int i;

	if (o->nargs < 1) {
		fprintf(stderr, "runnel: --check needs a FILE to check\n");
		return EX_USAGE;
	}
	arena_init(&a);
	memset(&w, 0, sizeof(w));
	w.a = &a;
	w.flags = parse_flags(o);
	w.lint.strict = o->strict;
	if (o->json)
		w.lint.json = &json;
	read_maildroprc(&w);
	for (i = 0; i < o->nargs; i++)
		(void)check_tree(&w, o->args[i], 0);
	lint_unset_vars(&w.lint);
	if (w.lint.strict && w.lint.warnings > 0)
		w.status = 1;
	if (o->json)
		print_json(&w);
	for (k = 0; k < w.nseen; k++)
		free(w.seen[k]);
	for (k = 0; k < w.ntexts; k++)
		buf_free(&w.texts[k]);
	free(w.texts);
	free(w.lint.progs);
	free(w.carrier);
	buf_free(&json);
	arena_free(&a);
	return w.status;
}

int
dump_ast_main(const struct options *o)
{
	struct arena a;
	struct buf text = BUF_INIT;
	struct program *prog;
	int status = 0;

	if (o->nargs != 1) {
		fprintf(stderr, "runnel: --dump-ast needs exactly one FILE\n");
		return EX_USAGE;
	}
	arena_init(&a);
	prog = check_file(&a, o->args[0], parse_flags(o), &text, NULL);
	if (prog != NULL) {
		fflush(stderr);
		ast_dump(stdout, prog);
	} else
		status = 1;
	buf_free(&text);
	arena_free(&a);
	return status;
}
