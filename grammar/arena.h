/*
 * arena.h: memory for a process that lives milliseconds.  Everything the
 * parser builds lives in one arena until exit; the evaluator resets a
 * scratch arena per statement.  One out-of-memory path: xalloc_fail().
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk	*head;	/* newest chunk first */
};

/* A position to return to with arena_reset(). */
struct arena_mark {
	struct arena_chunk	*chunk;
	size_t			 used;
};

void		 arena_init(struct arena *);
void		*arena_alloc(struct arena *, size_t);	/* zeroed, aligned */
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_strdup(struct arena *, const char *);
struct arena_mark arena_mark(struct arena *);
void		 arena_reset(struct arena *, struct arena_mark);
void		 arena_free(struct arena *);

/* Heap allocation that never returns NULL: on failure xalloc_fail() runs. */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);

/*
 * Called when memory runs out.  interp/ installs a hook that removes temp
 * files; then the process exits EX_TEMPFAIL so the MTA retries.
 */
void		 xalloc_set_fail_hook(void (*)(void));
_Noreturn void	 xalloc_fail(void);

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#endif
