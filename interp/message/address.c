/*
 * address.c: address lists read the way maildrop 2.9.3 reads them
 * (courier's rfc822 tokenizer and parser), because getaddr, hasaddr and
 * the text patterns see must agree with it byte for byte: tokens first
 * (atoms, quoted strings, comments, one-character specials), then
 * mailboxes (name <route-addr>, old-style addr (comment), group: ... ;),
 * then re-rendering.  Broken input is never an error; what does not fit
 * a rule is carried along or skipped, as maildrop does.
 *
 * Rendering quirks kept for compatibility [observed 2.9.3]:
 *   (Carol) <c@d>       ->  "(Carol)" <c@d>   (a comment before < stays)
 *   G: a@b;, c@d        ->  G: a@b;c@d        (no ", " after a group)
 *   "x\"y" <e@f>        ->  "x"y" <e@f>       (quotes are not escaped)
 *   "" <q@r>, <>        ->  q@r,              (empty names, addresses)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../grammar/arena.h"
#include "address.h"
#include "msg_internal.h"

/* token kinds: 0 atom, '"' quoted string, '(' comment, else a special */
struct tok {
	int		 kind;
	const char	*p;		/* quoted: inside the quotes */
	size_t		 len;
};

struct mbox {
	struct tok	*name;		/* display name tokens, or NULL */
	size_t		 nname;
	struct tok	*addr;		/* NULL: group name or ';' */
	size_t		 naddr;
};

struct alist {
	struct tok	*t;
	size_t		 nt, capt;
	struct mbox	*a;
	size_t		 na, capa;
};

static const char specials[] = "<>@,;:.[]()%!\"\\?=/";
#define RFC822_SPECIALS	"()<>[]:;@\\,.\""

/* strchr(3) would find a NUL byte in any set: message bytes may be NUL. */
static int
is_in(const char *set, char c)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static int
is_atom(int kind)
{
	return kind == 0 || kind == '"' || kind == '(';
}

static void
add_tok(struct alist *l, int kind, const char *p, size_t len)
{
	if (l->nt == l->capt) {
		l->capt = l->capt ? l->capt * 2 : 16;
		l->t = xrealloc(l->t, l->capt * sizeof(*l->t));
	}
	l->t[l->nt].kind = kind;
	l->t[l->nt].p = p;
	l->t[l->nt].len = len;
	l->nt++;
}

/* Is "=?...?=" at p an encoded word with no blank or special inside? */
static size_t
encoded_atom(const char *p, size_t n)
{
	size_t j;

	if (n < 2 || p[0] != '=' || p[1] != '?')
		return 0;
	for (j = 2; j < n; j++) {
		if (p[j] == '?' && j + 1 < n && p[j + 1] == '=')
			return j + 2;
		if (p[j] == '?' || p[j] == '=')
			continue;
		if (is_in(RFC822_SPECIALS, p[j]) ||
		    isspace((unsigned char)p[j]))
			return 0;
	}
	return 0;
}

static void
tokenize(struct alist *l, const char *p, size_t n)
{
	size_t i = 0, start, k;
	int level, inbracket = 0;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];

		if (isspace(c)) {
			i++;
			continue;
		}
		switch (c) {
		case '(':
			/* A comment keeps its parentheses; nesting counts. */
			start = i;
			for (level = 0; i < n; i++) {
				if (p[i] == '(')
					level++;
				if (p[i] == ')' && --level == 0) {
					i++;
					break;
				}
				if (p[i] == '\\' && i + 1 < n)
					i++;
			}
			if (level > 0) {	/* unterminated */
				add_tok(l, '"', p + start, i - start);
				return;
			}
			add_tok(l, '(', p + start, i - start);
			continue;
		case '"':
			start = ++i;
			while (i < n && p[i] != '"') {
				if (p[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			add_tok(l, '"', p + start, (i < n ? i : n) - start);
			i++;
			continue;
		case '\\':
		case ')':
			i++;		/* stray: skipped */
			continue;
		case '=':
			if ((k = encoded_atom(p + i, n - i)) > 0) {
				add_tok(l, 0, p + i, k);
				i += k;
				continue;
			}
			/* FALLTHROUGH */
		case '<': case '>': case '@': case ',': case ';': case ':':
		case '.': case '[': case ']': case '%': case '!': case '?':
		case '/':
			if ((c == '<' && inbracket) || (c == '>' && !inbracket)) {
				i++;
				continue;
			}
			if (c == '<')
				inbracket = 1;
			if (c == '>')
				inbracket = 0;
			add_tok(l, c, p + i, 1);
			if (c == '<' && i + 1 < n && p[i + 1] == '>')
				add_tok(l, 0, p + i + 1, 0);	/* <>: null */
			i++;
			continue;
		default:
			start = i;
			while (i < n && !isspace((unsigned char)p[i]) &&
			    !is_in(specials, p[i]))
				i++;
			add_tok(l, 0, p + start, i - start);
		}
	}
}

static struct mbox *
add_mbox(struct alist *l)
{
	if (l->na == l->capa) {
		l->capa = l->capa ? l->capa * 2 : 8;
		l->a = xrealloc(l->a, l->capa * sizeof(*l->a));
	}
	memset(&l->a[l->na], 0, sizeof(l->a[0]));
	return &l->a[l->na++];
}

/*
 * mailbox lists: group-name ":" | ";" | phrase "<" route-addr ">" |
 * addr-spec [comment].  Tokens are rewritten in place as courier does:
 * a name that is not all atoms and comments becomes one quoted string
 * spanning it, and the last comment of an old-style address its name.
 */
static void
parse(struct alist *l)
{
	struct tok *t = l->t;
	size_t n = l->nt, i, j, k;
	struct mbox *m;
	int flag, have;
	struct tok save;

	while (n > 0) {
		for (i = 0; i < n; i++)
			if (t[i].kind != 0 && t[i].kind != '"')
				break;
		if (i < n && t[i].kind == ':') {
			i++;
			m = add_mbox(l);
			m->name = t;
			m->nname = i;
			t += i;
			n -= i;
			continue;
		}
		if (t->kind == ',' || t->kind == ';') {
			if (t->kind == ';') {
				m = add_mbox(l);
				m->name = t;
				m->nname = 1;
			}
			t++;
			n--;
			continue;
		}
		for (i = 0; i < n && t[i].kind != ';' && t[i].kind != ',' &&
		    t[i].kind != '<'; i++)
			;
		if (i < n && t[i].kind == '<') {
			m = add_mbox(l);
			for (j = 0; j < i && (t[j].kind == 0 ||
			    t[j].kind == '('); j++)
				;
			if (j == i) {
				m->name = i > 0 ? t : NULL;
				m->nname = i;
			} else {
				t[0].len = (size_t)(t[i - 1].p + t[i - 1].len -
				    t[0].p);
				t[0].kind = '"';
				m->name = t;
				m->nname = 1;
			}
			for (k = 0; k < m->nname; k++)
				if (m->name[k].kind == '(')
					m->name[k].kind = '"';
			i++;
			t += i;
			n -= i;
			for (i = 0; i < n && t[i].kind != '>'; i++)
				;
			m->addr = i > 0 ? t : NULL;
			m->naddr = i;
			t += i;
			n -= i;
			if (n > 0) {
				t++;
				n--;
			}
			continue;
		}
		/* Old style: ends at , or ; or two atoms in a row. */
		flag = 0;
		for (i = 0; i < n && t[i].kind != ',' && t[i].kind != ';';
		    i++) {
			if (t[i].kind == '(')
				continue;
			if (t[i].kind == 0 || t[i].kind == '"') {
				if (flag)
					break;
				flag = 1;
			} else
				flag = 0;
		}
		if (i == 0) {
			t++;
			n--;
			continue;
		}
		m = add_mbox(l);
		have = 0;
		memset(&save, 0, sizeof(save));
		for (j = k = 0; j < i; j++) {
			if (t[j].kind == '(') {
				save = t[j];
				have = 1;
				continue;
			}
			t[k++] = t[j];
		}
		if (have) {
			t[i - 1] = save;
			m->name = &t[i - 1];
			m->nname = 1;
		}
		m->addr = k > 0 ? t : NULL;
		m->naddr = k;
		t += i;
		n -= i;
	}
}

/* rfc822_gettok: tokens printed back, a blank between two atoms. */
static void
print_tokens(const struct tok *t, size_t n, struct buf *out)
{
	size_t i, k;
	int prev = 0, cur;

	for (i = 0; i < n; i++, prev = cur) {
		cur = is_atom(t[i].kind);
		if (prev && cur)
			buf_addc(out, ' ');
		if (t[i].kind == 0 || t[i].kind == '(') {
			buf_add(out, t[i].p, t[i].len);
		} else if (t[i].kind != '"') {
			buf_addc(out, t[i].kind);
		} else {
			buf_addc(out, '"');
			for (k = 0; k < t[i].len; k++) {
				if (t[i].p[k] == '"' || (t[i].p[k] == '\\' &&
				    k + 1 == t[i].len))
					buf_addc(out, '\\');
				if (t[i].p[k] == '\\' && k + 1 < t[i].len)
					buf_addc(out, t[i].p[k++]);
				buf_addc(out, t[i].p[k]);
			}
			buf_addc(out, '"');
		}
	}
	buf_add(out, "", 0);
}

/* Append s without its backslash escapes. */
static void
unescape(const char *s, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		buf_addc(out, s[i]);
	}
}

/* rfc822_display_name: the name as UTF-8, encoded words decoded. */
static void
display_name(const struct mbox *m, struct buf *out)
{
	struct buf raw = BUF_INIT;
	size_t i, len;
	int prev = 0, cur;
	const struct tok *t;

	for (i = 0; i < m->nname; i++, prev = cur) {
		t = &m->name[i];
		cur = is_atom(t->kind);
		if (cur && prev)
			buf_addc(out, ' ');
		if (t->kind == '"' || t->kind == '(') {
			buf_reset(&raw);
			if (t->kind == '(')
				unescape(t->p + 1, t->len > 2 ? t->len - 2 : 0,
				    &raw);
			else
				unescape(t->p, t->len, &raw);
			rfc2047_decode(raw.p != NULL ? raw.p : "", raw.len,
			    out);
			continue;
		}
		if (t->kind != 0) {
			buf_addc(out, t->kind);
			continue;
		}
		if (encoded_atom(t->p, t->len) != t->len || t->len == 0) {
			utf8_repair(t->p, t->len, out);
			continue;
		}
		rfc2047_decode(t->p, t->len, out);
		/* Two encoded words in a row: no blank between them. */
		if (i + 1 < m->nname && m->name[i + 1].kind == 0 &&
		    (len = encoded_atom(m->name[i + 1].p,
		    m->name[i + 1].len)) > 0 && len == m->name[i + 1].len)
			cur = 0;
	}
	buf_free(&raw);
	buf_add(out, "", 0);
}

static void
alist_free(struct alist *l)
{
	free(l->t);
	free(l->a);
}

static void
alist_read(struct alist *l, const char *s, size_t n)
{
	memset(l, 0, sizeof(*l));
	tokenize(l, s, n);
	parse(l);
}

void
addr_parse(const char *s, size_t n,
    void (*fn)(void *arg, const struct address *), void *arg)
{
	struct alist l;
	struct buf a = BUF_INIT, name = BUF_INIT;
	struct address ad;
	size_t i;

	alist_read(&l, s, n);
	for (i = 0; i < l.na; i++) {
		if (l.a[i].addr == NULL)
			continue;	/* group name or ';' */
		buf_reset(&a);
		buf_reset(&name);
		print_tokens(l.a[i].addr, l.a[i].naddr, &a);
		ad.addr = a.p;
		ad.addrlen = a.len;
		ad.name = NULL;
		ad.namelen = 0;
		if (l.a[i].name != NULL) {
			display_name(&l.a[i], &name);
			ad.name = name.p;
			ad.namelen = name.len;
		}
		fn(arg, &ad);
	}
	buf_free(&a);
	buf_free(&name);
	alist_free(&l);
}

/* rfc2047_print_unicodeaddr, as 2.9.3 renders an address field. */
void
addr_render(const char *s, size_t n, struct buf *out)
{
	struct alist l;
	struct buf name = BUF_INIT, a = BUF_INIT;
	const char *sep = NULL;
	size_t i, k;
	const struct mbox *m;

	alist_read(&l, s, n);
	for (i = 0; i < l.na; i++) {
		m = &l.a[i];
		buf_reset(&name);
		if (m->name != NULL)
			display_name(m, &name);
		if (m->addr == NULL) {
			if (name.len == 1)	/* ";" */
				sep = NULL;
			if (sep != NULL)
				buf_adds(out, sep);
			buf_add(out, name.p, name.len);
			if (name.len > 1)
				buf_addc(out, ' ');
			sep = NULL;
			continue;
		}
		if (sep != NULL)
			buf_adds(out, sep);
		if (name.len > 0) {
			if (strpbrk(name.p, RFC822_SPECIALS) != NULL) {
				/*
				 * A quoted string again, so the field stays
				 * an address list: '"' and '\\' escaped, also
				 * where an encoded word made them.
				 */
				buf_addc(out, '"');
				for (k = 0; k < name.len; k++) {
					if (name.p[k] == '"' ||
					    name.p[k] == '\\')
						buf_addc(out, '\\');
					buf_addc(out, name.p[k]);
				}
				buf_addc(out, '"');
			} else {
				buf_add(out, name.p, name.len);
			}
			buf_adds(out, " <");
		}
		buf_reset(&a);
		print_tokens(m->addr, m->naddr, &a);
		utf8_repair(a.p, a.len, out);
		if (name.len > 0)
			buf_addc(out, '>');
		sep = ", ";
	}
	buf_add(out, "", 0);
	buf_free(&name);
	buf_free(&a);
	alist_free(&l);
}
