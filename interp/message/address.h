/*
 * address.h: RFC 822/2822 address lists: parse into mailboxes (getaddr,
 * hasaddr) and re-render the way maildrop shows address headers to
 * patterns (LANGUAGE.md §5.2: `"Alice" <a@b>` -> `Alice <a@b>`,
 * `a@b (Carol)` -> `Carol <a@b>`).
 */
#ifndef ADDRESS_H
#define ADDRESS_H

#include <stddef.h>

#include "../../grammar/buf.h"

struct address {
	const char	*addr;		/* local@domain, as written */
	size_t		 addrlen;
	const char	*name;		/* display name or comment, or NULL */
	size_t		 namelen;
};

/*
 * Parse an address list (a leading "To:" style field name is tolerated);
 * call fn once per mailbox, group names dropped.  Never fails: what does
 * not parse is skipped.
 */
void	addr_parse(const char *s, size_t n,
	    void (*fn)(void *arg, const struct address *), void *arg);

/* Re-render an address header value canonically, appended to out. */
void	addr_render(const char *s, size_t n, struct buf *out);

#endif
