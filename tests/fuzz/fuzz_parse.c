/*
 * fuzz_parse.c: libFuzzer target for the lexer and parser.  Any byte
 * string is a filter someone could install; it must parse or fail with
 * positioned diagnostics, never crash, loop or run away with memory.  The
 * tree is dumped and every diagnostic printed in both forms, so the
 * printers see whatever the parser produced.  Odd inputs also run in
 * embedded mode.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../builtins/builtins.h"
#include "../../grammar/parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct arena a;
	struct diags d;
	struct program *prog;
	char *out = NULL;
	size_t outlen = 0, i;
	FILE *mem;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	arena_init(&a);
	memset(&d, 0, sizeof(d));
	prog = parse_program(&a, "fuzz", (const char *)data, size,
	    size % 2 ? PARSE_EMBEDDED : 0, &builtin_fns, &d);
	if (prog != NULL)
		ast_dump(null, prog);
	if ((mem = open_memstream(&out, &outlen)) != NULL) {
		for (i = 0; i < d.n; i++) {
			diag_print_compiler(mem, &d.v[i], (const char *)data,
			    size);
			diag_print_maildrop(mem, &d.v[i], (const char *)data,
			    size);
		}
		fclose(mem);
		free(out);
	}
	diag_free(&d);
	arena_free(&a);
	return 0;
}
