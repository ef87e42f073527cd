/*
 * reformail.c: Courier's reformail, the header editor filters call in
 * backticks and xfilter.  The message is read whole; its header is split
 * into fields (a line and its continuation lines), edited by the options,
 * and written back with the body untouched.  A header name given to an
 * option ends with its colon and matches without regard to case.  What
 * is not copied from Courier: -D's rewrite of a cache longer than its
 * limit on a hit (Courier writes the trimmed list over the start of the
 * file and leaves the old bytes after it), and -s after other options
 * (-s comes first; reformail_split.c splits an mbox).
 *
 *   -f0 / -f1    drop a "From " line (into Return-Path:) / add one
 *   -A / -a H    append H / append it when no such field exists
 *   -I / -i H    replace such fields by H / rename them Old-...
 *   -R old new   rename fields
 *   -u / -U H:   keep only the first / the last such field
 *   -x / -X H:   print such fields' values / whole fields, nothing else
 *   -c           unfold every field
 *   -D len file  duplicate Message-ID: exit 0 when seen, else remember it
 *                and exit 1, keeping the newest ids within len bytes
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../../grammar/buf.h"
#include "tools.h"

struct field {
	char	*text;		/* the field with its continuations and the
				   final newline */
	int	 gone;
	int	 added;		/* 1 by -a, 2 by -A, 3 by -I -i -f0, 4 by
				   -U, written in that order; only -x and
				   -X see them */
};

struct mail {
	struct buf	 from;	/* a "From " first line, else empty */
	struct field	*f;
	size_t		 n;
	const char	*body;	/* after the blank line */
	size_t		 bodylen;
	struct buf	 raw;
};

static void
add_field(struct mail *m, const char *p, size_t len)
{
	m->f = xrealloc(m->f, (m->n + 1) * sizeof(*m->f));
	m->f[m->n].text = xmalloc(len + 2);
	memcpy(m->f[m->n].text, p, len);
	if (len == 0 || p[len - 1] != '\n')
		m->f[m->n].text[len++] = '\n';
	m->f[m->n].text[len] = '\0';
	m->f[m->n].gone = 0;
	m->f[m->n].added = 0;
	m->n++;
}

static int
read_mail(struct mail *m)
{
	char chunk[65536];
	const char *p, *end, *nl, *start;
	ssize_t got;
	size_t i, j;

	memset(m, 0, sizeof(*m));
	while ((got = read(0, chunk, sizeof(chunk))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf_add(&m->raw, chunk, (size_t)got);
	}
	/* Courier reads lines: CR LF is LF */
	for (i = j = 0; i < m->raw.len; i++)
		if (!(m->raw.p[i] == '\r' && i + 1 < m->raw.len &&
		    m->raw.p[i + 1] == '\n'))
			m->raw.p[j++] = m->raw.p[i];
	m->raw.len = j;
	p = buf_cstr(&m->raw);
	end = p + m->raw.len;
	while (p < end && *p == '\n')	/* blank lines before the header */
		p++;
	if (end - p >= 5 && memcmp(p, "From ", 5) == 0) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl != NULL ? nl + 1 : end;
		buf_add(&m->from, p, (size_t)(nl - p));
		p = nl;
	}
	start = NULL;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl != NULL ? nl + 1 : end;
		if (*p == '\n') {		/* the blank line */
			if (start != NULL)
				add_field(m, start, (size_t)(p - start));
			start = NULL;
			p = nl;
			break;
		}
		if ((*p == ' ' || *p == '\t') && start != NULL) {
			p = nl;
			continue;
		}
		if (start != NULL)
			add_field(m, start, (size_t)(p - start));
		start = p;
		p = nl;
	}
	if (start != NULL)
		add_field(m, start, (size_t)(p - start));
	m->body = p;
	m->bodylen = (size_t)(end - p);
	return 0;
}

/* "Name:" of an option: the length through the colon, 0 when none. */
static size_t
name_len(const char *h)
{
	const char *c = strchr(h, ':');

	return c != NULL ? (size_t)(c - h) + 1 : 0;
}

static int
matches_any(const struct field *f, const char *h)
{
	size_t n = name_len(h);

	return n > 0 && !f->gone && strncasecmp(f->text, h, n) == 0;
}

/* The message's own fields: what the editing options work on. */
static int
matches(const struct field *f, const char *h)
{
	return !f->added && matches_any(f, h);
}

static void
append_as(struct mail *m, const char *h, int kind)
{
	add_field(m, h, strlen(h));
	m->f[m->n - 1].added = kind;
}

static void
append(struct mail *m, const char *h)
{
	append_as(m, h, 3);
}

/* The field unfolded: a line break and the blanks after it: one space. */
static void
unfold(const char *s, struct buf *out)
{
	buf_reset(out);
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			if (s[1] == '\0')
				break;
			while (s[1] == ' ' || s[1] == '\t')
				s++;
			buf_addc(out, ' ');
			continue;
		}
		buf_addc(out, *s);
	}
}

static void
from_to_return_path(struct mail *m)
{
	const char *p = m->from.p + 5, *e;
	struct buf rp = BUF_INIT;
	size_t i;

	while (*p == ' ')
		p++;
	for (e = p; *e != '\0' && *e != ' ' && *e != '\n'; e++)
		;
	for (i = 0; i < m->n; i++)
		if (matches(&m->f[i], "Return-Path:"))
			m->f[i].gone = 1;
	buf_printf(&rp, "Return-Path: <%.*s>", (int)(e - p), p);
	append(m, rp.p);
	buf_free(&rp);
}

static void
add_from_line(struct mail *m)
{
	struct buf who = BUF_INIT, v = BUF_INIT;
	struct passwd *pw;
	char date[64];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < m->n && who.len == 0; i++) {
		const char *s, *e;

		if (!matches(&m->f[i], "Return-Path:"))
			continue;
		unfold(m->f[i].text + 12, &v);
		s = buf_cstr(&v);
		while (*s == ' ' || *s == '\t' || *s == '<')
			s++;
		for (e = s; *e != '\0' && *e != '>' && *e != ' '; e++)
			;
		buf_add(&who, s, (size_t)(e - s));
	}
	if (who.len == 0) {
		pw = getpwuid(getuid());
		buf_adds(&who, pw != NULL ? pw->pw_name : "root");
	}
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", localtime(&now));
	buf_reset(&m->from);
	buf_printf(&m->from, "From %s %s\n", buf_cstr(&who), date);
	buf_free(&who);
	buf_free(&v);
}

/* Body lines ">*From ": one '>' less (way < 0) or more (way > 0). */
static void
write_body(const struct mail *m, int way)
{
	const char *p = m->body, *end = m->body + m->bodylen, *nl, *q;

	if (way == 0) {
		fwrite(p, 1, m->bodylen, stdout);
		return;
	}
	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl != NULL ? nl + 1 : end;
		for (q = p; q < nl && *q == '>'; q++)
			;
		if (nl - q >= 5 && memcmp(q, "From ", 5) == 0) {
			if (way > 0)
				putchar('>');
			else if (q > p)
				p++;
		}
		fwrite(p, 1, (size_t)(nl - p), stdout);
	}
}

/* -D: 0 when the Message-ID is in the cache, 1 after adding it. */
static int
duplicate(const struct mail *m, const char *lenarg, const char *file)
{
	struct buf id = BUF_INIT, cache = BUF_INIT, out = BUF_INIT;
	long max = atol(lenarg);
	char chunk[8192];
	const char *p, *e, *start;
	ssize_t got;
	size_t i, keep;
	int fd, rc = 1;

	for (i = 0; i < m->n && id.len == 0; i++) {
		if (!matches(&m->f[i], "Message-ID:"))
			continue;
		unfold(m->f[i].text + 11, &id);
		p = buf_cstr(&id);
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		buf_set(&out, p, (size_t)(e - p));
		buf_set(&id, out.p, out.len);
	}
	if (id.len == 0)
		goto done;
	if ((fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, "reformail: %s: %s\n", file, strerror(errno));
		goto done;
	}
	(void)flock(fd, LOCK_EX);
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&cache, chunk, (size_t)got);
	/* NUL-terminated ids, then one more NUL */
	for (p = cache.p; p != NULL && p < cache.p + cache.len && *p != '\0';
	    p += strlen(p) + 1)
		if (strcmp(p, id.p) == 0) {
			rc = 0;
			break;
		}
	if (rc == 1) {
		buf_reset(&out);
		for (p = cache.p; p != NULL && p < cache.p + cache.len &&
		    *p != '\0'; p += strlen(p) + 1)
			buf_add(&out, p, strlen(p) + 1);
		buf_add(&out, id.p, id.len + 1);
		/* the newest ids that fit in len bytes with the final NUL */
		start = out.p;
		keep = out.len;
		while (keep > 0 && (long)keep + 1 > max) {
			size_t l = strlen(start) + 1;

			start += l;
			keep -= l;
		}
		buf_set(&cache, start, keep);
		buf_addc(&cache, '\0');
		if (lseek(fd, 0, SEEK_SET) != 0 || ftruncate(fd, 0) != 0 ||
		    write(fd, cache.p, cache.len) != (ssize_t)cache.len)
			fprintf(stderr, "reformail: %s: %s\n", file,
			    strerror(errno));
	}
	close(fd);
done:
	buf_free(&id);
	buf_free(&cache);
	buf_free(&out);
	return rc;
}

static int
usage(void)
{
	fputs("reformail: Invalid arguments.\n", stderr);
	return 1;
}

int
reformail_main(int argc, char **argv)
{
	struct mail m;
	struct buf line = BUF_INIT;
	const char **xs = NULL;
	int *xall = NULL;
	size_t nx = 0, i, j, last;
	int f0 = 0, f1 = 0, concat = 0, a, rc = 0;
	const char *dlen = NULL, *dfile = NULL;

	/* -s reads the input itself, a message at a time */
	if (argc > 1 && strcmp(argv[1], "-s") == 0)
		return reformail_split(argv + 2);
	if (read_mail(&m) != 0) {
		fprintf(stderr, "reformail: %s\n", strerror(errno));
		return 1;
	}
	for (a = 1; a < argc; a++) {
		const char *o = argv[a], *v = NULL, *v2 = NULL;

		if (o[0] != '-')
			break;		/* the options end, as Courier's */
		if (o[1] == '\0')
			break;
		if (strchr("AaIiRuUxXD", o[1]) != NULL) {
			v = o[2] != '\0' ? o + 2 : a + 1 < argc ? argv[++a] :
			    NULL;
			if (v == NULL)
				return usage();
			if (o[1] == 'R' || o[1] == 'D') {
				if (a + 1 >= argc)
					return usage();
				v2 = argv[++a];
			}
		}
		switch (o[1]) {
		case 'f':		/* "-f" is -f0; any other value -f1 */
			f0 = o[2] == '\0' || strcmp(o + 2, "0") == 0;
			f1 = !f0;
			break;
		case 'c':
			concat = 1;
			break;
		case 'A':
			append_as(&m, v, 2);
			break;
		case 'a':
			for (i = 0; i < m.n && !matches(&m.f[i], v); i++)
				;
			if (i == m.n)
				append_as(&m, v, 1);
			break;
		case 'I':
		case 'i':
			for (i = 0; i < m.n; i++) {
				char *t;

				if (!matches(&m.f[i], v))
					continue;
				if (o[1] == 'I') {
					m.f[i].gone = 1;
					continue;
				}
				t = xmalloc(strlen(m.f[i].text) + 5);
				strcpy(t, "Old-");
				strcat(t, m.f[i].text);
				free(m.f[i].text);
				m.f[i].text = t;
			}
			append(&m, v);
			break;
		case 'R':
			for (i = 0; i < m.n; i++) {
				size_t n = name_len(v);
				char *t;

				if (!matches(&m.f[i], v))
					continue;
				t = xmalloc(strlen(v2) + strlen(m.f[i].text +
				    n) + 1);
				strcpy(t, v2);
				strcat(t, m.f[i].text + n);
				free(m.f[i].text);
				m.f[i].text = t;
			}
			break;
		case 'u':
		case 'U':
			for (i = 0, last = m.n; i < m.n; i++) {
				if (!matches(&m.f[i], v))
					continue;
				if (o[1] == 'U' || last < m.n)
					m.f[i].gone = 1;
				if (o[1] == 'U' || last == m.n)
					last = i;
			}
			if (o[1] == 'U' && last < m.n) {
				/* Courier moves the kept one to the end */
				char *t = xstrdup(m.f[last].text);

				append_as(&m, t, 4);
				free(t);
			}
			break;
		case 'x':
		case 'X':
			/* each -X prints whole fields, each -x values */
			xs = xrealloc(xs, (nx + 1) * sizeof(*xs));
			xall = xrealloc(xall, (nx + 1) * sizeof(*xall));
			xall[nx] = o[1] == 'X';
			xs[nx++] = v;
			break;
		case 'D':
			dlen = v;
			dfile = v2;
			break;
		default:
			return usage();
		}
	}
	if (dfile != NULL) {
		rc = duplicate(&m, dlen, dfile);
		goto out;
	}
	if (m.raw.len == 0)
		goto out;		/* no message: nothing, as Courier */
	if (nx > 0) {
		for (i = 0; i < m.n; i++)
			for (j = 0; j < nx; j++) {
				const char *s;

				if (!matches_any(&m.f[i], xs[j]))
					continue;
				unfold(m.f[i].text, &line);
				s = buf_cstr(&line);
				if (!xall[j])
					for (s += name_len(xs[j]);
					    *s == ' ' || *s == '\t'; s++)
						;
				printf("%s\n", s);
				break;
			}
		goto out;
	}
	if (f0 && m.from.len > 0)
		from_to_return_path(&m);
	else if (f1 && m.from.len == 0)
		add_from_line(&m);
	else
		f0 = f1 = 0;
	if (!f0)
		fwrite(m.from.p != NULL ? m.from.p : "", 1, m.from.len, stdout);
	for (i = 0; i < 4 * m.n; i++) {
		const struct field *f = &m.f[i % m.n];
		int pass = f->added < 2 ? 0 : f->added - 1;

		if (f->gone || pass != (int)(i / m.n))
			continue;
		if (concat) {
			unfold(f->text, &line);
			printf("%s\n", buf_cstr(&line));
		} else
			fputs(f->text, stdout);
	}
	putchar('\n');
	write_body(&m, f0 ? -1 : f1 ? 1 : 0);
out:
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	for (i = 0; i < m.n; i++)
		free(m.f[i].text);
	free(m.f);
	free(xs);
	free(xall);
	buf_free(&m.from);
	buf_free(&m.raw);
	buf_free(&line);
	return rc;
}
