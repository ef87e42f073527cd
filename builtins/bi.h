/*
 * bi.h: the built-in functions, for builtins/table.c only.  Each one
 * evaluates its own arguments (call->args) and leaves its value in out.
 */
#ifndef BI_H
#define BI_H

#include "builtins.h"

/* string.c */
enum flow	bi_escape(struct run *, const struct expr *, struct buf *);
enum flow	bi_length(struct run *, const struct expr *, struct buf *);
enum flow	bi_substr(struct run *, const struct expr *, struct buf *);
enum flow	bi_tolower(struct run *, const struct expr *, struct buf *);
enum flow	bi_toupper(struct run *, const struct expr *, struct buf *);
/* address.c */
enum flow	bi_getaddr(struct run *, const struct expr *, struct buf *);
enum flow	bi_hasaddr(struct run *, const struct expr *, struct buf *);
/* lookup.c */
enum flow	bi_lookup(struct run *, const struct expr *, struct buf *);
/* time.c */
enum flow	bi_time(struct run *, const struct expr *, struct buf *);
/* gdbm.c */
enum flow	bi_gdbmclose(struct run *, const struct expr *, struct buf *);
enum flow	bi_gdbmfetch(struct run *, const struct expr *, struct buf *);
enum flow	bi_gdbmopen(struct run *, const struct expr *, struct buf *);
enum flow	bi_gdbmstore(struct run *, const struct expr *, struct buf *);
void		bi_gdbm_cleanup(struct run *);
void		bi_gdbm_file_done(struct run *, const char *file);

/*
 * utf8.c: character semantics for the string built-ins, on when the
 * filter sets UNICODE to a positive number (1); else maildrop's bytes.
 */
int		bi_unicode(struct run *);
/* Characters in s; each invalid UTF-8 sequence counts as one. */
size_t		bi_utf8_length(const char *s, size_t len);
/*
 * substr's cut in characters: start < 0 or past the end gives an empty
 * tail, count < 0 keeps the whole tail.
 */
void		bi_utf8_span(const char *s, size_t len, long start, long count,
		    size_t *from, size_t *keep);
/* Full Unicode case mapping in place; invalid bytes kept as they are. */
void		bi_utf8_case(struct buf *, int up);
/* Case-blind equality by Unicode case folding. */
int		bi_utf8_caseeq(const char *a, size_t alen, const char *b,
		    size_t blen);

/*
 * arg.c: evaluate argument i of call into out (empty when there is no
 * argument i); FLOW_FAIL passes up.
 */
enum flow	bi_arg(struct run *, const struct expr *call, size_t i,
		    struct buf *out);

#endif
