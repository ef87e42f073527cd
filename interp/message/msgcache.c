/*
 * msgcache.c: the search text of a message, kept once made (msgscan.c
 * makes it, msg_free() drops it): one text buffer and the list of its
 * lines, each marked with what it belongs to, so a pattern asking for
 * the body alone is handed the body's lines alone.
 */
#include <stdlib.h>
#include <string.h>

#include "../../grammar/arena.h"
#include "msg_internal.h"

size_t
msg_cache_add(struct msg_cache *c, const char *p, size_t n, unsigned what)
{
	if (c->n == c->cap) {
		c->cap = c->cap > 0 ? c->cap * 2 : 32;
		c->line = xrealloc(c->line, c->cap * sizeof(*c->line));
	}
	c->line[c->n].off = (size_t)(p - c->text.p);
	c->line[c->n].len = n;
	c->line[c->n].what = what;
	c->n++;
	return c->text.cap + c->cap * sizeof(*c->line);
}

int
msg_cache_replay(const struct msg_cache *c, unsigned what,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++)
		if ((c->line[i].what & what) != 0 && (rc = fn(arg,
		    c->text.p + c->line[i].off, c->line[i].len)) != 0)
			return rc;
	return 0;
}

void
msg_cache_free(struct msg_cache *c)
{
	buf_free(&c->text);
	free(c->line);
	free(c->pairs);
	memset(c, 0, sizeof(*c));
}
