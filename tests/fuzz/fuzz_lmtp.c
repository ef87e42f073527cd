/*
 * fuzz_lmtp.c: libFuzzer target for the LMTP command parser.  The bytes
 * come from whoever can connect to the service; each input is split at
 * LF into command lines, as the session splits them, and every line
 * must parse or get a reply, never crash or read past its end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../interp/lmtp/command.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lmtp_command c;
	const char *p = (const char *)data, *end = p + size, *lf;
	char *line;
	size_t n;

	while (p < end) {
		lf = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((lf != NULL ? lf : end) - p);
		/* an exact copy, so ASan sees a read past the line */
		line = malloc(n ? n : 1);
		memcpy(line, p, n);
		lmtp_parse(line, n, &c);
		if (c.verb == LV_BAD && (c.text == NULL || c.code < 500))
			abort();
		if (strlen(c.path) > LMTP_PATH_MAX)
			abort();
		free(line);
		p += n + 1;
	}
	return 0;
}
