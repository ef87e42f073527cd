/*
 * vars.h: filter variables.  Names are arbitrary byte strings, values own
 * their bytes.  All of them are the environment of every child process.
 */
#ifndef VARS_H
#define VARS_H

#include <stddef.h>

#include "../../grammar/buf.h"

struct vars;

struct vars	*vars_new(void);
void		 vars_free(struct vars *);

/* NULL when unset. */
const struct buf *vars_get(const struct vars *, const char *name,
		    size_t namelen);
/* Convenience for C names: "" when unset. */
const char	*vars_str(const struct vars *, const char *name);
/*
 * A variable as a non-negative integer (LOCKSLEEP, UNICODE): blanks, then
 * digits; def when unset, not a number or out of range.
 */
long		 vars_num(const struct vars *, const char *name, long def);
void		 vars_set(struct vars *, const char *name, size_t namelen,
		    const char *value, size_t len);
void		 vars_sets(struct vars *, const char *name, const char *value);
/*
 * Set from a value that may mark message text (DIFFERENCES.md B24): the
 * marks are kept with the variable and come back with vars_get.
 */
void		 vars_setb(struct vars *, const char *name, size_t namelen,
		    const struct buf *value);
/* Mark the whole value of a set variable as message text. */
void		 vars_mark(struct vars *, const char *name, size_t namelen);
void		 vars_unset(struct vars *, const char *name, size_t namelen);
/* The bytes held by every name and value. */
size_t		 vars_bytes(const struct vars *);

/* NULL-terminated "NAME=value" array for execve; free with vars_envfree. */
char		**vars_environ(const struct vars *);
void		 vars_envfree(char **);

/* Visit every variable (order unspecified). */
void		 vars_each(const struct vars *,
		    void (*fn)(void *arg, const char *name, size_t namelen,
		    const struct buf *value), void *arg);

#endif
