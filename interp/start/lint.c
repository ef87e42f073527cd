/*
 * lint.c: --check's warnings about filters that parse but would not do
 * what their author means.  Each is found before any mail arrives, from
 * the tree and, for mailboxes named in plain text, from the disk; each
 * names its place and the fix.  They are warnings because the filter
 * still runs as written; --strict makes them errors for those who want
 * a clean bill before installing a filter.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../grammar/arena.h"
#include "../../grammar/diag.h"
#include "../deliver/deliver.h"
#include "lint.h"

void
lint_warn(struct lint *l, const struct program *prog, struct pos at,
    const char *msg, const char *hint)
{
	struct diag d;

	memset(&d, 0, sizeof(d));
	d.level = l->strict ? DIAG_ERROR : DIAG_WARNING;
	d.pos = at;
	d.msg = msg;
	d.hint = hint;
	lint_report(l, &d, prog->text, prog->len, "lint");
	l->warnings++;
}

void
lint_report(struct lint *l, const struct diag *d, const char *text,
    size_t len, const char *origin)
{
	if (d->level == DIAG_ERROR)
		l->shown_errors++;
	else if (d->level == DIAG_WARNING)
		l->shown_warnings++;
	if (l->json == NULL) {
		diag_print_compiler(stderr, d, text, len);
		return;
	}
	if (l->json->len > 0)
		buf_adds(l->json, ",\n    ");
	diag_json(l->json, d, origin);
}

static int
namechar(int c)
{
	return isalnum(c) || c == '_';
}

struct pos
lint_ref_pos(const struct program *prog, struct pos at, const char *name,
    size_t n)
{
	size_t i, k;

	for (i = at.off; i < prog->len && prog->text[i] != '\n'; i++) {
		if (prog->text[i] != '$')
			continue;
		k = i + 1 < prog->len && prog->text[i + 1] == '{' ? i + 2 :
		    i + 1;
		if (k + n <= prog->len && memcmp(prog->text + k, name, n) == 0 &&
		    (k + n == prog->len ||
		    !namechar((unsigned char)prog->text[k + n]))) {
			at.col += (unsigned)(i - at.off);
			at.off = i;
			break;
		}
	}
	return at;
}

/* The length of "$HOME" or "${HOME}" at t (n bytes), else 0. */
static size_t
home_ref(const char *t, size_t n)
{
	if (n >= 7 && memcmp(t, "${HOME}", 7) == 0)
		return 7;
	if (n >= 5 && memcmp(t, "$HOME", 5) == 0 && (n == 5 ||
	    !(isalnum((unsigned char)t[5]) || t[5] == '_')))
		return 5;
	return 0;
}

int
lint_known_text(const struct expr *e, struct buf *out, struct buf *why)
{
	const char *home = getenv("HOME"), *t, *end;
	size_t i, k;

	if (e == NULL || e->kind != E_STRING)
		return -1;
	for (i = 0; i < e->nparts; i++) {
		t = e->parts[i].text;
		end = t + e->parts[i].len;
		if (e->parts[i].kind == P_BT) {
			buf_adds(why, "a command's output");
			return -1;
		}
		if (e->parts[i].kind == P_SQ) {
			buf_add(out, t, e->parts[i].len);
			continue;
		}
		while (t < end) {
			if (*t != '$')
				buf_addc(out, *t++);
			else if (home != NULL &&
			    (k = home_ref(t, (size_t)(end - t))) > 0) {
				buf_adds(out, home);
				t += k;
			} else {
				for (k = 1; t + k < end && t[k] != '/'; k++)
					;
				buf_add(why, t, k);
				return -1;
			}
		}
	}
	buf_adds(out, "");
	return 0;
}

/* --- statements that can never run --------------------------------- */

static const struct stmt *list_end(const struct stmt *s);

/* Does s end the filter whichever way it goes? */
static int
ends(const struct stmt *s)
{
	switch (s->kind) {
	case S_TO:
	case S_EXIT:
		return 1;
	case S_IF:
		return s->otherwise != NULL && list_end(s->body) != NULL &&
		    list_end(s->otherwise) != NULL;
	case S_BLOCK:
	case S_DOTLOCK:
	case S_FLOCK:
		return list_end(s->body) != NULL;
	default:
		/* exception { to ... } falls through when the to fails. */
		return 0;
	}
}

/* The first statement of the list that always ends the filter. */
static const struct stmt *
list_end(const struct stmt *s)
{
	for (; s != NULL; s = s->next)
		if (ends(s))
			return s;
	return NULL;
}

/* In list order, so the warnings come out by line. */
static void
unreachable(struct lint *l, const struct program *prog, const struct stmt *s)
{
	const struct stmt *end = list_end(s);
	struct buf msg = BUF_INIT;

	if (end != NULL && end->next != NULL) {
		if (end->kind == S_TO || end->kind == S_EXIT)
			buf_printf(&msg, "this statement can never run: the "
			    "'%s' at %u:%u always ends the filter",
			    end->kind == S_TO ? "to" : "exit", end->pos.line,
			    end->pos.col);
		else
			buf_printf(&msg, "this statement can never run: every "
			    "way through the statement at %u:%u ends in 'to' "
			    "or 'exit'", end->pos.line, end->pos.col);
	}
	for (; s != NULL; s = s->next) {
		if (end != NULL && s == end->next)
			lint_warn(l, prog, s->pos, msg.p, "move it before the "
			    "statement that ends the filter, or use 'cc' there "
			    "to deliver and go on");
		unreachable(l, prog, s->body);
		unreachable(l, prog, s->otherwise);
	}
	buf_free(&msg);
}

/* --- patterns that look for encoded words --------------------------- */

/* Where re looks for "=?" or "?=" as text, else -1. */
static long
encoded_word_at(const char *re, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (re[i] == '=' && (re[i + 1] == '?' || (re[i + 1] == '\\' &&
		    i + 2 < n && re[i + 2] == '?')))
			return (long)i;
		/* "(?=" is a lookahead, not text */
		if (re[i] == '?' && re[i + 1] == '=' && (i == 0 ||
		    re[i - 1] != '('))
			return (long)(i > 0 && re[i - 1] == '\\' ? i - 1 : i);
	}
	return -1;
}

static void
encoded_patterns(struct lint *l, const struct program *prog,
    const struct expr *e)
{
	const struct pattern *p;
	struct pos at;
	long off;
	size_t i;

	if (e == NULL)
		return;
	p = e->pat;
	/* Message patterns over headers: bodies may quote such text. */
	if (e->kind == E_PATTERN && !((p->flags & PAT_B) &&
	    !(p->flags & (PAT_H | PAT_TOPH))) &&
	    (off = encoded_word_at(p->re, p->relen)) >= 0) {
		at = p->pos;
		at.col += (unsigned)off + 1;
		at.off += (size_t)off + 1;
		lint_warn(l, prog, at, "the pattern looks for an encoded word "
		    "(=?charset?...?=), but header lines are searched decoded: "
		    "it can never match", "match the decoded text instead, "
		    "e.g. /^Subject:.*Rechnung/ for "
		    "=?ISO-8859-1?Q?Rechnung?=");
	}
	encoded_patterns(l, prog, e->lhs);
	encoded_patterns(l, prog, e->rhs);
	for (i = 0; i < e->nargs; i++)
		encoded_patterns(l, prog, e->args[i]);
}

/* --- to and cc folders that are not there ---------------------------- */

static void
folder(struct lint *l, const struct program *prog, const struct stmt *s)
{
	struct buf text = BUF_INIT, path = BUF_INIT, why = BUF_INIT;
	struct buf msg = BUF_INIT, hint = BUF_INIT;
	const char *home = getenv("HOME"), *slash;
	struct stat st;
	size_t n;

	if ((s->kind != S_TO && s->kind != S_CC) ||
	    lint_known_text(s->expr, &text, &why) < 0 || text.len == 0 ||
	    text.p[0] == '|' || text.p[0] == '!' ||
	    (text.p[0] != '/' && home == NULL))
		goto out;
	/* In delivery mode a relative name is taken from the home. */
	if (text.p[0] != '/')
		buf_printf(&path, "%s/", home);
	buf_adds(&path, text.p);
	n = path.len;
	if (path.p[n - 1] == '/') {
		if (stat(path.p, &st) < 0)
			buf_printf(&msg, "the maildir %s does not exist: "
			    "delivery would fail", path.p);
		else if (mailbox_kind(path.p) != MB_MAILDIR)
			buf_printf(&msg, "%s is not a maildir (it needs tmp/, "
			    "new/ and cur/): delivery would fail", path.p);
		buf_printf(&hint, "create it: mkdir -p %s{cur,new,tmp}",
		    path.p);
	} else if (stat(path.p, &st) == 0) {
		if (S_ISDIR(st.st_mode) && mailbox_kind(path.p) != MB_MAILDIR)
			buf_printf(&msg, "%s is a directory but not a maildir, "
			    "so it would be opened as an mbox file and "
			    "delivery would fail", path.p);
		buf_printf(&hint, "for a maildir write \"%s/\" and create "
		    "it: mkdir -p %s/{cur,new,tmp}", text.p, path.p);
	} else if (errno == ENOENT && (slash = strrchr(path.p, '/')) != NULL &&
	    slash > path.p) {
		buf_add(&why, path.p, (size_t)(slash - path.p));
		if (stat(why.p, &st) < 0) {
			buf_printf(&msg, "neither the mbox %s nor its directory "
			    "exists: delivery would fail", path.p);
			buf_printf(&hint, "for a maildir write \"%s/\" and "
			    "create it: mkdir -p %s/{cur,new,tmp}; for an mbox "
			    "create its directory: mkdir -p %s", text.p, path.p,
			    why.p);
		}
	}
	if (msg.len > 0)
		lint_warn(l, prog, s->expr->pos, msg.p, hint.p);
out:
	buf_free(&text);
	buf_free(&path);
	buf_free(&why);
	buf_free(&msg);
	buf_free(&hint);
}

static void
walk(struct lint *l, const struct program *prog, const struct stmt *s)
{
	for (; s != NULL; s = s->next) {
		encoded_patterns(l, prog, s->expr);
		folder(l, prog, s);
		walk(l, prog, s->body);
		walk(l, prog, s->otherwise);
	}
}

void
lint_file(struct lint *l, const struct program *prog)
{
	l->progs = xrealloc(l->progs, (l->nprogs + 1) * sizeof(*l->progs));
	l->progs[l->nprogs++] = prog;
	unreachable(l, prog, prog->body);
	walk(l, prog, prog->body);
}

/* --- variables read but never set ------------------------------------ */

/*
 * What maildrop sets before the filter runs (LANGUAGE.md §6.2) or while
 * it runs (§6.3), and what delivery mode imports (§6.1).
 */
static const char *const maildrop_sets[] = {
	"HOME", "LOGNAME", "SHELL", "DEFAULT", "PATH", "SENDMAIL",
	"LOCKEXT", "LOCKSLEEP", "LOCKTIMEOUT", "LOCKREFRESH", "MAILDIRQUOTA",
	"UMASK", "FROM", "HOSTNAME", "MAILFILTER", "SIZE", "LINES",
	"EXITCODE", "RETURNCODE", "VERBOSE", "MATCH", "LANG", "LANGUAGE",
};

/* The names already known: set somewhere, or already warned about. */
struct names {
	const char	**v;
	size_t		 *len;
	size_t		  n;
};

static int
known(const struct names *k, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < nitems(maildrop_sets); i++)
		if (strlen(maildrop_sets[i]) == n &&
		    memcmp(maildrop_sets[i], name, n) == 0)
			return 1;
	/* $1.., MATCH1.., LC_*: set by maildrop too */
	for (i = n > 5 && memcmp(name, "MATCH", 5) == 0 ? 5 : 0; i < n &&
	    isdigit((unsigned char)name[i]); i++)
		;
	if (i == n || (n > 3 && memcmp(name, "LC_", 3) == 0))
		return 1;
	for (i = 0; i < k->n; i++)
		if (k->len[i] == n && memcmp(k->v[i], name, n) == 0)
			return 1;
	return 0;
}

static void
add_name(struct names *k, const char *name, size_t n)
{
	if (known(k, name, n))
		return;
	k->v = xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
	k->len = xrealloc(k->len, (k->n + 1) * sizeof(*k->len));
	k->v[k->n] = name;
	k->len[k->n++] = n;
}

static void
sets_expr(struct names *k, const struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->kind == E_ASSIGN)
		add_name(k, e->name, e->namelen);
	sets_expr(k, e->lhs);
	sets_expr(k, e->rhs);
	for (i = 0; i < e->nargs; i++)
		sets_expr(k, e->args[i]);
}

static void
sets_stmts(struct names *k, const struct stmt *s)
{
	for (; s != NULL; s = s->next) {
		sets_expr(k, s->expr);
		/* import NAME: from the environment, set or not */
		if (s->kind == S_IMPORT && s->expr != NULL &&
		    s->expr->kind == E_STRING && s->expr->nparts == 1)
			add_name(k, s->expr->parts[0].text,
			    s->expr->parts[0].len);
		sets_stmts(k, s->body);
		sets_stmts(k, s->otherwise);
	}
}

/* The $NAME and ${NAME} reads of one piece of text. */
static void
reads_text(struct lint *l, const struct program *prog, struct names *k,
    const struct part *p)
{
	struct buf msg = BUF_INIT;
	const char *t = p->text, *name;
	size_t i = 0, j, n;

	while (i < p->len) {
		if (t[i] == '\\') {
			i += 2;
			continue;
		}
		if (t[i++] != '$' || i == p->len)
			continue;
		if (t[i] == '{') {
			for (j = i + 1; j < p->len && t[j] != '}'; j++)
				;
			name = t + i + 1;
			n = j - i - 1;
		} else {
			for (j = i; j < p->len && namechar((unsigned char)t[j]);
			    j++)
				;
			name = t + i;
			n = j - i;
		}
		if (n == 0 || known(k, name, n))
			continue;
		buf_reset(&msg);
		buf_printf(&msg, "$%.*s is read but never set: not by this "
		    "filter or its includes, not by maildroprc, not by "
		    "maildrop; it is always empty", (int)n, name);
		lint_warn(l, prog, lint_ref_pos(prog, p->pos, name, n), msg.p,
		    "set it before it is read, or check the name's spelling "
		    "(only manual mode, runnel FILE, imports the environment)");
		add_name(k, name, n);	/* once per name */
	}
	buf_free(&msg);
}

static void
reads_expr(struct lint *l, const struct program *prog, struct names *k,
    const struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->kind == E_STRING)
		for (i = 0; i < e->nparts; i++)
			if (e->parts[i].kind == P_WORD ||
			    e->parts[i].kind == P_DQ)
				reads_text(l, prog, k, &e->parts[i]);
	reads_expr(l, prog, k, e->lhs);
	reads_expr(l, prog, k, e->rhs);
	for (i = 0; i < e->nargs; i++)
		reads_expr(l, prog, k, e->args[i]);
}

static void
reads_stmts(struct lint *l, const struct program *prog, struct names *k,
    const struct stmt *s)
{
	for (; s != NULL; s = s->next) {
		/* import NAME and unset NAME name a variable, not read it */
		if (s->kind != S_IMPORT && s->kind != S_UNSET)
			reads_expr(l, prog, k, s->expr);
		reads_stmts(l, prog, k, s->body);
		reads_stmts(l, prog, k, s->otherwise);
	}
}

void
lint_unset_vars(struct lint *l)
{
	struct names k;
	size_t i;

	memset(&k, 0, sizeof(k));
	if (l->rc != NULL)
		sets_stmts(&k, l->rc->body);
	for (i = 0; i < l->nprogs; i++)
		sets_stmts(&k, l->progs[i]->body);
	for (i = 0; i < l->nprogs; i++)
		reads_stmts(l, l->progs[i], &k, l->progs[i]->body);
	free(k.v);
	free(k.len);
}
