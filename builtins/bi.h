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

/* Evaluate argument i of call into out; FLOW_FAIL passes up. */
enum flow	bi_arg(struct run *, const struct expr *call, size_t i,
		    struct buf *out);

#endif
