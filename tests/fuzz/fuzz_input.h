/*
 * fuzz_input.h: the fuzz input as a message, the way runnel reads one
 * from its stdin: the bytes go into a memfd, msg_read takes them from
 * there (so the temp-file path for large messages is the real one).
 * Shared by the message and evaluator targets.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../interp/message/message.h"

/* A memfd holding data, at offset 0; -1 if it cannot be made. */
static inline int
fuzz_memfd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-input", 0);

	if (fd < 0)
		return -1;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* data as read from stdin, after the -A lines extra; NULL if it fails. */
static inline struct message *
fuzz_message(const uint8_t *data, size_t size, const char **extra,
    size_t nextra)
{
	struct message *m;
	int fd = fuzz_memfd(data, size);

	if (fd < 0)
		return NULL;
	m = msg_read(fd, extra, nextra, NULL);
	close(fd);
	return m;
}

#endif
