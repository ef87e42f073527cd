/*
 * arena.c: bump allocation in chunks; nothing is freed node by node.
 * Test builds can make the Nth allocation fail (RUNNEL_FAIL_ALLOC=N) to
 * check that running out of memory ends in exit 75 and no lost mail.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "arena.h"

#define CHUNK_MIN	(64 * 1024)
#define ALIGN		16

struct arena_chunk {
	struct arena_chunk	*prev;
	size_t			 size, used;
	_Alignas(16) unsigned char data[];
};

static void (*fail_hook)(void);

void
xalloc_set_fail_hook(void (*hook)(void))
{
	fail_hook = hook;
}

_Noreturn void
xalloc_fail(void)
{
	static const char msg[] = "runnel: out of memory\n";

	if (fail_hook != NULL)
		fail_hook();
	fwrite(msg, 1, sizeof(msg) - 1, stderr);
	exit(EX_TEMPFAIL);
}

static void *
checked(void *p)
{
	if (p == NULL)
		xalloc_fail();
	return p;
}

void *
xmalloc(size_t n)
{
	return checked(malloc(n ? n : 1));
}

void *
xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *
xrealloc(void *p, size_t n)
{
	return checked(realloc(p, n ? n : 1));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void
arena_init(struct arena *a)
{
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void *p;

	if (need < n)
		xalloc_fail();
	if (c == NULL || c->size - c->used < need) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;

		c = xmalloc(sizeof(*c) + size);
		c->prev = a->head;
		c->size = size;
		c->used = 0;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

struct arena_mark
arena_mark(struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->used : 0 };

	return m;
}

void
arena_reset(struct arena *a, struct arena_mark m)
{
	while (a->head != m.chunk) {
		struct arena_chunk *prev = a->head->prev;

		free(a->head);
		a->head = prev;
	}
	if (a->head != NULL)
		a->head->used = m.used;
}

void
arena_free(struct arena *a)
{
	struct arena_mark none = { NULL, 0 };

	arena_reset(a, none);
}
