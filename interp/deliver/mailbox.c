/*
 * mailbox.c: what kind of mailbox a target string names (DELIVERY.md §4).
 * The real run and the dry run both ask here, so a dry run can never
 * describe a different delivery from the one that would happen.
 */
#include <string.h>
#include <sys/stat.h>

#include "../../grammar/buf.h"
#include "deliver.h"

static int
is_dir(struct buf *b, size_t keep, const char *sub)
{
	struct stat st;

	buf_truncate(b, keep);
	buf_adds(b, sub);
	return stat(b->p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* maildrop's test: tmp/, new/ and cur/ all directories, else an mbox. */
enum mailbox_kind
mailbox_kind(const char *target)
{
	struct buf b = BUF_INIT;
	size_t len;
	int md;

	if (target[0] == '|')
		return MB_PIPE;
	if (target[0] == '!')
		return MB_FORWARD;
	if (target[0] == '\0')
		return MB_MBOX;
	len = strlen(target);
	if (target[len - 1] == '/')
		len--;
	buf_add(&b, target, len);
	md = is_dir(&b, len, "/tmp") && is_dir(&b, len, "/new") &&
	    is_dir(&b, len, "/cur");
	buf_free(&b);
	return md ? MB_MAILDIR : MB_MBOX;
}

int
deliver_plan(struct run *r, const struct pos *why, const char *target)
{
	switch (mailbox_kind(target)) {
	case MB_PIPE:		return pipe_plan(r, why, target);
	case MB_FORWARD:	return forward_plan(r, why, target);
	case MB_MAILDIR:	return maildir_plan(r, why, target);
	case MB_MBOX:		break;
	}
	return mbox_plan(r, why, target);
}

/* The word the dry run and VERBOSE traces use for a kind. */
const char *
mailbox_kind_name(enum mailbox_kind k)
{
	switch (k) {
	case MB_PIPE:		return "pipe";
	case MB_FORWARD:	return "forward";
	case MB_MAILDIR:	return "maildir";
	case MB_MBOX:		return "mbox";
	}
	return "mailbox";
}
