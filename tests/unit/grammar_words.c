/*
 * grammar_words.c: a list of owned strings stays NULL-terminated after
 * every append, so it can be handed to a child as its argv, and each
 * word is a copy of exactly the bytes asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "../../grammar/words.h"
#include "unit.h"

int
main(void)
{
	char **v = NULL, word[] = "sendmail -f";
	size_t n = 0, i;
	int ok = 1;

	words_add(&v, &n, word, 8);
	word[0] = 'X';		/* the list holds a copy */
	unit_check(n == 1 && strcmp(v[0], "sendmail") == 0 && v[1] == NULL,
	    "add-copies-len-bytes", "got %zu words, first \"%s\"", n, v[0]);
	for (i = 0; i < 100; i++) {
		words_add(&v, &n, "ann@example.com", 15);
		ok &= v[n] == NULL && strcmp(v[n - 1], "ann@example.com") == 0;
	}
	unit_check(ok && n == 101, "stays-null-terminated", "n %zu", n);
	words_add(&v, &n, "", 0);
	unit_check(n == 102 && v[101][0] == '\0' && v[102] == NULL,
	    "empty-word", "n %zu", n);
	words_free(v, n);
	words_free(NULL, 0);	/* nothing added: nothing to free */
	return unit_done();
}
