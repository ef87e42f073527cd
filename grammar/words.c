/*
 * words.c: a list of owned strings.  Lists are short (a sendmail
 * command line, a test case's lines), so each append grows by one.
 */
#include <stdlib.h>

#include "arena.h"
#include "words.h"

void
words_add(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = xstrndup(s, len);
	(*v)[*n] = NULL;
}

void
words_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
