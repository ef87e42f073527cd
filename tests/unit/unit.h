/*
 * unit.h: the one harness of the unit programs (tests/unit/NAME.c).  A
 * check prints one line tests/run.sh counts: "PASS name", "FAIL name:
 * why" or "SKIP name: why"; lines of a long why that follow a FAIL are
 * indented by four spaces.  main() ends with `return unit_done();`, which
 * is 1 when anything failed.  Header-only: each program is one file.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int unit_failed;

/* text on one line: a name holds no newline */
static inline void
unit_put_name(const char *name)
{
	for (; *name != '\0'; name++)
		putchar(*name == '\n' ? '|' : *name);
}

static inline void
unit_vline(const char *word, const char *name, const char *fmt, va_list ap)
{
	char why[4096];
	const char *p;

	fputs(word, stdout);
	putchar(' ');
	unit_put_name(name);
	if (fmt != NULL) {
		vsnprintf(why, sizeof(why), fmt, ap);
		fputs(": ", stdout);
		for (p = why; *p != '\0'; p++)
			if (*p == '\n')
				fputs("\n    ", stdout);
			else
				putchar(*p);
	}
	putchar('\n');
	fflush(stdout);
}

/* PASS name when ok, else FAIL name: why (printf-style).  Returns ok. */
static inline int
unit_check(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline int
unit_check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	unit_vline(ok ? "PASS" : "FAIL", name, ok ? NULL : fmt, ap);
	va_end(ap);
	if (!ok)
		unit_failed = 1;
	return ok;
}

/* PASS name: a check that has passed already. */
static inline void
unit_pass(const char *name)
{
	unit_check(1, name, NULL);
}

/* The same for two strings: FAIL name: got "x", want "y". */
static inline int
unit_str(const char *name, const char *got, const char *want)
{
	return unit_check(got != NULL && strcmp(got, want) == 0, name,
	    "got \"%s\", want \"%s\"", got != NULL ? got : "(null)", want);
}

/* A check that cannot run here: SKIP name: why. */
static inline void
unit_skip(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
unit_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	unit_vline("SKIP", name, fmt, ap);
	va_end(ap);
}

/* A name made with printf, good until the next call. */
static inline const char *
unit_name(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static inline const char *
unit_name(const char *fmt, ...)
{
	static char name[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return name;
}

/* main's exit status: 1 when a check failed. */
static inline int
unit_done(void)
{
	return unit_failed;
}

#endif
