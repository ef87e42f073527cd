/*
 * shell.c: message text is data, never shell code (DIFFERENCES.md B24).
 *
 * A command string (a "|..." delivery, xfilter, system) is built by $
 * substitution, and the values substituted may hold text that came from
 * the message: those bytes are marked (grammar/buf.h).  maildrop hands
 * the string to the shell as it is, so a Subject of "x; rm -rf ~" runs.
 * Here the marked bytes are quoted for the place they land in, found by
 * following the shell's quoting through the filter author's own bytes:
 *
 *   bare word	one single-quoted word: 'it'\''s'
 *   '...'	the quote closed, escaped and reopened: it'\''s
 *   "..."	\ before " $ ` and \
 *   # comment	newlines become spaces, so the comment cannot end early
 *
 * inside `...` (old-style command substitution, whose body the shell
 * reads once more after undoing \\, \` and \$) the quoted text gets one
 * more \ before each of those, per level.  Text the author wrote, and
 * values they set from literals or the environment, are not marked and
 * go in as before, so a filter that builds its commands from its own
 * text runs exactly as under maildrop.
 */
#include <string.h>

#include "../../grammar/buf.h"
#include "../run/effects.h"
#include "eval.h"

enum quote {
	Q_NONE,		/* bare words */
	Q_SQ,		/* inside '...' */
	Q_DQ,		/* inside "..." */
	Q_COMMENT	/* after a '#' that starts a word, to the newline */
};

/* One level of nesting: the whole command, `...` or $(...). */
struct level {
	enum quote	 q;
	int		 bt;		/* opened by a backquote */
	int		 parens;	/* '(' open inside $(...) */
};

#define LEVELS_MAX	32

struct sh {
	struct level	 v[LEVELS_MAX];
	size_t		 n;		/* v[n - 1] is the current level */
	size_t		 over;		/* levels past LEVELS_MAX */
	int		 escaped;	/* the last byte was an unpaired '\' */
	int		 word_start;	/* the next byte starts a word */
};

static struct level *
cur(struct sh *s)
{
	return &s->v[s->n - 1];
}

static void
push(struct sh *s, int bt)
{
	if (s->n == LEVELS_MAX) {
		s->over++;
		return;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	s->v[s->n].bt = bt;
	s->n++;
}

static void
pop(struct sh *s)
{
	if (s->over > 0)
		s->over--;
	else if (s->n > 1)
		s->n--;
}

static int
breaks_word(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	    c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

/* Follow the shell through one byte the author wrote (next: the byte
   after it, or -1). */
static void
step(struct sh *s, int c, int next, int *skip_next)
{
	struct level *l = cur(s);
	int start = s->word_start;

	*skip_next = 0;
	s->word_start = 0;
	if (s->escaped) {
		s->escaped = 0;
		return;
	}
	/* In `...` the shell looks for the closing ` before any quote. */
	if (l->bt && c == '`') {
		pop(s);
		return;
	}
	if (l->bt && c == '\\' && l->q != Q_NONE && l->q != Q_DQ) {
		s->escaped = 1;
		return;
	}
	switch (l->q) {
	case Q_COMMENT:
		if (c == '\n') {
			l->q = Q_NONE;
			s->word_start = 1;
		}
		return;
	case Q_SQ:
		if (c == '\'')
			l->q = Q_NONE;
		return;
	case Q_DQ:
		if (c == '\\')
			s->escaped = 1;
		else if (c == '"')
			l->q = Q_NONE;
		else if (c == '`')
			push(s, 1);
		else if (c == '$' && next == '(') {
			*skip_next = 1;
			push(s, 0);
			s->word_start = 1;
		}
		return;
	case Q_NONE:
		break;
	}
	if (c == '\\')
		s->escaped = 1;
	else if (c == '\'')
		l->q = Q_SQ;
	else if (c == '"')
		l->q = Q_DQ;
	else if (c == '`') {
		push(s, 1);
		s->word_start = 1;
	} else if (c == '$' && next == '(') {
		*skip_next = 1;
		push(s, 0);
		s->word_start = 1;
	} else if (c == '(' && s->n > 1 && !l->bt) {
		l->parens++;
		s->word_start = 1;
	} else if (c == ')' && s->n > 1 && !l->bt) {
		if (l->parens > 0)
			l->parens--;
		else
			pop(s);
	} else if (c == '#' && start)
		l->q = Q_COMMENT;
	else if (breaks_word(c))
		s->word_start = 1;
}

/* The marked bytes t[0, n), quoted for level q, appended to out. */
static void
quote(enum quote q, const char *t, size_t n, struct buf *out)
{
	size_t i;

	if (q == Q_NONE)
		buf_addc(out, '\'');
	for (i = 0; i < n; i++) {
		char c = t[i];

		if (c == '\0')
			continue;	/* would cut the command short */
		if ((q == Q_NONE || q == Q_SQ) && c == '\'')
			buf_adds(out, "'\\''");
		else if (q == Q_DQ && strchr("\"$`\\", c) != NULL) {
			buf_addc(out, '\\');
			buf_addc(out, c);
		} else if (q == Q_COMMENT && (c == '\n' || c == '\r'))
			buf_addc(out, ' ');
		else
			buf_addc(out, c);
	}
	if (q == Q_NONE)
		buf_addc(out, '\'');
}

/* What the shell undoes once per `...` level around the text, redone. */
static void
escape_for_backquotes(struct buf *b)
{
	struct buf t = BUF_INIT;
	size_t i;

	for (i = 0; i < b->len; i++) {
		if (b->p[i] == '\\' || b->p[i] == '`' || b->p[i] == '$')
			buf_addc(&t, '\\');
		buf_addc(&t, b->p[i]);
	}
	buf_free(b);
	*b = t;
}

static void
add_marked(struct sh *s, const char *t, size_t n, struct buf *out)
{
	struct buf q = BUF_INIT;
	size_t i;

	/*
	 * A '\' the author left just before message text would escape our
	 * opening quote; the quoting makes every byte literal anyway.
	 */
	if (s->escaped && out->len > 0 && out->p[out->len - 1] == '\\') {
		out->len--;
		out->p[out->len] = '\0';
	}
	s->escaped = 0;
	quote(cur(s)->q, t, n, &q);
	for (i = 0; i < s->n; i++)
		if (s->v[i].bt)
			escape_for_backquotes(&q);
	buf_add(out, q.p != NULL ? q.p : "", q.len);
	buf_free(&q);
	s->word_start = 0;
}

static int
marked_at(const struct buf *v, size_t i)
{
	size_t k;

	for (k = 0; k < v->nmark; k++)
		if (v->mark[k].off <= i && i - v->mark[k].off < v->mark[k].len)
			return 1;
	return 0;
}

size_t
shell_quote_marked(const struct buf *v, struct buf *out)
{
	struct sh s;
	size_t i = 0, j, nquoted = 0;
	int skip;

	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.word_start = 1;
	buf_reset(out);
	while (i < v->len) {
		if (marked_at(v, i)) {
			for (j = i + 1; j < v->len && marked_at(v, j); j++)
				;
			add_marked(&s, v->p + i, j - i, out);
			nquoted++;
			i = j;
			continue;
		}
		buf_addc(out, v->p[i]);
		step(&s, (unsigned char)v->p[i], i + 1 < v->len &&
		    !marked_at(v, i + 1) ? (unsigned char)v->p[i + 1] : -1,
		    &skip);
		i++;
		if (skip) {
			buf_addc(out, v->p[i]);
			i++;
		}
	}
	if (out->p == NULL)
		buf_set(out, "", 0);
	return nquoted;
}

void
eval_command(struct run *r, const struct pos *at, const struct buf *v,
    struct buf *cmd)
{
	if (shell_quote_marked(v, cmd) > 0 && r->notes)
		r->fx->note(r, at, "note: message text in this command is "
		    "quoted as data; maildrop would run it as shell code "
		    "(DIFFERENCES.md B24)");
}

void
eval_target(struct run *r, const struct pos *at, struct buf *target)
{
	struct buf t = BUF_INIT;

	if (target->len == 0)
		return;
	if (target->p[0] == '|' && marked_at(target, 0)) {
		/*
		 * The message chose the '|': it names a mailbox, it does
		 * not choose a command to run.
		 */
		buf_adds(&t, "./");
		buf_addb(&t, target);
		buf_free(target);
		*target = t;
		if (r->notes)
			r->fx->note(r, at, "note: the '|' came from the "
			    "message: a mailbox of that name, not a command "
			    "(DIFFERENCES.md B24)");
		return;
	}
	if (target->p[0] == '|') {
		eval_command(r, at, target, &t);
		buf_free(target);
		*target = t;
	} else if (target->p[0] == '!' && buf_marked(target) &&
	    r->notes)
		r->fx->note(r, at, "note: message text in these addresses; "
		    "maildrop would hand them to the shell, runnel gives "
		    "each to SENDMAIL as one argument (DIFFERENCES.md B8, "
		    "B24)");
}
