/*
 * vars.c: filter variables in one chained hash table.  Names and values
 * are byte strings (a name may hold a space or '=', LANGUAGE.md §3.2), so
 * both carry lengths; the table grows by doubling so a filter that builds
 * thousands of names in a loop stays linear.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../grammar/arena.h"
#include "vars.h"

struct var {
	struct var	*next;
	char		*name;
	size_t		 namelen;
	struct buf	 value;
};

struct vars {
	struct var	**slot;
	size_t		 nslot, n;
	size_t		 bytes;		/* names and values, for the budget */
};

/* FNV-1a: short keys, no adversary worth a keyed hash here. */
static size_t
hash(const char *s, size_t n)
{
	size_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

struct vars *
vars_new(void)
{
	struct vars *v = xcalloc(1, sizeof(*v));

	v->nslot = 64;
	v->slot = xcalloc(v->nslot, sizeof(*v->slot));
	return v;
}

void
vars_free(struct vars *v)
{
	struct var *p, *next;
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nslot; i++)
		for (p = v->slot[i]; p != NULL; p = next) {
			next = p->next;
			free(p->name);
			buf_free(&p->value);
			free(p);
		}
	free(v->slot);
	free(v);
}

static struct var **
find(const struct vars *v, const char *name, size_t namelen)
{
	struct var **pp;

	pp = &v->slot[hash(name, namelen) & (v->nslot - 1)];
	for (; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->namelen == namelen &&
		    memcmp((*pp)->name, name, namelen) == 0)
			break;
	return pp;
}

static void
grow(struct vars *v)
{
	struct var **old = v->slot, *p, *next;
	size_t i, oldn = v->nslot;

	v->nslot *= 2;
	v->slot = xcalloc(v->nslot, sizeof(*v->slot));
	for (i = 0; i < oldn; i++)
		for (p = old[i]; p != NULL; p = next) {
			size_t h = hash(p->name, p->namelen) & (v->nslot - 1);

			next = p->next;
			p->next = v->slot[h];
			v->slot[h] = p;
		}
	free(old);
}

const struct buf *
vars_get(const struct vars *v, const char *name, size_t namelen)
{
	struct var *p = *find(v, name, namelen);

	return p != NULL ? &p->value : NULL;
}

const char *
vars_str(const struct vars *v, const char *name)
{
	const struct buf *b = vars_get(v, name, strlen(name));

	return b != NULL && b->p != NULL ? b->p : "";
}

long
vars_num(const struct vars *v, const char *name, long def)
{
	const char *s = vars_str(v, name);
	char *end;
	long n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return def;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || n < 0)
		return def;
	return n;
}

void
vars_set(struct vars *v, const char *name, size_t namelen,
    const char *value, size_t len)
{
	struct var **pp = find(v, name, namelen), *p;

	if ((p = *pp) == NULL) {
		if (v->n >= v->nslot) {
			grow(v);
			pp = find(v, name, namelen);
		}
		p = xcalloc(1, sizeof(*p));
		p->name = xstrndup(name, namelen);
		p->namelen = namelen;
		*pp = p;
		v->n++;
		v->bytes += namelen;
	}
	v->bytes = v->bytes - p->value.len + len;
	/* value may point into the old value (X="$X"): copy first. */
	if (value >= p->value.p && p->value.p != NULL &&
	    value < p->value.p + p->value.cap) {
		struct buf tmp = BUF_INIT;

		buf_set(&tmp, value, len);
		buf_free(&p->value);
		p->value = tmp;
		return;
	}
	buf_set(&p->value, value, len);
	if (p->value.p == NULL)
		buf_set(&p->value, "", 0);
}

void
vars_setb(struct vars *v, const char *name, size_t namelen,
    const struct buf *value)
{
	struct buf tmp = BUF_INIT;
	struct var *p;

	/* value may be the variable's own (X=$X): copy first. */
	buf_copy(&tmp, value);
	vars_set(v, name, namelen, "", 0);
	p = *find(v, name, namelen);
	buf_free(&p->value);
	p->value = tmp;
	v->bytes += p->value.len;
	if (p->value.p == NULL)
		buf_set(&p->value, "", 0);
}

void
vars_mark(struct vars *v, const char *name, size_t namelen)
{
	struct var *p = *find(v, name, namelen);

	if (p != NULL && p->value.len > 0)
		buf_mark(&p->value, 0, p->value.len);
}

void
vars_sets(struct vars *v, const char *name, const char *value)
{
	vars_set(v, name, strlen(name), value, strlen(value));
}

void
vars_unset(struct vars *v, const char *name, size_t namelen)
{
	struct var **pp = find(v, name, namelen), *p;

	if ((p = *pp) == NULL)
		return;
	*pp = p->next;
	v->bytes -= p->namelen + p->value.len;
	free(p->name);
	buf_free(&p->value);
	free(p);
	v->n--;
}

size_t
vars_bytes(const struct vars *v)
{
	return v->bytes;
}

/*
 * A name holding '=' or a NUL cannot be passed through execve: the child
 * would read a different variable.  Such names are left out, as are
 * values holding a NUL (cut there, as the C string would be).
 */
char **
vars_environ(const struct vars *v)
{
	char **env = xcalloc(v->n + 1, sizeof(*env));
	struct var *p;
	size_t i, k = 0;

	for (i = 0; i < v->nslot; i++)
		for (p = v->slot[i]; p != NULL; p = p->next) {
			size_t vlen = p->value.p ? strlen(p->value.p) : 0;
			char *s;

			if (p->namelen == 0 ||
			    memchr(p->name, '=', p->namelen) != NULL ||
			    memchr(p->name, '\0', p->namelen) != NULL)
				continue;
			s = xmalloc(p->namelen + vlen + 2);
			memcpy(s, p->name, p->namelen);
			s[p->namelen] = '=';
			memcpy(s + p->namelen + 1, p->value.p ? p->value.p :
			    "", vlen);
			s[p->namelen + 1 + vlen] = '\0';
			env[k++] = s;
		}
	env[k] = NULL;
	return env;
}

void
vars_envfree(char **env)
{
	char **e;

	if (env == NULL)
		return;
	for (e = env; *e != NULL; e++)
		free(*e);
	free(env);
}

void
vars_each(const struct vars *v, void (*fn)(void *, const char *, size_t,
    const struct buf *), void *arg)
{
	struct var *p;
	size_t i;

	for (i = 0; i < v->nslot; i++)
		for (p = v->slot[i]; p != NULL; p = p->next)
			fn(arg, p->name, p->namelen, &p->value);
}
