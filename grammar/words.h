/*
 * words.h: a list of strings that owns its strings, kept ending in NULL
 * so it can be a child's argv: a command line split into words, the
 * lines a test file lists.
 */
#ifndef WORDS_H
#define WORDS_H

#include <stddef.h>

/* Append a copy of s's first len bytes; *v stays NULL-terminated. */
void	words_add(char ***v, size_t *n, const char *s, size_t len);
/* Free the n strings and the list. */
void	words_free(char **v, size_t n);

#endif
